// npm run bench — drives personsd over real HTTP with autocannon, on SQLite and (with BENCH_PG_URL) PostgreSQL,
// against the ceiling of a bare node:http server measured in the same run. See docs/benchmarks.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { parseDatabaseUrl } from '../src/app/config.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { refreshAllStatistics } from '../src/store/planner-statistics.ts';
import { getSetting } from '../src/store/repositories/settings.repository.ts';
import { type Child, cpuTimeMicros, freePort, peakRss, postgresCpuMicros, processTree, resetPeakRss, runToEnd, startChild } from './processes.ts';
import { prepareFilters } from './filters.ts';
import { type Scenario, type ScenarioKey, scenarios } from './scenarios.ts';
import { type SeededTenant, seedTenant } from './seed.ts';

interface Settings {
  persons: number;
  duration: number;
  warmup: number;
  connections: number;
  mixedConnections: number;
  backends: Array<{ name: 'sqlite' | 'postgres'; url: string }>;
  only: Set<string> | undefined;
  logLevel: string;
  /** API processes serving the benchmark (WORKERS): 1, or 2 for the scaled-out shape. */
  workers: number;
  cpuProfileDir: string | undefined;
}

interface Row {
  backend: string;
  key: string;
  title: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  ratio: number | undefined;
  non2xx: number;
  errors: number;
  peakRssMb: number | undefined;
  cpuPerRequest: number | undefined;
  /** PostgreSQL's CPU time per answered request (its processes on this machine); undefined on SQLite. */
  dbCpuPerRequest: number | undefined;
  /** Of cpuPerRequest: the SQLite search index's merging in its worker thread (one API process only). */
  mergeCpuPerRequest: number | undefined;
}

