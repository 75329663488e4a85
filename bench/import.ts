/*
 * npm run bench:import: imports a generated CSV of BENCH_IMPORT_ROWS persons (default 100,000) into a fresh SQLite
 * database (and PostgreSQL with BENCH_PG_URL) through the import service, the path `personsd import` and
 * POST /api/v2/persons/import share, with duplicate checks on (policy reject; the file holds duplicates of itself
 * and of persons already there). Prints rows/s and the report's counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDatabaseUrl } from '../src/app/config.ts';
import { createCompany } from '../src/domain/users/users.service.ts';
import { createServices } from '../src/app/services.ts';
import { openStore } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus', 'Frances', 'John', 'Sophie', 'Tim', 'Anita', 'Jérôme'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds', 'Allen', 'Backus', 'Müller', 'Berners-Lee', 'Borg', 'Ritchie'];
const ORGS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', ''];

/** name, email, a national French phone (region FR), job title, organization (by name), a custom field; 1% duplicates. */
function csv(rows: number): string {
  const lines = ['name,email,phone,job_title,Organization,Tier'];
  for (let i = 0; i < rows; i++) {
    const n = i % 100 === 99 ? i - 50 : i; // every 100th row repeats an earlier row's email
    const first = FIRST[n % FIRST.length];
    const last = LAST[Math.floor(n / FIRST.length) % LAST.length];
    const phone = `06 ${String(10 + (n % 90)).padStart(2, '0')} ${String(Math.floor(n / 90) % 100).padStart(2, '0')} ${String(Math.floor(n / 9000) % 100).padStart(2, '0')} ${String(n % 97).padStart(2, '0')}`;
    lines.push(`${first} ${last} ${n},${first.toLowerCase()}.${n}@example-${n % 50}.com,${phone},${i % 3 === 0 ? 'CTO' : 'Engineer'},${ORGS[n % ORGS.length]},${i % 2 ? 'Gold' : 'Silver'}`);
  }
  return lines.join('\n') + '\n';
}

async function run(name: string, url: string): Promise<void> {
  const store = openStore(parseDatabaseUrl(url, 5));
  await migrateToLatest(store.db, store.dialect);
  const services = await createServices(store, { defaultRegion: 'FR' });
  const { companyId, admin } = await store.db
    .transaction()
    .execute((trx) => createCompany(trx, { name: `import bench ${Date.now()}`, adminName: 'Bench', adminEmail: `import-${Date.now()}@example.com` }));
  const actor = { userId: admin.id, companyId, isAdmin: true };
  await services.personFields.create(actor, { name: 'Tier', type: 'enum', options: [{ label: 'Gold' }, { label: 'Silver' }] } as never, { name: 'field_name' });
  // Persons already there that the file duplicates.
  for (let i = 0; i < 100; i++) await services.persons.create(actor, { name: `Existing ${i}`, emails: [{ value: `ada.${i * 16}@example-${(i * 16) % 50}.com` }] });
  const file = Buffer.from(csv(ROWS));
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const report = await services.personImport.importCsv(actor, file, { duplicatePolicy: 'reject' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  console.log(
    `${name}: ${ROWS.toLocaleString('en')} rows (${(file.length / 1e6).toFixed(1)} MB) in ${seconds.toFixed(2)} s = ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s, ` +
      `CPU ${((used.user + used.system) / 1e6).toFixed(1)} s; created ${report.created}, skipped ${report.skipped}, rejected ${report.rejected}`,
  );
  const found = await services.search.searchPersons(actor, { term: '+33 6 11 00 00 01' });
  console.log(`${name}: search by E.164 after import finds ${found.items.length} person(s)`);
  await store.close();
}

const dir = mkdtempSync(join(tmpdir(), 'personsd-import-bench-'));
try {
  await run('sqlite', `sqlite:${join(dir, 'import.db')}`);
  if (process.env.BENCH_PG_URL) await run('postgres', process.env.BENCH_PG_URL);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
