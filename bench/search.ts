// npm run bench:search — seeds N persons (default 1,000,000) through the store's bulk path together with their
// search index, starts personsd as a separate process and measures GET /api/v2/persons/search over real HTTP with
// a fixed set of queries, one request at a time. See docs/benchmarks.md ("Person search").
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDatabaseUrl } from '../src/app/config.ts';
import { applyPersonInput } from '../src/domain/person-model/person-input.ts';
import { emptyPersonValues } from '../src/domain/person-model/person-row.ts';
import { rebuildSearchIndexIfStale } from '../src/domain/search/search-index.ts';
import { issueToken } from '../src/domain/users/tokens.ts';
import { createCompany } from '../src/domain/users/users.service.ts';
import { type Store, openStore } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { rebuildIdentityKeysIfStale } from '../src/domain/identity/identity-rebuild.ts';
import { refreshStatisticsAfterRebuild } from '../src/store/planner-statistics.ts';
import { refreshImportStatistics } from '../src/store/repositories/person-transfer.repository.ts';
import { analyzeSearchIndex, compactSearchIndex } from '../src/store/repositories/search.repository.ts';
import { ensureSetting, getSetting } from '../src/store/repositories/settings.repository.ts';
import { cpuTimeMicros, freePort, startChild } from './processes.ts';
import { progressBar } from './progress.ts';
import { RARE_PERSONS, benchPerson } from './search-data.ts';
import { type SeedPerson, seedBatchWriter, seedPersonOf } from './seed-batch.ts';

const PERSONS_PER_TRANSACTION = 5000;
const LIMIT = 100;
const log = (message: string) => process.stderr.write(message + '\n');

function settings() {
  const { values } = parseArgs({ options: { persons: { type: 'string' }, rounds: { type: 'string' }, database: { type: 'string' } } });
  const int = (raw: string | undefined, fallback: number, name: string) => {
    if (raw === undefined || raw === '') return fallback;
    const cleaned = raw.replace(/_/g, '');
    if (!/^\d+$/.test(cleaned)) throw new Error(`${name} must be a whole number, got "${raw}"`);
    return Number(cleaned);
  };
  const persons = int(values.persons ?? process.env.BENCH_PERSONS, 1_000_000, 'persons');
  const dir = process.env.BENCH_DIR || join(tmpdir(), 'personsd-bench');
  mkdirSync(dir, { recursive: true });
  return {
    persons,
    rounds: int(values.rounds ?? process.env.BENCH_SEARCH_ROUNDS, 20, 'rounds'),
    databaseUrl: values.database ?? process.env.BENCH_SEARCH_DATABASE_URL ?? `sqlite:${join(dir, `search-${persons}.db`)}`,
  };
}

interface Tenant {
  companyId: number;
  token: string;
  seededPerSecond: number | null;
}

/** Seeds the data set once per database and N; later runs find it through a settings row and reuse it. */
async function seed(store: Store, count: number): Promise<Tenant> {
  const marker = `bench_search_tenant_${count}`;
  const token = `personsd-search-bench-${count}`;
  const existing = await getSetting(store.db, marker);
  if (existing !== undefined) return { ...(JSON.parse(existing) as { companyId: number }), token, seededPerSecond: null };

  const { companyId, admin } = await store.db.transaction().execute(async (trx) => {
    const made = await createCompany(trx, { name: `search bench ${count}`, adminName: 'Bench Admin', adminEmail: `search-bench-${count}-${Date.now()}@example.com` });
    await issueToken(trx, made.companyId, made.admin.id, token);
    return made;
  });
  // As bench/seed.ts: formats settled first, and each batch writes its persons' identity keys, so `personsd migrate`
  // does not re-key (and then re-index) every seeded person before the server starts.
  await rebuildIdentityKeysIfStale(store.db, undefined);
  await rebuildSearchIndexIfStale(store.db);
  const bar = progressBar(`seeding ${count.toLocaleString('en')} persons with their search index (${store.dialect})`, count);
  const started = performance.now();
  const now = new Date().toISOString().slice(0, 19) + 'Z';
  const write = seedBatchWriter(store, companyId);
  for (let start = 0; start < count; start += PERSONS_PER_TRANSACTION) {
    const batch: SeedPerson[] = [];
    for (let i = start; i < Math.min(count, start + PERSONS_PER_TRANSACTION); i++) {
      batch.push(seedPersonOf(applyPersonInput(emptyPersonValues(admin.id, now), benchPerson(i), true, now)));
    }
    await write(batch);
    bar.tick(batch.length);
  }
  bar.done();
  const seededPerSecond = count / ((performance.now() - started) / 1000);
  // As `personsd import` and a rebuild do (see bench/seed.ts): statistics where the planner keeps them, and the
  // search index merged into one piece.
  await refreshImportStatistics(store.db);
  await refreshStatisticsAfterRebuild(store.db, analyzeSearchIndex);
  await store.db.transaction().execute((trx) => compactSearchIndex(trx));
  await ensureSetting(store.db, marker, JSON.stringify({ companyId }));
  return { companyId, token, seededPerSecond };
}

