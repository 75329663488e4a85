import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { insertItem as insert, scratchSqlite } from '../../helpers/scratch-sqlite.ts';

describe('SQLite group commit (sqlite-driver.ts)', () => {
  let scratch: ReturnType<typeof scratchSqlite>;
  const open = () => scratch.open();
  const committedIds = () => scratch.committedIds();

  beforeEach(() => {
    scratch = scratchSqlite();
  });
  afterEach(() => scratch.close());

  it('commits transactions begun in one turn together, each answered only once its rows are committed', async () => {
    const db = open();
    const seen: number[][] = [];
    await Promise.all([1, 2, 3, 4, 5, 6].map((id) => insert(db, id).then(() => seen.push(committedIds()))));
    // The first of the turn finds no sign of load and commits alone; the other five join one group.
    assert.equal(scratch.ran.commits, 2);
    assert.deepEqual(seen[0], [1]);
    for (const ids of seen.slice(1)) assert.deepEqual(ids, [1, 2, 3, 4, 5, 6]);
  });

  it('commits each transaction at once while they come one a turn', async () => {
    const db = open();
    for (const id of [1, 2, 3, 4]) {
      await insert(db, id);
      assert.deepEqual(committedIds().at(-1), id);
      await nextTurn();
      await nextTurn();
    }
    assert.equal(scratch.ran.commits, 4);
  });

  it('rolls back a failing member alone: the group commits the others', async () => {
    const db = open();
    const results = await Promise.allSettled([
      insert(db, 1),
      insert(db, 2),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: 3, parent: null }).execute();
        throw new Error('the request failed halfway');
      }),
      insert(db, 4),
    ]);
    assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual(committedIds(), [1, 2, 4]);
  });

  it('commits an open group before a query outside any transaction reads', async () => {
    const db = open();
    const first = insert(db, 1);
    const second = insert(db, 2);
    // Queued behind both transactions, before the turn ends and the group's commit runs.
    const read = db.selectFrom('items').select('id').execute();
    const rows = await read;
    assert.deepEqual(rows.map((row) => row.id), [1, 2]);
    assert.deepEqual(committedIds(), [1, 2]);
    await Promise.all([first, second]);
  });

  it('fails every member when the group cannot commit, and keeps none of their rows', async () => {
    const db = open();
    // A deferred foreign key is checked at COMMIT: the group's commit fails for all of its members.
    const results = await Promise.allSettled([insert(db, 1), insert(db, 2), insert(db, 3, 99), insert(db, 4)]);
    assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'rejected', 'rejected']);
    assert.equal(scratch.raw.inTransaction, false);
    assert.deepEqual(committedIds(), [1]);
    await insert(db, 5);
    assert.deepEqual(committedIds(), [1, 5]);
  });
});
