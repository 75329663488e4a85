import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Backend } from './server.ts';

export interface IsolatedDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of the test's own, for tests that start processes which bootstrap an empty database, or that change
 * the schema: SQLite gets a new file, PostgreSQL a new database beside PERSONSD_TEST_PG_URL's (dropped after).
 */
export async function isolatedDatabase(backend: Backend): Promise<IsolatedDatabase> {
  const given = backend.databaseUrl();
  if (backend.name === 'sqlite') return { url: given.url, drop: async () => given.cleanup() };
  const base = new URL(given.url);
  const name = `${base.pathname.slice(1)}_${randomBytes(5).toString('hex')}`.slice(-63);
  await withAdmin(given.url, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(given.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(given.url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