function settings(): Settings {
  const env = process.env;
  const int = (name: string, fallback: number) => {
    const raw = env[name]?.replace(/_/g, '');
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number, got "${env[name]}"`);
    return Number(raw);
  };
  const persons = int('BENCH_PERSONS', 1_000_000);
  const dir = env.BENCH_DIR || join(tmpdir(), 'personsd-bench');
  mkdirSync(dir, { recursive: true });
  const backends: Settings['backends'] = [{ name: 'sqlite', url: `sqlite:${join(dir, `persons-${persons}.db`)}` }];
  if (env.BENCH_PG_URL) backends.push({ name: 'postgres', url: env.BENCH_PG_URL });
  const wanted = env.BENCH_BACKENDS?.split(',').map((b) => b.trim());
  return {
    persons,
    duration: int('BENCH_DURATION', 10),
    warmup: int('BENCH_WARMUP', 3),
    connections: int('BENCH_CONNECTIONS', 50),
    mixedConnections: int('BENCH_MIXED_CONNECTIONS', 100),
    backends: wanted ? backends.filter((b) => wanted.includes(b.name)) : backends,
    only: env.BENCH_SCENARIOS ? new Set(env.BENCH_SCENARIOS.split(',').map((s) => s.trim())) : undefined,
    logLevel: env.BENCH_LOG_LEVEL || 'warn',
    workers: int('BENCH_WORKERS', 1),
    cpuProfileDir: env.BENCH_CPU_PROF || undefined,
  };
}

const log = (message: string) => process.stderr.write(message + '\n');

async function load(url: string, connections: number, duration: number, requests: autocannon.Request[], headers: Record<string, string>) {
  return autocannon({ url, connections, duration, requests, headers, timeout: 10 });
}

interface Measured {
  result: autocannon.Result;
  /** Server CPU time (user + system) per answered request, in microseconds. */
  cpuPerRequest: number | undefined;
  dbCpuPerRequest: number | undefined;
  mergeCpuPerRequest?: number;
}

/** Runs a scenario after an unmeasured warm-up (JIT, caches), and returns the measured run. */
async function measure(
  url: string,
  pid: number,
  connections: number,
  s: Settings,
  requests: autocannon.Request[],
  headers: Record<string, string> = {},
  postgres = false,
  mergeMicros?: () => Promise<number | undefined>,
): Promise<Measured> {
  if (s.warmup > 0) await load(url, connections, s.warmup, requests, headers);
  const cpuBefore = treeCpuMicros(pid);
  const dbBefore = postgres ? postgresCpuMicros() : undefined;
  const mergeBefore = await mergeMicros?.();
  const result = await load(url, connections, s.duration, requests, headers);
  const cpuAfter = treeCpuMicros(pid);
  const dbAfter = postgres ? postgresCpuMicros() : undefined;
  const mergeAfter = await mergeMicros?.();
  const answered = result['2xx'] + result.non2xx;
  const per = (before: number | undefined, after: number | undefined) => (before === undefined || after === undefined || answered === 0 ? undefined : (after - before) / answered);
  return { result, cpuPerRequest: per(cpuBefore, cpuAfter), dbCpuPerRequest: per(dbBefore, dbAfter), mergeCpuPerRequest: per(mergeBefore, mergeAfter) };
}

/**
 * The time SQLite's merging worker has spent in merge steps, from the server's /metrics: part of the server's CPU
 * that no request asked for (the index is merged once writes pause, so read scenarios after writes pay for it).
 */
async function mergeMicrosOf(url: string): Promise<number | undefined> {
  const response = await fetch(`${url}/metrics`);
  const line = (await response.text()).split('\n').find((l) => l.startsWith('personsd_search_merge_seconds_total '));
  return line === undefined ? undefined : Number(line.split(' ')[1]) * 1_000_000;
}

/** CPU time of the server: its primary and every worker. */
function treeCpuMicros(pid: number): number | undefined {
  let total = 0;
  for (const each of processTree(pid)) {
    const micros = cpuTimeMicros(each);
    if (micros === undefined) return undefined;
    total += micros;
  }
  return total;
}

/** A measured row; a scenario's ratio to its ceiling is set once both ceiling runs are in. */
function row(backend: string, key: string, title: string, { result, cpuPerRequest, dbCpuPerRequest, mergeCpuPerRequest }: Measured, rss?: number): Row {
  return {
    cpuPerRequest,
    dbCpuPerRequest,
    mergeCpuPerRequest,
    backend,
    key,
    title,
    connections: result.connections,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ratio: undefined,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    peakRssMb: rss === undefined ? undefined : rss / 1024 / 1024,
  };
}

async function prepare(backend: Settings['backends'][number], persons: number): Promise<SeededTenant> {
  const store = openStore(parseDatabaseUrl(backend.url, 4));
  try {
    await migrateToLatest(store.db, store.dialect);
    return await seedTenant(store, persons);
  } finally {
    await store.close();
  }
}

async function withStore<T>(url: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(parseDatabaseUrl(url, 1));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function readSetting(url: string, key: string): Promise<string> {
  const value = await withStore(url, (store) => getSetting(store.db, key));
  if (value === undefined) throw new Error(`setting ${key} is missing`);
  return value;
}

async function startPersonsd(s: Settings, databaseUrl: string, label: string): Promise<Child> {
  const port = await freePort();
  const args = ['bin/personsd.js', 'serve'];
  if (s.cpuProfileDir) args.unshift('--cpu-prof', `--cpu-prof-dir=${join(s.cpuProfileDir, label)}`);
  return startChild(args, { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: s.logLevel, WORKERS: String(s.workers) }, port, '/health');
}

async function runBackend(s: Settings, backend: Settings['backends'][number]): Promise<Row[]> {
  log(`\n== ${backend.name}: ${s.persons.toLocaleString('en')} persons`);
  const tenant = await prepare(backend, s.persons);
  if (tenant.seededPerSecond !== undefined) seedRates.set(backend.name, tenant.seededPerSecond);
  // As a deployment does: `personsd migrate` brings the schema and every derived index up to date before the
  // server starts; then fresh planner statistics, since those rebuilds may have just filled large tables: on
  // PostgreSQL an `analyze`, standing in for autovacuum (off on this machine); on SQLite the PRAGMA optimize every
  // store runs when it opens (sqlite-statistics.ts).
  await runToEnd(['bin/personsd.js', 'migrate'], { DATABASE_URL: backend.url });
  await withStore(backend.url, (store) => refreshAllStatistics(store.db));
  const headers = { 'x-api-token': tenant.token };
  const rows: Row[] = [];
  const server = await startPersonsd(s, backend.url, backend.name);
  const scratch = mkdtempSync(join(tmpdir(), 'personsd-bench-bodies-'));
  try {
    // The ceilings answer with exactly what personsd answers: the same person body and the same 100-person page.
    const personBody = await (await fetch(`${server.url}/api/v2/persons/${tenant.minId}`, { headers })).text();
    const listResponse = await fetch(`${server.url}/api/v2/persons?limit=100`, { headers });
    if (!listResponse.ok) throw new Error(`listing persons failed: ${listResponse.status} ${await listResponse.text()}`);
    const listBody = await listResponse.text();
    const searchProbe = await fetch(`${server.url}/api/v2/persons/search?term=lovelace`, { headers });
    const searchAvailable = searchProbe.status === 200;
    await searchProbe.arrayBuffer();
    writeFileSync(join(scratch, 'person.json'), personBody);
    writeFileSync(join(scratch, 'list.json'), listBody);

    // The ceilings are measured before the scenarios and again after them, and each ratio is taken against the
    // higher: on this shared VM a ceiling run that met a busy moment came out at a quarter of its usual rate, which
    // made every ratio against it look four times better than it was.
    const ceilings: Record<'person' | 'list', number> = { person: 0, list: 0 };
    const measureCeilings = async (when: string) => {
      for (const [name, file, title] of [
        ['person', 'person.json', `bare node:http, fixed person body (${personBody.length} B)${when}`],
        ['list', 'list.json', `bare node:http, fixed 100-person body (${listBody.length} B)${when}`],
      ] as const) {
        if (s.only && !s.only.has('ceiling')) continue;
        const port = await freePort();
        const bare = await startChild(['--import', 'tsx', 'bench/ceiling-server.ts', String(port), join(scratch, file)], {}, port);
        try {
          log(`-- ceiling: ${title}`);
          const measured = await measure(bare.url, bare.process.pid!, s.connections, s, [{ method: 'GET', path: '/' }]);
          ceilings[name] = Math.max(ceilings[name], measured.result.requests.average);
          rows.push(row(backend.name, `ceiling-${name}`, title, measured, peakRss(bare.process.pid!)));
        } finally {
          await bare.stop();
        }
      }
    };
    await measureCeilings('');

    const cursorSecret = await readSetting(backend.url, 'cursor_secret');
    const filters = !s.only || s.only.has('filter') ? await prepareFilters(server.url, headers, tenant.userId) : undefined;
    const measured: Array<{ row: Row; ceiling: 'person' | 'list' }> = [];
    for (const scenario of scenarios(tenant, cursorSecret, { searchAvailable, mixedConnections: s.mixedConnections, filters })) {
      if (s.only && !s.only.has(scenario.key)) continue;
      const scenarioRow = await runScenario(s, backend.name, server, scenario, headers);
      rows.push(scenarioRow);
      measured.push({ row: scenarioRow, ceiling: scenario.ceiling });
    }
    if (measured.length > 0) await measureCeilings(', again after the scenarios');
    for (const { row: scenarioRow, ceiling } of measured) scenarioRow.ratio = ceilings[ceiling] > 0 ? scenarioRow.rps / ceilings[ceiling] : undefined;
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

async function runScenario(s: Settings, backend: string, server: Child, scenario: Scenario, headers: Record<string, string>): Promise<Row> {
  const connections = scenario.connections ?? s.connections;
  log(`-- ${scenario.title} (${connections} connections)`);
  const pid = server.process.pid!;
  for (const each of processTree(pid)) resetPeakRss(each);
  // With several API processes /metrics answers for one of them: the merging is then not told apart.
  const merging = backend === 'sqlite' && s.workers === 1 ? () => mergeMicrosOf(server.url) : undefined;
  const measured = await measure(server.url, pid, connections, s, scenario.requests, headers, backend === 'postgres', merging);
  if (measured.result.non2xx > 0) log(`   non-2xx responses: ${JSON.stringify(measured.result.statusCodeStats)}`);
  // Per API process: the largest of the primary and its workers.
  const rss = Math.max(...processTree(pid).map((each) => peakRss(each) ?? 0));
  return row(backend, scenario.key, scenario.title, measured, rss > 0 ? rss : undefined);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(rows: Row[]): string {
  const lines = [
    '| backend | scenario | conns | req/s | p50 ms | p99 ms | ratio to ceiling | server CPU µs/req | of it, index merging | database CPU µs/req | non-2xx | errors | peak RSS MB |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.backend} | ${r.title} | ${r.connections} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ` +
        `${r.ratio === undefined ? '—' : fmt(r.ratio, 2)} | ${r.cpuPerRequest === undefined ? '—' : fmt(r.cpuPerRequest)} | ${r.mergeCpuPerRequest === undefined ? '—' : fmt(r.mergeCpuPerRequest)} | ${r.dbCpuPerRequest === undefined ? '—' : fmt(r.dbCpuPerRequest)} | ${r.non2xx} | ${r.errors} | ${r.peakRssMb === undefined ? '—' : fmt(r.peakRssMb)} |`,
    );
  }
  return lines.join('\n');
}

