// Which tables and indexes a SQLite workload writes: the frames a write-ahead log gained after a byte offset, each
// attributed to the b-tree its page belongs to (the `dbstat` table), per request.
// Usage: node --import tsx bench/wal-pages.ts <database> <copy of its -wal file> <offset the log had before> <requests>
// Keep the log from being restarted while the workload runs: personsd checkpoints every second, and a checkpoint
// that finishes lets the next commit write from the log's start. A second connection holding a read transaction
// open (`begin; select 1 from companies;`) from before the workload stops that. See docs/benchmarks.md.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';

const [database, walCopy, offsetArg, requestsArg] = process.argv.slice(2);
if (!database || !walCopy || offsetArg === undefined || !requestsArg) {
  console.error('usage: node --import tsx bench/wal-pages.ts <database> <wal copy> <offset before> <requests>');
  process.exit(2);
}
const HEADER = 32;
const FRAME_HEADER = 24;
const wal = readFileSync(walCopy);
const pageSize = wal.readUInt32BE(8);
const salts = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
const frameSize = FRAME_HEADER + pageSize;
// Frames start at a whole number of frames past the header; the offset given may sit inside one.
const first = HEADER + Math.max(0, Math.ceil((Number(offsetArg) - HEADER) / frameSize)) * frameSize;

const pages: number[] = [];
let commits = 0;
for (let at = first; at + frameSize <= wal.length; at += frameSize) {
  // A frame of an earlier generation of the log (before a restart) carries other salts: the valid ones end there.
  if (wal.readUInt32BE(at + 8) !== salts[0] || wal.readUInt32BE(at + 12) !== salts[1]) break;
  pages.push(wal.readUInt32BE(at));
  if (wal.readUInt32BE(at + 4) !== 0) commits++;
}

const wanted = new Set(pages);
const owner = new Map<number, string>();
const db = new Database(database, { readonly: true, fileMustExist: true });
for (const row of db.prepare('select name, pageno from dbstat').iterate() as Iterable<{ name: string; pageno: number }>) {
  if (wanted.has(row.pageno)) owner.set(row.pageno, row.name);
}
db.close();

const frames = new Map<string, number>();
for (const page of pages) {
  const name = owner.get(page) ?? '(free or not in use now)';
  frames.set(name, (frames.get(name) ?? 0) + 1);
}
const requests = Number(requestsArg);
console.log(`${pages.length} frames of ${pageSize} bytes (${(pages.length / requests).toFixed(1)} a request), ${commits} commits, ${wanted.size} distinct pages`);
console.log('  frames  a request  b-tree');
for (const [name, count] of [...frames].sort((a, b) => b[1] - a[1])) {
  console.log(`${String(count).padStart(8)}  ${(count / requests).toFixed(2).padStart(9)}  ${name}`);
}
