import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import SqliteDatabase from 'better-sqlite3';
import { Kysely } from 'kysely';
import { sqliteDialect } from '../../../src/store/sqlite-driver.ts';
import { cachingSqlite } from '../../../src/store/statement-cache.ts';
import type { WriteTurns } from '../../../src/store/write-turns.ts';

interface Tables {
  items: { id: number };
}

/** Turns granted by the test: `take` waits until `grant()`, or fails with `refuse(error)`. */
function handHeldTurns() {
  const log: string[] = [];
  const asking: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const turns: WriteTurns = {
    take: () => {
      log.push('take');
      return new Promise((resolve, reject) => asking.push({ resolve, reject }));
    },
    give: () => log.push('give'),
  };
  return { log, turns, grant: () => asking.shift()?.resolve(), refuse: (error: Error) => asking.shift()?.reject(error) };
}

describe('SQLite write turns in the driver (sqlite-driver.ts, serve --workers N)', () => {
  let dir: string;
  let file: string;
  let raw: SqliteDatabase.Database;
  let begins: number;

  const open = (turns: WriteTurns): Kysely<Tables> => {
    const cached = cachingSqlite(raw);
    const counting = {
      close: () => cached.close(),
      prepare: (text: string) => {
        const statement = cached.prepare(text);
        if (text !== 'begin immediate') return statement;
        return { ...statement, reader: false, run: (parameters: readonly unknown[]) => (begins++, statement.run(parameters)) };
      },
    };
    return new Kysely<Tables>({ dialect: sqliteDialect(counting, raw, { turns }).dialect });
  };
  const committedIds = (): number[] => {
    const other = new SqliteDatabase(file, { readonly: true });
    try {
      return other.prepare('select id from items order by id').pluck().all() as number[];
    } finally {
      other.close();
    }
  };
  const insert = (db: Kysely<Tables>, id: number) => db.transaction().execute((trx) => trx.insertInto('items').values({ id }).execute());

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'personsd-write-turns-'));
    file = join(dir, 'test.db');
    raw = new SqliteDatabase(file);
    raw.pragma('journal_mode = WAL');
    raw.exec('create table items (id integer primary key)');
    raw.exec('insert into items (id) values (100)');
    begins = 0;
  });
  afterEach(() => {
    raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for its turn without holding the connection, so reads go on; gives the turn back once committed', async () => {
    const { log, turns, grant } = handHeldTurns();
    const db = open(turns);
    const write = insert(db, 1);
    await nextTurn();
    assert.deepEqual(log, ['take']);
    assert.equal(begins, 0, 'no transaction begins before the turn');
    // With the connection held by the waiting write, this read would wait for the turn too.
    assert.deepEqual((await db.selectFrom('items').select('id').execute()).map((r) => r.id), [100]);
    grant();
    await write;
    assert.deepEqual(committedIds(), [1, 100]);
    assert.deepEqual(log, ['take', 'give']);
  });

  it('commits the writes that queued behind one turn in one transaction, asking once', async () => {
    const { log, turns, grant } = handHeldTurns();
    const db = open(turns);
    const writes = [1, 2, 3, 4, 5].map((id) => insert(db, id));
    await nextTurn();
    grant();
    await Promise.all(writes);
    assert.equal(begins, 1);
    assert.deepEqual(log, ['take', 'give']);
    assert.deepEqual(committedIds(), [1, 2, 3, 4, 5, 100]);
  });

  it('opens a group with a turn it waited for, though writes come slowly: a write that waited with it joins', async () => {
    const { log, turns, grant } = handHeldTurns();
    const db = open(turns);
    const first = insert(db, 1);
    // Quiet turns: the driver's own sign of load (two writes a turn) is gone by the time the second comes.
    for (let i = 0; i < 3; i++) await nextTurn();
    const second = insert(db, 2);
    await nextTurn();
    grant();
    await first;
    await second;
    assert.deepEqual(log, ['take', 'give']);
    assert.equal(begins, 1);
  });

  it('asks again for a write that comes after the turn was given back', async () => {
    const { log, turns, grant } = handHeldTurns();
    const db = open(turns);
    const first = insert(db, 1);
    await nextTurn();
    grant();
    await first;
    const second = insert(db, 2);
    await nextTurn();
    assert.deepEqual(log, ['take', 'give', 'take']);
    grant();
    await second;
    assert.deepEqual(log, ['take', 'give', 'take', 'give']);
    assert.equal(begins, 2);
  });

  it('gives the turn back when the transaction rolls back, and when BEGIN itself fails', async () => {
    const { log, turns, grant } = handHeldTurns();
    const db = open(turns);
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 7 }).execute();
      throw new Error('the handler failed');
    });
    await nextTurn();
    grant();
    await assert.rejects(failing, /the handler failed/);
    // Having waited for its turn, it ran as a group's member: the group, empty now, ends with the event loop's turn.
    await nextTurn();
    assert.deepEqual(log, ['take', 'give']);
    assert.deepEqual(committedIds(), [100]);

    // Another connection (a CLI command, say) holds SQLite's own write lock, and this one will not wait for it.
    raw.pragma('busy_timeout = 0');
    const other = new SqliteDatabase(file);
    other.exec('begin immediate');
    try {
      const blocked = insert(db, 8);
      await nextTurn();
      grant();
      await assert.rejects(blocked, /locked|busy/i);
      assert.deepEqual(log, ['take', 'give', 'take', 'give']);
    } finally {
      other.exec('rollback');
      other.close();
    }
    const after = insert(db, 9);
    await nextTurn();
    grant();
    await after;
    assert.deepEqual(committedIds(), [9, 100]);
  });

  it('fails the writes waiting for a turn that is refused, writes nothing, and leaves the connection usable', async () => {
    const { log, turns, grant, refuse } = handHeldTurns();
    const db = open(turns);
    const writes = [1, 2].map((id) => insert(db, id));
    await nextTurn();
    refuse(Object.assign(new Error('no turn came'), { code: 'SQLITE_BUSY' }));
    for (const write of writes) await assert.rejects(write, /no turn came/);
    assert.deepEqual(log, ['take']);
    assert.equal(begins, 0);
    assert.deepEqual((await db.selectFrom('items').select('id').execute()).map((r) => r.id), [100]);
    const next = insert(db, 3);
    await nextTurn();
    grant();
    await next;
    assert.deepEqual(committedIds(), [3, 100]);
  });
});
