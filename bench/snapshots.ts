// npm run bench:snapshots [-- --persons 10000]: how long the admin API's snapshot and restore take, per backend.
// SQLite always (a file database, and memory:); PostgreSQL when PERSONSD_BENCH_PG_URL names an empty database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest } from '../src/store/migrate.ts';
import { type Store, openStore } from '../src/store/db.ts';
import { parseDatabaseUrl } from '../src/app/config.ts';
import { seedTenant } from './seed.ts';

const { values } = parseArgs({ options: { persons: { type: 'string', default: '10000' }, runs: { type: 'string', default: '5' } } });
const persons = Number(values.persons);
const runs = Number(values.runs);

async function measure(label: string, url: string): Promise<void> {
  const store: Store = openStore(parseDatabaseUrl(url, 3));
  try {
    await migrateToLatest(store.db, store.dialect);
    await seedTenant(store, persons);
    const take: number[] = [];
    const restore: number[] = [];
    for (let i = 0; i < runs; i++) {
      let started = performance.now();
      await store.snapshots.take('bench');
      take.push(performance.now() - started);
      started = performance.now();
      await store.snapshots.restore('bench');
      restore.push(performance.now() - started);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(0);
    console.log(`${label.padEnd(12)} ${persons} persons: snapshot ${median(take)} ms, restore ${median(restore)} ms (median of ${runs})`);
  } finally {
    await store.snapshots.remove('bench');
    await store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'personsd-bench-snapshots-'));
try {
  await measure('sqlite file', `sqlite:${join(dir, 'bench.db')}`);
  await measure('memory', 'memory:');
  if (process.env.PERSONSD_BENCH_PG_URL) await measure('postgres', process.env.PERSONSD_BENCH_PG_URL);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