/** Persons per second written by this run's seeding, per backend (absent when the database was already seeded). */
const seedRates = new Map<string, number>();

/** The targets of issue #19 (docs/benchmarks.md), checked against this run. */
function targets(rows: Row[]): string[] {
  const find = (backend: string, key: ScenarioKey) => rows.find((r) => r.backend === backend && r.key === key);
  const ratio = (min: number) => [(r: Row) => (r.ratio ?? 0) >= min, (r: Row) => fmt(r.ratio ?? 0, 2)] as const;
  const rate = (min: number) => [(r: Row) => r.rps >= min, (r: Row) => `${fmt(r.rps)}/s`] as const;
  const search = (min: number) => [(r: Row) => r.rps >= min && r.p99 <= 50, (r: Row) => `${fmt(r.rps)}/s, p99 ${fmt(r.p99)} ms`] as const;
  const checks: Array<[string, Row | undefined, readonly [(r: Row) => boolean, (r: Row) => string]]> = [
    ['GET by id ≥ 50% of the ceiling on SQLite', find('sqlite', 'get'), ratio(0.5)],
    ['GET by id ≥ 20% of the ceiling on PostgreSQL', find('postgres', 'get'), ratio(0.2)],
    ['list 100 ≥ 25% of its ceiling on SQLite', find('sqlite', 'list'), ratio(0.25)],
    ['list 100 ≥ 25% of its ceiling on PostgreSQL', find('postgres', 'list'), ratio(0.25)],
    ['create ≥ 3,000 persons/s on SQLite', find('sqlite', 'create'), rate(3000)],
    ['create ≥ 1,000 persons/s on PostgreSQL', find('postgres', 'create'), rate(1000)],
    ['PATCH ≥ 2,000 persons/s on SQLite', find('sqlite', 'patch'), rate(2000)],
    ['PATCH ≥ 800 persons/s on PostgreSQL', find('postgres', 'patch'), rate(800)],
    ['search ≥ 2,000 req/s with p99 ≤ 50 ms on SQLite', find('sqlite', 'search'), search(2000)],
    ['search ≥ 500 req/s with p99 ≤ 50 ms on PostgreSQL', find('postgres', 'search'), search(500)],
  ];
  const lines = checks
    .filter(([, r]) => r !== undefined)
    .map(([name, r, [ok, show]]) => `- ${ok(r!) ? 'met' : 'MISSED'}: ${name} (${show(r!)})`);
  for (const [backend, min] of [['sqlite', 20_000], ['postgres', 10_000]] as const) {
    const seeded = seedRates.get(backend);
    if (seeded !== undefined) lines.push(`- ${seeded >= min ? 'met' : 'MISSED'}: seeding with the search index ≥ ${fmt(min)} persons/s on ${backend} (${fmt(seeded)}/s)`);
  }
  for (const r of rows.filter((x) => x.peakRssMb !== undefined && !x.key.startsWith('ceiling'))) {
    if (r.peakRssMb! >= 300) lines.push(`- MISSED: peak RSS under 300 MB (${r.backend}, ${r.title}: ${fmt(r.peakRssMb!)} MB)`);
  }
  for (const r of rows.filter((x) => x.key === 'mixed')) {
    const ok = r.non2xx === 0 && r.errors === 0;
    lines.push(`- ${ok ? 'met' : 'MISSED'}: zero non-2xx and no errors at ${r.connections} connections on ${r.backend} (${r.non2xx} non-2xx, ${r.errors} errors)`);
  }
  return lines;
}

async function main(): Promise<void> {
  const s = settings();
  const started = new Date();
  const loadBefore = loadAverage();
  const rows: Row[] = [];
  for (const backend of s.backends) rows.push(...(await runBackend(s, backend)));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\n### Run of ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  console.log(
    `${hostname()}: ${cpus().length} × ${cpu}, ${fmt(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; ` +
      `${fmt(s.persons)} persons; ${s.connections} connections, ${s.duration} s per scenario after a ${s.warmup} s warm-up; ` +
      `server LOG_LEVEL=${s.logLevel}, ${s.workers} API process${s.workers === 1 ? '' : 'es'}; 1/5/15-minute load average before the run ${loadBefore}, after it ${loadAverage()}.\n`,
  );
  console.log(table(rows));
  console.log('\nTargets:\n' + targets(rows).join('\n'));
}

function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
