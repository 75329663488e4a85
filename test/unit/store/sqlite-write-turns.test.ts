import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { WriteTurns } from '../../../src/store/write-turns.ts';
import { insertItem as insert, scratchSqlite } from '../../helpers/scratch-sqlite.ts';

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
  let scratch: ReturnType<typeof scratchSqlite>;
  const open = (turns: WriteTurns) => scratch.open({ turns });
  const committedIds = () => scratch.committedIds();

  beforeEach(() => {
    scratch = scratchSqlite();
    scratch.raw.exec('insert into items (id) values (100)');
  });
  afterEach(() => scratch.close());

  it('waits for its turn without holding the connection, so reads go on; gives the turn back once committed', async () => {
    const { log, turns, grant } = handHeldTurns();
    const db = open(turns);
    const write = insert(db, 1);
    await nextTurn();
    assert.deepEqual(log, ['take']);
    assert.equal(scratch.ran.begins, 0, 'no transaction begins before the turn');
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
    assert.equal(scratch.ran.begins, 1);
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
    assert.equal(scratch.ran.begins, 1);
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
    assert.equal(scratch.ran.begins, 2);
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
    scratch.raw.pragma('busy_timeout = 0');
    const other = scratch.otherConnection();
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
    assert.equal(scratch.ran.begins, 0);
    assert.deepEqual((await db.selectFrom('items').select('id').execute()).map((r) => r.id), [100]);
    const next = insert(db, 3);
    await nextTurn();
    grant();
    await next;
    assert.deepEqual(committedIds(), [3, 100]);
  });
});
