import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Api } from '../helpers/server.ts';

const BIN = fileURLToPath(new URL('../../bin/personsd.js', import.meta.url));

/** Starts `personsd serve` on the given DATABASE_URL, returns where it listens and the token it printed. */
function serve(databaseUrl: string): Promise<{ url: string; token: string; stop(): Promise<number | null> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', WORKERS: '1' };
  env.PERSONSD_BOOTSTRAP_TOKEN = 'in-memory-bootstrap-token-0001';
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve({ url: match[1], token: env.PERSONSD_BOOTSTRAP_TOKEN!, stop: () => (child.kill('SIGTERM'), exited) });
    });
    exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}${stdout}`)));
  });
}

describe('an in-memory database', () => {
  for (const url of ['memory:', 'sqlite::memory:']) {
    it(`DATABASE_URL=${url} serves a migrated, bootstrapped database`, async () => {
      const server = await serve(url);
      try {
        const api = new Api(server.url, server.token);
        assert.equal((await api.get('/health')).status, 200);
        const created = await api.post('/api/v2/persons', { name: 'Ada Lovelace' });
        assert.equal(created.status, 200, JSON.stringify(created.body));
        const listed = await api.get('/api/v2/persons');
        assert.deepEqual(listed.body.data.map((p: { name: string }) => p.name), ['Ada Lovelace']);
      } finally {
        assert.equal(await server.stop(), 0);
      }
    });
  }
});
