// npm run bench:console — how long the console takes to show its first page of persons on a large database: the
// same seeded databases as `npm run bench` (BENCH_PERSONS, default 1,000,000; SQLite, and PostgreSQL with
// BENCH_PG_URL), a signed-in user in Debian's Chromium (playwright-core), each load from a fresh page.
// See docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { parseDatabaseUrl } from '../src/app/config.ts';
import { ConsoleAuthService } from '../src/domain/access/console-auth.service.ts';
import { openStore } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { type Child, freePort, startChild } from './processes.ts';
import { seedTenant } from './seed.ts';

const PASSWORD = 'bench console password';
const env = process.env;
const persons = Number(env.BENCH_PERSONS?.replace(/_/g, '') || 1_000_000);
const loads = Number(env.BENCH_RUNS || 10);
const dir = env.BENCH_DIR || join(tmpdir(), 'personsd-bench');
mkdirSync(dir, { recursive: true });
const backends = [{ name: 'sqlite', url: `sqlite:${join(dir, `persons-${persons}.db`)}` }];
if (env.BENCH_PG_URL) backends.push({ name: 'postgres', url: env.BENCH_PG_URL });
const wanted = env.BENCH_BACKENDS?.split(',');
const executablePath = env.CHROMIUM_PATH || execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();

/** Seeds (or finds) the bench tenant and gives its admin a console password; returns the admin's e-mail. */
async function prepare(url: string): Promise<string> {
  const store = openStore(parseDatabaseUrl(url, 2));
  try {
    await migrateToLatest(store.db, store.dialect);
    const tenant = await seedTenant(store, persons);
    await new ConsoleAuthService(store.db).setPassword(tenant.companyId, tenant.userId, PASSWORD);
    const user = await store.db.selectFrom('users').select('email').where('id', '=', tenant.userId).executeTakeFirstOrThrow();
    return user.email;
  } finally {
    await store.close();
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(base: string, email: string) {
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const signIn = await context.newPage();
    await signIn.goto(`${base}/`);
    await signIn.getByLabel('E-mail').fill(email);
    await signIn.getByLabel('Password').fill(PASSWORD);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByRole('table', { name: 'Persons' }).locator('tbody tr').first().waitFor();
    await signIn.close();
    const paints: number[] = [];
    const rows: number[] = [];
    for (let i = 0; i < loads + 1; i++) {
      const page = await context.newPage();
      await page.goto(`${base}/`, { waitUntil: 'commit' });
      await page.getByRole('table', { name: 'Persons' }).locator('tbody tr').first().waitFor();
      // Both in milliseconds from the start of the navigation, as the browser measured them.
      const timing = await page.evaluate(() => ({
        shown: performance.now(),
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      }));
      await page.close();
      if (i === 0) continue; // the first load fills the browser's cache and warms the server
      paints.push(timing.paint);
      rows.push(timing.shown);
    }
    return { paints: paints.sort((a, b) => a - b), rows: rows.sort((a, b) => a - b) };
  } finally {
    await browser.close();
  }
}

console.log(`console first page at ${persons.toLocaleString('en')} persons, ${loads} loads each after one warm-up; load average ${loadavg()[0].toFixed(1)}`);
console.log('| backend | first contentful paint p50 ms | max ms | first page of persons shown p50 ms | max ms |');
console.log('|---|--:|--:|--:|--:|');
for (const backend of backends.filter((b) => !wanted || wanted.includes(b.name))) {
  const email = await prepare(backend.url);
  const port = await freePort();
  let child: Child | undefined;
  try {
    child = await startChild(['bin/personsd.js', 'serve'], { DATABASE_URL: backend.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKERS: '1' }, port, '/health');
    const { paints, rows } = await measure(`http://127.0.0.1:${port}`, email);
    const ms = (n: number) => n.toFixed(0);
    console.log(`| ${backend.name} | ${ms(percentile(paints, 50))} | ${ms(paints[paints.length - 1])} | ${ms(percentile(rows, 50))} | ${ms(rows[rows.length - 1])} |`);
  } finally {
    await child?.stop();
  }
}