interface Query {
  label: string;
  params: Record<string, string>;
}

/** At least 30 fixed queries: name fragments, email parts, phone digits, notes, rare and common terms, exact matches. */
function queries(count: number): Query[] {
  const known = benchPerson(Math.min(count - 1, 123_457));
  const q = (label: string, term: string, extra: Record<string, string> = {}): Query => ({ label, params: { term, ...extra } });
  return [
    q('common first name', 'john'),
    q('common first name', 'maria'),
    q('common last name', 'smith'),
    q('name fragment', 'ohn'),
    q('name fragment', 'erson'),
    q('name fragment', 'chmid'),
    q('name prefix', 'chris'),
    q('name prefix', 'alex'),
    q('2 characters', 'jo'),
    q('2 characters', 'an'),
    q('2 characters, inside words', 'xq'),
    q('accent-insensitive', 'muller'),
    q('accent-insensitive', 'sorensen'),
    q('two words', 'john smith'),
    q('two words, prefix', 'mary jo'),
    q('rare name', RARE_PERSONS[0].split(' ')[1].toLowerCase()),
    q('rare name fragment', 'brackenr'),
    q('no match', 'zzyzx'),
    q('email domain', 'gmail'),
    q('email domain', 'gmail.com'),
    q('email domain part', '@outlook'),
    q('email local part', 'john.smith'),
    q('email company', 'globex'),
    q('phone digits', '555'),
    q('phone digits', '4155'),
    q('phone, formatted', '+44 20'),
    q('phone, formatted', '(415) 555'),
    q('phone digits, long', known.phones![0].value.replace(/\D/g, '').slice(-7)),
    q('notes word', 'renewal'),
    q('notes words', 'budget approved'),
    q('notes fragment', 'onferen'),
    q('exact name', known.name!, { exact_match: 'true' }),
    q('exact email', known.emails![0].value, { exact_match: 'true' }),
    q('exact phone', known.phones![0].value, { exact_match: 'true' }),
    q('fields=email', 'smith', { fields: 'email' }),
    q('fields=phone', '0958', { fields: 'phone' }),
  ];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Each query repeated back to back, for the server's CPU time per request (what a busy machine distorts least). */
const CPU_BLOCK = 20;

async function measure(url: string, pid: number, token: string, list: Query[], rounds: number) {
  const headers = { 'x-api-token': token };
  const samples = list.map(() => [] as number[]);
  const hits: number[] = [];
  const cpuPerRequest: Array<number | undefined> = [];
  const run = async (index: number) => {
    const params = new URLSearchParams({ ...list[index].params, limit: String(LIMIT) });
    const started = performance.now();
    const response = await fetch(`${url}/api/v2/persons/search?${params}`, { headers });
    const body = (await response.json()) as { data?: { items: unknown[] } };
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`${list[index].label} (${params}) answered ${response.status}: ${JSON.stringify(body)}`);
    hits[index] = body.data!.items.length;
    return elapsed;
  };
  for (let i = 0; i < list.length; i++) await run(i);
  for (let round = 0; round < rounds; round++) {
    // Each round in another order, so no query always follows the same one.
    const order = list.map((_, i) => i).sort((a, b) => ((a * 7919 + round * 104_729) % 9973) - ((b * 7919 + round * 104_729) % 9973));
    for (const i of order) samples[i].push(await run(i));
  }
  for (let i = 0; i < list.length; i++) {
    const before = cpuTimeMicros(pid);
    for (let k = 0; k < CPU_BLOCK; k++) await run(i);
    const after = cpuTimeMicros(pid);
    cpuPerRequest[i] = before === undefined || after === undefined ? undefined : (after - before) / 1000 / CPU_BLOCK;
  }
  return { samples, hits, cpuPerRequest };
}

