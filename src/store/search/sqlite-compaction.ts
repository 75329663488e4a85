import { type Kysely, sql } from 'kysely';
import type { Executor } from '../executor.js';
import { ftsTableName, ftsTables } from './fts5-queries.js';
import type { MergeStep, MergeTarget } from './search-index-backend.js';
import { SEARCH_TABLES, type SearchEntity } from './search-match.js';

/*
 * Each batch of index writes (and each transaction of a bulk load) adds an FTS5 segment, and FTS5's automatic merges
 * combine them only in tiers: after a burst of writes a common term's ids sit in a dozen segments, and a search reads
 * each (measured at 100,000 persons after 20,000 writes, 7 to 16 segments a table: the bench's search 986 -> 289-346
 * req/s; back in one segment, 908). Edits are worse than creates: each leaves its old terms in an older segment behind
 * a tombstone until a merge drops them (a terms lookup after a few minutes of creates and edits: 1,210 µs; after
 * merging, 303). So once writes pause, the small segments of each level are merged (cheap: they are small), and a
 * table still in more than MAX_SEGMENTS pieces is merged whole, which rewrites it; both in steps: FTS5's incremental
 * merge writes about a step's number of pages and leaves the rest for the next call. The terms table comes first:
 * every search reads it, the trigram tables only some. SearchIndexUpkeep decides when; a worker thread runs the steps
 * where it can (sqlite-merger.ts).
 * A few pieces still cost: at 1,000,000 persons the bench's searches read the terms table in 3 pieces (one large, two
 * small) at 969-1,028 µs a search, in 1 at 512-559. So once writes have long paused, the upkeep also merges every
 * table into one (`until: 'one'`; the terms table at 1,000,000 persons: 6.2 s of the worker's time; name, email and
 * phone 5.6 s together).
 */

const PAGES_PER_STEP = 64;
/** More pieces than automerge's tiers leave after a few dozen small batches. */
const MAX_SEGMENTS = 6;

let rowsIndexed = 0;

/** Counts rows written into the FTS5 tables by this process (queued batches and bulk loads). */
export function countIndexed(rows: number): void {
  rowsIndexed += rows;
}

/** Rows written into the FTS5 tables by this process so far. */
export function indexedSoFar(): number {
  return rowsIndexed;
}

/**
 * FTS5's 'merge' with a positive page count merges a level's segments only when the level holds `usermerge` of them
 * (4 by default); with 2, it merges the few small segments a burst of writes leaves without touching the large one
 * below them (at 1,000,000 persons after the bench's writes: the terms table from 7 segments to 3 in 0.9 s, where
 * merging it whole takes 6.2 s). Set on every FTS5 table when it is made (and by migration 028).
 */
export async function setMergeSettings(db: Executor | Kysely<any>, table: string): Promise<void> {
  await sql`insert into ${sql.table(table)} (${sql.ref(table)}, rank) values ('usermerge', 2)`.execute(db);
}

/**
 * One step of merging the first FTS5 table (terms first) that needs it; false when none does.
 * A step continues the merge in progress ('merge' with a positive page count; with none in progress it merges a
 * level of two or more segments), and only when that leaves the table as it was and the table is still in more than
 * MAX_SEGMENTS pieces (with `until: 'one'`, in more than one) begins a whole-table merge (a negative count).
 * Beginning one on every step restarts it on a new level each time: with batches written between steps, a table
 * went to 140 segments in 60 steps.
 */
export async function compactionStep(db: Executor, merge: MergeStep = mergeOn(db), until: MergeTarget = 'few'): Promise<boolean> {
  const most = until === 'one' ? 1 : MAX_SEGMENTS;
  for (const entity of Object.keys(SEARCH_TABLES) as SearchEntity[]) {
    for (const { name } of mergeOrder(entity)) {
      const before = await structureOf(db, name);
      if (segmentsOf(before) <= 1) continue;
      await merge(name, PAGES_PER_STEP);
      if (Buffer.compare(await structureOf(db, name), before) !== 0) return true;
      if (segmentsOf(before) <= most) continue;
      await merge(name, -PAGES_PER_STEP);
      return true;
    }
  }
  return false;
}

function mergeOn(db: Executor): MergeStep {
  return async (table, pages) => {
    await sql`insert into ${sql.table(table)} (${sql.ref(table)}, rank) values ('merge', ${pages})`.execute(db);
  };
}

function mergeOrder(entity: SearchEntity): Array<{ name: string }> {
  const terms = ftsTableName(entity, { kind: 'terms' });
  return ftsTables(entity).sort((a, b) => Number(b.name === terms) - Number(a.name === terms));
}

async function structureOf(db: Executor, table: string): Promise<Uint8Array> {
  const result = await sql<{ block: Uint8Array }>`select block from ${sql.table(`${table}_data`)} where id = 10`.execute(db);
  return result.rows[0]?.block ?? new Uint8Array(0);
}

/**
 * The number of segments an FTS5 structure record names (fts5_index.c: a 4-byte cookie, then in the second format
 * version the marker ff 00 00 01, then varints: levels, segments, ...). 0 for a table never written.
 */
export function segmentsOf(record: Uint8Array): number {
  if (record.length < 6) return 0;
  let at = record[4] === 0xff && record[5] === 0 && record[6] === 0 && record[7] === 1 ? 8 : 4;
  const varint = (): number => {
    let value = 0;
    for (let k = 0; k < 9; k++) {
      const byte = record[at++];
      if (k === 8) return value * 256 + byte;
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) return value;
    }
    return value;
  };
  varint(); // levels
  return varint();
}
