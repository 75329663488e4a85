import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { ftsTables } from './fts5-queries.js';
import { SEARCH_TABLES, type SearchEntity } from './search-match.js';

/*
 * Each batch of index writes (and each transaction of a bulk load) adds an FTS5 segment, and FTS5's automatic merges
 * combine them only in tiers: after a burst of writes a common term's ids sit in a dozen segments, and a search reads
 * each (measured at 100,000 persons after 20,000 writes, 7 to 16 segments a table: the bench's search 986 -> 289-346
 * req/s; back in one segment, 908). Merging into one segment rewrites the whole table, so it is done only for a table
 * in more than MAX_SEGMENTS pieces and only once writes pause (SearchIndexUpkeep), in steps: FTS5's incremental merge
 * ('merge' with a negative page count) writes about that many pages and leaves the rest for the next call (measured
 * at 100,000 persons: steps of 5-25 ms, about one second for the four person tables).
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

/** One step of merging the first FTS5 table in more than MAX_SEGMENTS pieces; false when there is none. */
export async function compactionStep(db: Executor): Promise<boolean> {
  for (const entity of Object.keys(SEARCH_TABLES) as SearchEntity[]) {
    for (const { name } of ftsTables(entity)) {
      if (segmentsOf(await structureOf(db, name)) <= MAX_SEGMENTS) continue;
      await sql`insert into ${sql.table(name)} (${sql.ref(name)}, rank) values ('merge', ${-PAGES_PER_STEP})`.execute(db);
      return true;
    }
  }
  return false;
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
