import { applyPersonInput, type PersonInput } from '../src/domain/person-model/person-input.ts';
import { emptyPersonValues } from '../src/domain/person-model/person-row.ts';
import { rebuildSearchIndexIfStale } from '../src/domain/search/search-index.ts';
import { rebuildIdentityKeysIfStale } from '../src/domain/identity/identity-rebuild.ts';
import { toStoredTime } from '../src/domain/time.ts';
import { issueToken } from '../src/domain/users/tokens.ts';
import { createCompany } from '../src/domain/users/users.service.ts';
import type { Store } from '../src/store/db.ts';
import { refreshStatisticsAfterRebuild } from '../src/store/planner-statistics.ts';
import { refreshImportStatistics } from '../src/store/repositories/person-transfer.repository.ts';
import { analyzeSearchIndex, compactSearchIndex } from '../src/store/repositories/search.repository.ts';
import { ensureSetting, getSetting } from '../src/store/repositories/settings.repository.ts';
import { progressBar } from './progress.ts';
import { type SeedPerson, seedBatchWriter, seedPersonOf } from './seed-batch.ts';

/** The seeded tenant the scenarios run as. Its persons have the ids minId..maxId, all live. */
export interface SeededTenant {
  companyId: number;
  userId: number;
  token: string;
  minId: number;
  maxId: number;
  /** Persons written per second with their search rows, when this call seeded them (not when they were there). */
  seededPerSecond?: number;
}

const PERSONS_PER_TRANSACTION = 5000;
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus', 'Frances', 'John', 'Sophie', 'Tim', 'Anita', 'Dennis'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds', 'Allen', 'Backus', 'Wilson', 'Berners-Lee', 'Borg', 'Ritchie'];
const TITLES = ['CTO', 'Engineer', 'Sales lead', 'Buyer', null, null];

/**
 * Makes a company with `count` persons, through the store's bulk path (not HTTP), or finds the one an earlier run
 * made: a settings row per count remembers it, so later runs on the same database reuse the data. Rows are built
 * by the same domain functions the API's create uses, so they are what the API would have stored.
 */
export async function seedTenant(store: Store, count: number): Promise<SeededTenant> {
  const marker = `bench_tenant_${count}`;
  const token = `personsd-bench-token-${count}`;
  const existing = await getSetting(store.db, marker);
  if (existing !== undefined) return { ...(JSON.parse(existing) as Omit<SeededTenant, 'token'>), token };

  const { companyId, admin } = await store.db.transaction().execute(async (trx) => {
    const made = await createCompany(trx, { name: `bench ${count}`, adminName: 'Bench Admin', adminEmail: `bench-${count}-${Date.now()}@example.com` });
    await issueToken(trx, made.companyId, made.admin.id, token);
    return made;
  });

  // Brings the identity keys' and the index's formats up to date first, so the server does not re-key and re-index
  // these persons on start (a re-keying also invalidates the index); each batch writes its own keys and index rows.
  await rebuildIdentityKeysIfStale(store.db, undefined);
  await rebuildSearchIndexIfStale(store.db);
  const bar = progressBar(`seeding ${count.toLocaleString('en')} persons (${store.dialect})`, count);
  const spanMs = 3 * 365 * 86_400_000;
  const firstTime = Date.now() - spanMs;
  let minId = Number.POSITIVE_INFINITY;
  let maxId = 0;
  const seedStart = performance.now();
  const write = seedBatchWriter(store, companyId);
  for (let start = 0; start < count; start += PERSONS_PER_TRANSACTION) {
    const batch: SeedPerson[] = [];
    for (let i = start; i < Math.min(count, start + PERSONS_PER_TRANSACTION); i++) {
      batch.push(benchPerson(i, admin.id, toStoredTime(new Date(firstTime + Math.floor((i / count) * spanMs)))));
    }
    const ids = await write(batch);
    minId = Math.min(minId, ids[0]);
    maxId = Math.max(maxId, ids[ids.length - 1]);
    bar.tick(batch.length);
  }
  bar.done();
  // As `personsd import` and a rebuild do: planner statistics of the filled tables (PostgreSQL analyze, SQLite PRAGMA
  // optimize),
  // the search index merged into one piece, then (PostgreSQL) a vacuum of the terms tables, which is what autovacuum
  // would do on a deployment (it is off on this machine). Without it no page of person_terms is all-visible, every
  // term lookup reads the heap, and the bench's search at 1,000,000 persons answered 3 requests/s instead of 186.
  // Part of the seeding's time.
  await refreshImportStatistics(store.db);
  await store.db.transaction().execute((trx) => compactSearchIndex(trx));
  await refreshStatisticsAfterRebuild(store.db, analyzeSearchIndex);
  const seededPerSecond = count / ((performance.now() - seedStart) / 1000);
  const tenant = { companyId, userId: admin.id, minId, maxId };
  await ensureSetting(store.db, marker, JSON.stringify(tenant));
  return { ...tenant, token, seededPerSecond };
}

/** The name and email of the i-th seeded person (the search scenario looks persons up by them). */
export function seededIdentity(i: number): { name: string; email: string } {
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  return { name: `${first} ${last} ${i}`, email: `${first}.${last}.${i}@example.com`.toLowerCase() };
}

function benchPerson(i: number, ownerId: number, addTime: string): SeedPerson {
  const { name, email } = seededIdentity(i);
  const input: PersonInput = {
    name,
    emails: [{ value: email, label: 'work', primary: true }],
    phones: [{ value: `+1 415 ${String(i % 1000).padStart(3, '0')} ${String(i % 10000).padStart(4, '0')}`, label: 'mobile' }],
    job_title: TITLES[i % TITLES.length],
    add_time: addTime,
  };
  return seedPersonOf(applyPersonInput(emptyPersonValues(ownerId, addTime), input, true, addTime));
}
