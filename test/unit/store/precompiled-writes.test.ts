import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { precompiled, precompiledWrites, rowsShape } from '../../../src/store/precompiled.ts';

/*
 * precompiledWrites compiles a write's statements once per shape and runs them again with new values; arrays named
 * in `spread` are rows or list items of their own. What must hold: each call writes its own values (never the
 * values of the call that compiled), a new shape compiles anew, and an array not spread stays one value.
 */
interface Row {
  id: number;
  name: string;
  note?: string | null;
}

describe('precompiledWrites', () => {
  const setup = () => {
    const raw = new SqliteDatabase(':memory:');
    raw.exec('create table t (id integer primary key, name text not null, note text, tag text)');
    const db = new Kysely<{ t: Row & { tag?: string | null } }>({ dialect: new SqliteDialect({ database: raw }) });
    const rows = () => raw.prepare('select id, name, note, tag from t order by id').all();
    return { db, rows };
  };

  it('writes each call’s own rows, compiling once per number of rows and their columns', async () => {
    const { db, rows } = setup();
    let builds = 0;
    type P = { rows: Row[]; drop: number[]; tag: string };
    const replace = precompiledWrites(
      (kdb, p: P) => {
        builds++;
        const typed = kdb as unknown as typeof db;
        return [typed.deleteFrom('t').where('id', 'in', p.drop), typed.insertInto('t').values(p.rows.map((r) => ({ ...r, tag: p.tag })))];
      },
      { shape: (p) => `${rowsShape(p.rows)}|${p.drop.length}`, spread: ['rows', 'drop'] },
    );
    await replace(db as never, { rows: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], drop: [99], tag: 'x' });
    await replace(db as never, { rows: [{ id: 3, name: 'c' }, { id: 4, name: 'd' }], drop: [1], tag: 'y' });
    assert.equal(builds, 1);
    assert.deepEqual(rows(), [
      { id: 2, name: 'b', note: null, tag: 'x' },
      { id: 3, name: 'c', note: null, tag: 'y' },
      { id: 4, name: 'd', note: null, tag: 'y' },
    ]);
    // Three rows, two ids to drop, a column more: each a shape of its own.
    await replace(db as never, { rows: [{ id: 5, name: 'e' }, { id: 6, name: 'f' }, { id: 7, name: 'g' }], drop: [2, 3], tag: 'z' });
    await replace(db as never, { rows: [{ id: 8, name: 'h', note: 'n' }], drop: [4], tag: 'w' });
    assert.equal(builds, 3);
    assert.deepEqual(
      rows().map((r) => Object.values(r as object).join()),
      ['5,e,,z', '6,f,,z', '7,g,,z', '8,h,n,w'],
    );
  });

  it('keeps an array not spread as one value, as a query of a PostgreSQL array takes it', async () => {
    const raw = new SqliteDatabase(':memory:');
    raw.exec('create table t (id integer primary key, name text not null, note text, tag text)');
    const sent: unknown[][] = [];
    const db = new Kysely<{ t: Row }>({ dialect: new SqliteDialect({ database: raw }), log: (event) => void sent.push([...event.query.parameters]) });
    const named = precompiled((kdb, p: { id: number; names: string[] }) => (kdb as unknown as typeof db).updateTable('t').set({ note: p.names as never }).where('id', '=', p.id), {
      shape: () => '',
    });
    // SQLite cannot bind an array, so the statement fails; what matters is that the driver was given it whole.
    await assert.rejects(named(db as never, { id: 1, names: ['x', 'y'] }));
    assert.deepEqual(sent, [[['x', 'y'], 1]]);
  });

  it('remembers at most 200 shapes of a query: later ones are compiled on each call and still run right', async () => {
    const { db, rows } = setup();
    let builds = 0;
    const insert = precompiledWrites(
      (kdb, p: { rows: Row[] }) => {
        builds++;
        return [(kdb as unknown as typeof db).insertInto('t').values(p.rows)];
      },
      { shape: (p) => rowsShape(p.rows), spread: ['rows'] },
    );
    let id = 0;
    const call = (count: number) => insert(db as never, { rows: Array.from({ length: count }, () => ({ id: ++id, name: `n${id}` })) });
    for (let count = 1; count <= 200; count++) await call(count);
    assert.equal(builds, 200);
    await call(201);
    await call(201);
    assert.equal(builds, 202);
    await call(7);
    assert.equal(builds, 202);
    assert.equal(rows().length, id);
    assert.deepEqual(rows().at(-1), { id, name: `n${id}`, note: null, tag: null });
  });
});
