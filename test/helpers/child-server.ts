import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatabaseConfig } from '../../src/store/database-settings.ts';

const BIN = fileURLToPath(new URL('../../bin/personsd.js', import.meta.url));

export interface ChildServer {
  url: string;
  stop(): Promise<void>;
}

/** The DATABASE_URL of a test server's database, so a second process can serve the same data. */
export function databaseUrlOf(database: DatabaseConfig): string {
  return database.dialect === 'sqlite' ? `sqlite:${database.path}` : database.url;
}

/** Runs `personsd serve` in a separate process (its own memory, its own counters) until stop(). */
export function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', WORKERS: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.on('close', () => done()));
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`personsd serve did not start: ${stderr}`));
    }, 30_000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`personsd serve exited: ${stderr}`));
    });
  });
}
