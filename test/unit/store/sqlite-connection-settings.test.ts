import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../../../src/store/db.ts';

/* The request thread's SQLite connection: the settings its durability and write speed rest on (db.ts). */
describe('the SQLite connection of a store', () => {
  it('writes ahead to a log, syncs at checkpoints, checks foreign keys and keeps temporary data in memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'personsd-settings-'));
    const store = openStore({ dialect: 'sqlite', path: join(dir, 'p.db') });
    try {
      const setting = async (name: string) => Object.values((await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(store.db)).rows[0])[0];
      assert.equal(await setting('journal_mode'), 'wal');
      assert.equal(await setting('synchronous'), 1, 'NORMAL');
      assert.equal(await setting('foreign_keys'), 1);
      // Group commits' savepoint journals and sorts' spills: in memory, not in temporary files (2 is MEMORY).
      assert.equal(await setting('temp_store'), 2);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
