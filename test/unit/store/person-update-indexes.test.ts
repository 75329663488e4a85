import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../../../src/store/migrate.ts';
import { findPerson, insertPerson, updateLockedPerson } from '../../../src/store/repositories/persons.repository.ts';

/*
 * An update of a person the caller holds (persons.service's PATCH) leaves SQLite's indexes on owner, organization and
 * add time alone unless their columns change: SQLite rewrites an index's entry whenever an UPDATE sets one of its
 * columns, even to the value it had. Which indexes a statement writes shows in its program: an OpenWrite cursor on
 * each index's root page.
 */
describe('updateLockedPerson: the indexes an update writes on SQLite', () => {
  const INDEXES = ['persons_company_owner', 'persons_company_org', 'persons_company_add'];

  const setup = async () => {
    const raw = new SqliteDatabase(':memory:');
    const updates: Array<{ sql: string; parameters: readonly unknown[] }> = [];
    const db = new Kysely<any>({
      dialect: new SqliteDialect({ database: raw }),
      log: (event) => {
        if (event.level === 'query' && event.query.sql.startsWith('update "persons"')) updates.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    await migrateToLatest(db, 'sqlite');
    const now = '2026-12-06 12:00:00';
    raw.prepare(`insert into companies (id, name, domain, add_time) values (1, 'Acme', 'acme', ?)`).run(now);
    const user = `insert into users (id, company_id, name, email, default_currency, locale, lang, timezone_name, timezone_offset, role_id, created, modified)
      values (?, 1, ?, ?, 'EUR', 'en_US', 1, 'UTC', '+00:00', 1, ?, ?)`;
    raw.prepare(user).run(1, 'Ada', 'ada@acme.test', now, now);
    raw.prepare(user).run(2, 'Bo', 'bo@acme.test', now, now);
    const person = await insertPerson(db, {
      company_id: 1, name: 'Jane Doe', owner_id: 1, visible_to: 3, label_ids: '[]', emails: '[]', phones: '[]', im: '[]', custom_fields: '{}', marketing_status_changed: 0,
      add_time: now, update_time: now, deleted_time: null,
    });
    // Only the updates the test makes (a migration updates persons too).
    updates.length = 0;
    /** The indexes of persons the statement opens for writing. */
    const writtenIndexes = (statement: { sql: string; parameters: readonly unknown[] }): string[] => {
      const roots = new Map((raw.prepare(`select rootpage, name from sqlite_master where type = 'index' and tbl_name = 'persons'`).all() as Array<{ rootpage: number; name: string }>).map((r) => [r.rootpage, r.name]));
      const program = raw.prepare(`explain ${statement.sql}`).all(...(statement.parameters as unknown[])) as Array<{ opcode: string; p2: number }>;
      return program.filter((op) => op.opcode === 'OpenWrite' && roots.has(op.p2)).map((op) => roots.get(op.p2) as string);
    };
    return { raw, db, updates, person, writtenIndexes };
  };

  it('writes none of them when owner, organization and add time stay, and answers the updated row', async () => {
    const { db, updates, person, writtenIndexes } = await setup();
    const { id: _id, company_id: _company, deleted_time: _deleted, picture_id: _picture, ...columns } = person;
    const after = await updateLockedPerson(db, person, { ...columns, job_title: 'Engineer', update_time: '2026-12-06 12:00:01' });
    assert.equal(after.job_title, 'Engineer');
    assert.equal(after.owner_id, 1);
    assert.deepEqual(await findPerson(db, 1, person.id), after);
    assert.equal(updates.length, 1);
    const written = writtenIndexes(updates[0]);
    for (const index of INDEXES) assert.ok(!written.includes(index), `${index} is written: ${written.join(', ')}`);
    assert.ok(written.includes('persons_company_update'), written.join(', '));
    await db.destroy();
  });

  it('writes the index of a column that changes, and stores the change', async () => {
    const { db, updates, person, writtenIndexes } = await setup();
    const after = await updateLockedPerson(db, person, { owner_id: 2, add_time: person.add_time, update_time: '2026-12-06 12:00:01' });
    assert.equal(after.owner_id, 2);
    assert.equal((await findPerson(db, 1, person.id))?.owner_id, 2);
    const written = writtenIndexes(updates[0]);
    assert.ok(written.includes('persons_company_owner'), written.join(', '));
    assert.ok(!written.includes('persons_company_add'), written.join(', '));
    await db.destroy();
  });
});
