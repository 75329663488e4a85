import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import pg from 'pg';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { type Backend, type TestServer, startTestServer } from './server.ts';

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

export interface IsolatedServerSuite {
  database: IsolatedDatabase;
  server: TestServer;
}

/** A test server on a database of the suite's own, made before its tests and dropped after them. */
export function isolatedServerSuite(backend: Backend): IsolatedServerSuite {
  const suite = {} as IsolatedServerSuite;
  before(async () => {
    suite.database = await isolatedDatabase(backend);
    suite.server = await startTestServer(backend, { database: parseDatabaseUrl(suite.database.url, 3) });
  });
  after(async () => {
    await suite.server.close();
    await suite.database.drop();
  });
  return suite;
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
