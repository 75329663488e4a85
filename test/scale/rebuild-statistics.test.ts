import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { type IsolatedDatabase, isolatedDatabase } from '../helpers/isolated-database.ts';
import { Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/*
 * The identity-key and search-index rebuilds a start runs when their format changed fill whole tables in one
 * transaction. They are then analyzed (PostgreSQL: `analyze`; SQLite: PRAGMA optimize), so the first queries are
 * not planned with the statistics of empty tables. Runs on a database of its own, with autovacuum off there, so
 * only personsd can have analyzed the tables.
 */
for (const backend of testBackends()) {
  describe(`planner statistics after a start-up rebuild [${backend.name}]`, { timeout: 120_000 }, () => {
    let database: IsolatedDatabase;
    let server: TestServer | undefined;
    before(async () => {
      database = await isolatedDatabase(backend);
    });
    after(async () => {
      await server?.close();
      await database.drop();
    });

    const withDb = async <T>(work: (db: ReturnType<typeof openStore>['db']) => Promise<T>): Promise<T> => {
      const store = openStore(parseDatabaseUrl(database.url, 1));
      try {
        return await work(store.db);
      } finally {
        await store.close();
      }
    };
    /** Tables a rebuild fills: the identity keys and every table of the search index, whatever its layout. */
    const rebuiltTables = () =>
      withDb(async (db) => {
        const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public' and (tablename in ('person_contacts', 'person_match_keys') or tablename like '%search%' or tablename like '%\\_terms') order by 1`.execute(db);
        return rows.map((r) => r.name);
      });
    /** Per table: rows, the planner's row estimate, and whether ANALYZE wrote column statistics. */
    const statistics = (tables: string[]) =>
      withDb(async (db) => {
        const out: Record<string, { rows: number; estimate: number; analyzed: boolean }> = {};
        for (const table of tables) {
          const { rows } = await sql<{ rows: string; estimate: number; analyzed: boolean }>`
            select (select count(*) from ${sql.table(table)}) as rows,
                   (select reltuples from pg_class where oid = ${table}::regclass) as estimate,
                   exists (select 1 from pg_stats where schemaname = 'public' and tablename = ${table}) as analyzed`.execute(db);
          out[table] = { rows: Number(rows[0].rows), estimate: Number(rows[0].estimate), analyzed: rows[0].analyzed };
        }
        return out;
      });

    it('analyzes the filled tables (none is left planned as empty)', async () => {
      server = await startTestServer(backend, { database: parseDatabaseUrl(database.url, 3) });
      const tables = backend.name === 'postgres' ? await rebuiltTables() : [];
      if (backend.name === 'postgres') {
        assert.ok(tables.includes('person_contacts') && tables.some((t) => t.includes('search')), tables.join());
        await withDb(async (db) => {
          for (const table of tables) await sql`alter table ${sql.table(table)} set (autovacuum_enabled = false)`.execute(db);
        });
      }
      const tenant = await newTenant(server);
      // One create at a time (an import would refresh the statistics itself).
      for (let start = 0; start < 200; start += 20) {
        const created = await Promise.all(
          Array.from({ length: 20 }, (_, j) => start + j).map((i) =>
            tenant.api.post('/api/v2/persons', { name: `Person ${i}`, emails: [{ value: `p${i}@corp${i % 7}.io` }], phones: [{ value: `+1 415 555 ${1000 + i}` }] }),
          ),
        );
        assert.deepEqual(new Set(created.map((r) => r.status)), new Set([200]));
      }
      await server.close();
      server = undefined;

      // As a release with a new key format finds the database: the next start re-keys everyone and rebuilds search.
      await withDb((db) => sql`update settings set value = 'stale' where key in ('identity_keys_version', 'search_index_version')`.execute(db));
      if (backend.name === 'postgres') {
        const stale = await statistics(tables);
        assert.ok(Object.values(stale).every((s) => !s.analyzed), `not analyzed before the rebuild: ${JSON.stringify(stale)}`);
      }

      server = await startTestServer(backend, { database: parseDatabaseUrl(database.url, 3) });
      const settings = await withDb((db) => sql<{ key: string; value: string }>`select key, value from settings where key in ('identity_keys_version', 'search_index_version')`.execute(db));
      assert.ok(settings.rows.length === 2 && settings.rows.every((r) => r.value !== 'stale'), 'both rebuilt');
      const api = new Api(server.url, tenant.token);
      const found = await api.get('/api/v2/persons/search?term=4155551042&fields=phone');
      assert.deepEqual(found.body.data.items.map((i: any) => i.item.name), ['Person 42'], 'the rebuilt index answers');

      if (backend.name === 'postgres') {
        const fresh = await statistics(tables);
        for (const [table, s] of Object.entries(fresh)) {
          if (s.rows === 0) continue;
          assert.ok(s.analyzed, `${table} analyzed: ${JSON.stringify(s)}`);
          assert.equal(s.estimate, s.rows, `${table}: the planner's estimate is the table's size`);
        }
        assert.ok(fresh.person_contacts.rows >= 400 && fresh.person_match_keys.rows > 0);
      } else {
        // sqlite_stat1's first figure for each index (and for a table without one) is the number of rows it saw.
        await withDb(async (db) => {
          for (const table of ['person_contacts', 'person_match_keys', 'person_search']) {
            const { rows } = await sql<{ stat: string }>`select stat from sqlite_stat1 where tbl = ${table}`.execute(db);
            const size = (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n;
            assert.ok(size >= 200 && rows.length > 0, `${table} analyzed: ${rows.length} rows of statistics, ${size} rows`);
            for (const row of rows) assert.equal(Number(row.stat.split(' ')[0]), Number(size), `${table}: the planner's size is the table's`);
          }
        });
      }
    });
  });
}