const fmt = (ms: number) => ms.toFixed(2);

async function main() {
  const s = settings();
  const store = openStore(parseDatabaseUrl(s.databaseUrl, 4));
  let tenant: Tenant;
  try {
    await migrateToLatest(store.db, store.dialect);
    await rebuildSearchIndexIfStale(store.db);
    tenant = await seed(store, s.persons);
  } finally {
    await store.close();
  }
  // What a deployment does before starting servers: migrations and any index rebuilds a format change asks for,
  // so none of that runs inside the server's start.
  log(`personsd migrate on ${s.databaseUrl}`);
  const migrate = spawnSync(process.execPath, ['bin/personsd.js', 'migrate'], { env: { ...process.env, DATABASE_URL: s.databaseUrl, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (migrate.status !== 0) throw new Error(`personsd migrate exited with ${migrate.status}`);
  const port = await freePort();
  log(`starting personsd on ${s.databaseUrl}`);
  // BENCH_CPU_PROF=dir: the server runs under `node --cpu-prof` (summarise with bench/profile-summary.ts).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const server = await startChild([...profile, 'bin/personsd.js', 'serve'], { DATABASE_URL: s.databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKERS: '1' }, port, '/health');
  try {
    const list = queries(s.persons);
    log(`measuring ${list.length} queries × ${s.rounds} rounds, one request at a time, limit ${LIMIT}`);
    const { samples, hits, cpuPerRequest } = await measure(server.url, server.process.pid as number, tenant.token, list, s.rounds);
    const cpuKnown = cpuPerRequest.filter((c): c is number => c !== undefined);
    const all = samples.flat().sort((a, b) => a - b);
    const out: string[] = [];
    out.push(`persons: ${s.persons.toLocaleString('en')}  database: ${s.databaseUrl.split(':')[0]}  cpus: ${cpus().length}  load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (tenant.seededPerSecond !== null) out.push(`seeded at ${Math.round(tenant.seededPerSecond).toLocaleString('en')} persons/s (persons, contacts and search index)`);
    out.push(`all ${all.length} requests: p50 ${fmt(percentile(all, 50))} ms  p95 ${fmt(percentile(all, 95))} ms  p99 ${fmt(percentile(all, 99))} ms  max ${fmt(all[all.length - 1])} ms`);
    if (cpuKnown.length > 0) out.push(`server CPU per request: mean ${fmt(cpuKnown.reduce((a, b) => a + b, 0) / cpuKnown.length)} ms, highest ${fmt(Math.max(...cpuKnown))} ms (${CPU_BLOCK} requests per query, 10 ms clock ticks)`);
    out.push('');
    out.push('| query | term | results | p50 ms | p99 ms | server CPU ms/request |');
    out.push('|---|---|---:|---:|---:|---:|');
    list.forEach((query, i) => {
      const sorted = samples[i].sort((a, b) => a - b);
      const extra = Object.entries(query.params).filter(([k]) => k !== 'term').map(([k, v]) => ` ${k}=${v}`).join('');
      const cpu = cpuPerRequest[i] === undefined ? '–' : fmt(cpuPerRequest[i] as number);
      out.push(`| ${query.label} | \`${query.params.term}\`${extra} | ${hits[i]} | ${fmt(percentile(sorted, 50))} | ${fmt(percentile(sorted, 99))} | ${cpu} |`);
    });
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
