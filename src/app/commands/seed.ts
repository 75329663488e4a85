import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { stringify } from 'csv-stringify/sync';
import type { Actor } from '../../domain/actor.js';
import { bootstrapIfEmpty } from '../../domain/bootstrap.js';
import { fakeContacts } from '../../domain/testing/fake-contacts.js';
import { FixturesDocument, loadFixtures } from '../../domain/testing/fixtures.js';
import { type Config, ConfigError } from '../config.js';
import { type Services, createServices } from '../services.js';
import { progressLine } from './progress-line.js';
import { withStore } from './with-store.js';

/**
 * `personsd seed`: a fixtures document (as POST /_personsd/companies/{id}/fixtures takes it, all or nothing), or
 * generated realistic persons with organizations and deals, written as the company's first admin (default: the
 * first company) through the API's own services, so search, history and webhooks see them as API writes.
 */
export async function seedCommand(
  config: Config,
  values: { file?: string; persons?: string; locale?: string; seed?: string; company?: string },
): Promise<number> {
  const whole = (name: string, text: string | undefined, max: number) => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || Number(text) > max) throw new ConfigError(`--${name} must be a whole number up to ${max}, got "${text}"`);
    return Number(text);
  };
  const persons = whole('persons', values.persons, 10_000_000);
  const seed = whole('seed', values.seed, 2 ** 31);
  const companyId = whole('company', values.company, 2 ** 31);
  const document = values.file === undefined ? undefined : readFixtures(values.file);

  return withStore(config, async (store) => {
    const services = await createServices(store, { defaultRegion: config.identity?.defaultRegion });
    // A database nobody started yet gets its first company here, as `serve` would make it.
    const bootstrapped = await bootstrapIfEmpty(store.db, config.bootstrapToken);
    if (bootstrapped) console.error(`created the first company (${bootstrapped.companyId}), its admin (user ${bootstrapped.userId}) and this API token: ${bootstrapped.token}`);
    const company = companyId ?? (await firstCompany(services));
    const admin = await services.tenants.adminOf(company);
    if (document) {
      const ids = await services.inOneTransaction((scoped) => loadFixtures(scoped, admin, document));
      process.stdout.write(JSON.stringify(ids, null, 2) + '\n');
    } else {
      await seedFakeContacts(services, admin, { persons: persons ?? 0, locale: values.locale, seed });
    }
    return 0;
  });
}

function readFixtures(path: string): FixturesDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${error instanceof SyntaxError ? 'not JSON' : (error as NodeJS.ErrnoException).code ?? error}`);
  }
  const problem = Value.Errors(FixturesDocument, parsed).First();
  if (problem) throw new ConfigError(`${path} is not a fixtures document: ${problem.path || '/'} ${problem.message}`);
  return parsed as FixturesDocument;
}

async function firstCompany(services: Services): Promise<number> {
  const row = await services.store.db.selectFrom('companies').select('id').orderBy('id').executeTakeFirst();
  if (!row) throw new ConfigError('the database has no company; pass --company <id>');
  return row.id;
}

async function seedFakeContacts(services: Services, admin: Actor, options: { persons: number; locale?: string; seed?: number }): Promise<void> {
  const started = Date.now();
  const fake = fakeContacts(options);
  const orgIds: number[] = [];
  for (const org of fake.organizations) orgIds.push((await services.organizations.create(admin, { name: org.name, address: { value: org.address } })).id);
  // Persons go through the import's batched path: the same rules as a create, at thousands a second.
  const csv = stringify([
    ['name', 'email', 'phone', 'job_title', 'org_id'],
    ...fake.persons.map((p) => [p.name, p.email, p.phone, p.jobTitle, p.organization === null ? '' : String(orgIds[p.organization])]),
  ]);
  const progress = progressLine(fake.persons.length, 'seed');
  let done = 0;
  const report = await services.personImport.importCsv(admin, Buffer.from(csv), {
    duplicatePolicy: 'allow',
    onProgress: (rows) => {
      progress.bytes(rows - done);
      done = rows;
      progress.rows(rows);
    },
  });
  progress.end();
  const personIds = report.rows.map((row) => row.id);
  let deals = 0;
  for (const deal of fake.deals) {
    const personId = personIds[deal.person];
    if (personId === undefined) continue;
    await services.deals.create(admin, { title: deal.title, value: deal.value, currency: 'EUR', status: deal.status, person_id: personId });
    deals++;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.error(`seeded ${report.created} persons, ${orgIds.length} organizations and ${deals} deals into company ${admin.companyId} in ${seconds} s`);
  if (report.rejected > 0) console.error(`${report.rejected} generated persons were rejected: ${report.rows.find((r) => r.status === 'rejected')?.reason}`);
}
