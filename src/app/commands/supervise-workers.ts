import cluster from 'node:cluster';
import { type Config, DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../config.js';
import type { WorkerFailure } from '../cli-failure.js';
import { keepWriteTurns } from './write-turn-keeper.js';

/** How much longer than its shutdown bound a stopping process gets before it is killed. */
export const SHUTDOWN_GRACE_MS = 5_000;

/**
 * `serve --workers N`: N processes share the listening socket (node:cluster hands out connections round-robin).
 * A worker that dies is replaced, after a growing pause when workers keep dying young (database down, bad
 * config), so a crash loop does not spin. SIGTERM / SIGINT stop every worker gracefully, then the primary.
 * Until the first worker listens, a worker that fails stops them all: its failure (a taken port, a bad setting)
 * would only repeat, and the primary prints it once and exits 1. `listening` runs once, when the first one listens.
 * On SQLite the primary also hands out the workers' write turns (write-turn-keeper.ts).
 */
export function superviseWorkers(config: Config, count: number, listening: (url: string, what: string) => Promise<void>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let stopping = false;
    let announced = false;
    let failure: string | undefined;
    let failed: unknown;
    const finish = () => {
      if (failed !== undefined) reject(failed);
      else if (failure !== undefined) {
        console.error(failure);
        resolve(1);
      } else resolve(0);
    };
    let youngDeaths = 0;
    const started = new Map<number, number>();
    const fork = () => {
      if (stopping) return;
      const worker = cluster.fork();
      started.set(worker.id, Date.now());
    };

    cluster.on('listening', (_worker, address) => {
      if (announced) return;
      announced = true;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      listening(`http://${host}:${address.port}`, `: ${count} worker processes`).catch((error: unknown) => {
        failed = error;
        stop();
      });
    });
    cluster.on('message', (_worker, message: Partial<WorkerFailure>) => {
      if (typeof message?.personsdFailure === 'string' && !announced) failure ??= message.personsdFailure;
    });
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping && !announced) {
        failure ??= `personsd: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) before it listened`;
        stop();
      }
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) finish();
        return;
      }
      const lived = Date.now() - (started.get(worker.id) ?? 0);
      started.delete(worker.id);
      youngDeaths = lived < 10_000 ? youngDeaths + 1 : 0;
      const pause = youngDeaths === 0 ? 0 : Math.min(30_000, 250 * 2 ** youngDeaths);
      console.error(`personsd: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another${pause ? ` in ${pause} ms` : ''}`);
      setTimeout(fork, pause);
    });

    const stop = () => {
      if (stopping) return;
      stopping = true;
      const alive = Object.values(cluster.workers ?? {});
      if (alive.length === 0) return finish();
      for (const worker of alive) worker?.process.kill('SIGTERM');
      setTimeout(() => {
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
        resolve(1);
      }, (config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) + SHUTDOWN_GRACE_MS + 2_000).unref();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);

    keepWriteTurns(cluster);
    for (let i = 0; i < count; i++) fork();
  });
}
