import { randomBytes } from 'node:crypto';
import { afterEach } from 'node:test';
import { Api, type Backend } from './server.ts';
import { type PersonsdProcess, isolatedDatabaseUrl, spawnPersonsd } from './webhooks.ts';

/** A database of the test's own, and a way to start `personsd serve` processes on it that share one API token. */
export interface SpawnedDatabase {
  url: string;
  spawnWith(env?: Record<string, string>): Promise<{ process: PersonsdProcess; api: Api }>;
}

/**
 * For tests of separate server processes (crashes, restarts, several processes): `setUp()` gives each test an
 * isolated database; after each test its processes are killed (SIGKILL), then what `onCleanup` registered runs, newest
 * first, and the database goes.
 */
export function spawnedPersonsd(backend: Backend, baseEnv: Record<string, string> = {}) {
  const started: PersonsdProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const process of started.splice(0)) await process.kill('SIGKILL');
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    onCleanup: (cleanup: () => Promise<void>) => cleanups.push(cleanup),
    async setUp(): Promise<SpawnedDatabase> {
      const db = await isolatedDatabaseUrl(backend);
      cleanups.push(db.cleanup);
      const token = randomBytes(20).toString('hex');
      return {
        url: db.url,
        async spawnWith(env = {}) {
          const process = await spawnPersonsd({ DATABASE_URL: db.url, PERSONSD_BOOTSTRAP_TOKEN: token, ...baseEnv, ...env });
          started.push(process);
          return { process, api: new Api(process.url, token) };
        },
      };
    },
  };
}
