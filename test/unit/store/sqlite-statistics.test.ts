import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { createCompany } from '../../../src/domain/users/users.service.ts';
import { openStore } from '../../../src/store/db.ts';
import { migrateToLatest } from '../../../src/store/migrate.ts';
import { insertImportedPersons } from '../../../src/store/repositories/person-transfer.repository.ts';
import { keepSqliteStatistics } from '../../../src/store/sqlite-statistics.ts';

/*
 * SQLite's planner statistics (sqlite-statistics.ts). The query is the shape of a saved filter on an owner and a
 * date range (filter-predicate SQL, first page by id): without statistics SQLite reads it through the date index and
 * sorts every match, with them through the owner's index in id order, stopping after the page.
 */
const FILTERED_PAGE = `explain query plan select id from persons where company_id = ? and deleted_time is null
  and owner_id = ? and add_time <= '2026-12-31T23:59:59Z' order by id limit 101`;

const planOf = (db: SqliteDatabase.Database, companyId: number, ownerId: number) =>
  (db.prepare(FILTERED_PAGE).all(companyId, ownerId) as { detail: string }[]).map((r) => r.detail).join('; ');

describe('SQLite planner statistics', () => {
  it('are taken when a store opens on a database without them, and a filtered page then reads through the owner index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'personsd-stats-'));
    const path = join(dir, 'p.db');
    try {
      let store = openStore({ dialect: 'sqlite', path });
      await migrateToLatest(store.db, 'sqlite');
      const { companyId, admin } = await store.db.transaction().execute((trx) => createCompany(trx, { name: 'Stats', adminName: 'A', adminEmail: 'a@example.com' }));
      const persons = Array.from({ length: 3000 }, (_, i) => {
        const time = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 19) + 'Z';
        return {
          company_id: companyId, name: `P ${i}`, first_name: 'P', last_name: null, owner_id: admin.id, org_id: null, visible_to: 3, label_ids: '[]',
          emails: '[]', phones: '[]', im: '[]', postal_address: null, notes: null, birthday: null, job_title: null, marketing_status: null,
          marketing_status_changed: 0, custom_fields: '{}', add_time: time, update_time: time,
        };
      });
      await store.db.transaction().execute((trx) => insertImportedPersons(trx, persons));
      await sql`drop table if exists sqlite_stat1`.execute(store.db);
      await store.close();

      const bare = new SqliteDatabase(path);
      const before = planOf(bare, companyId, admin.id);
      bare.close();
      assert.match(before, /persons_company_add/, 'without statistics SQLite picks the date index (the control)');

      store = openStore({ dialect: 'sqlite', path });
      const analysed = await sql<{ idx: string }>`select idx from sqlite_stat1 where tbl = 'persons'`.execute(store.db);
      assert.ok(analysed.rows.some((r) => r.idx === 'persons_company_owner'), 'the open analysed the persons table');
      await store.close();

      const reopened = new SqliteDatabase(path);
      const after = planOf(reopened, companyId, admin.id);
      reopened.close();
      assert.match(after, /persons_company_owner/);
      assert.doesNotMatch(after, /TEMP B-TREE/, 'no sort of every match');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are taken again on the timer once a table has grown many times over, and no more after stop', async () => {
    const db = new SqliteDatabase(':memory:');
    try {
      db.exec('create table t (a integer, b text); create index t_a on t (a)');
      const insert = db.prepare('insert into t (a, b) values (?, ?)');
      for (let i = 0; i < 10; i++) insert.run(i, 'x');
      const rowsSeen = () => Number((db.prepare("select stat from sqlite_stat1 where idx = 't_a'").get() as { stat: string } | undefined)?.stat.split(' ')[0]);

      const upkeep = keepSqliteStatistics(db, async (work) => work(), 20);
      assert.equal(rowsSeen(), 10, 'analysed when started');
      db.transaction(() => {
        for (let i = 10; i < 2000; i++) insert.run(i, 'x');
      })();
      await sleep(100);
      assert.equal(rowsSeen(), 2000, 're-analysed on the timer after growing 200-fold');

      upkeep.stop();
      db.transaction(() => {
        for (let i = 2000; i < 100_000; i++) insert.run(i, 'x');
      })();
      await sleep(100);
      assert.equal(rowsSeen(), 2000, 'stopped');
    } finally {
      db.close();
    }
  });
});
