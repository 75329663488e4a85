import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/personsd.js', import.meta.url));

export interface ServeProcess {
  /** Where it listens, as it printed. */
  url: string;
  /** The pid of the process started (the primary, with --workers). */
  pid: number;
  stdout(): string;
  stderr(): string;
  /** The JSON log lines written so far (LOG_LEVEL=info or lower). */
  logs(): Array<Record<string, any>>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Sends the signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills whatever a test left running; call it from `after`. */
export function killLeftovers(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Starts `node bin/personsd.js serve …` on PORT=0 and waits until it prints where it listens. */
export function startServeProcess(env: Record<string, string>, args: string[] = []): Promise<ServeProcess> {
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env };
  for (const name of ['WORKERS', 'NODE_ENV', 'PERSONSD_BOOTSTRAP_TOKEN'] as const) if (!(name in env)) delete fullEnv[name];
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`personsd serve did not start within 60 s:\n${stderr}`));
    }, 60_000);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`personsd serve exited with ${code} before listening:\n${stderr}`));
    });
    child.stderr.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        pid: child.pid as number,
        stdout: () => stdout,
        stderr: () => stderr,
        logs: () =>
          stdout
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line)),
        exited,
        stop(signal = 'SIGTERM') {
          child.kill(signal);
          // A process that ignores the signal must not hang the suite; the caller sees the forced exit (null code).
          const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
          return exited.finally(() => clearTimeout(force));
        },
      });
    });
  });
}

/** Whether a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/personsd.js …` to its end (HOST 127.0.0.1, PORT 0, LOG_LEVEL silent unless `env` says otherwise). */
export function runPersonsd(args: string[], env: Record<string, string>): Promise<Finished> {
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env };
  for (const name of ['WORKERS', 'NODE_ENV', 'PERSONSD_BOOTSTRAP_TOKEN', 'REDIS_URL'] as const) if (!(name in env)) delete fullEnv[name];
  const child = spawn(process.execPath, [BIN, ...args], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`personsd ${args.join(' ')} did not exit within 60 s:\n${stderr}`));
    }, 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}
