import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { type Store, openStore } from '../../src/store/db.ts';
import { type IsolatedDatabase, isolatedDatabase } from '../helpers/isolated-database.ts';
import { testBackends } from '../helpers/server.ts';

const BIN = fileURLToPath(new URL('../../bin/personsd.js', import.meta.url));

function personsd(args: string[], databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' };
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const backend of testBackends()) {
  describe(`personsd seed [${backend.name}]`, () => {
    let database: IsolatedDatabase;
    let store: Store;
    const dir = mkdtempSync(join(tmpdir(), 'personsd-seed-'));
    before(async () => {
      database = await isolatedDatabase(backend);
    });
    after(async () => {
      await store?.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('generates realistic persons with organizations and deals, the same for the same seed', async () => {
      const first = await personsd(['seed', '--persons', '60', '--locale', 'de', '--seed', '7'], database.url);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stderr, /seeded 60 persons, 6 organizations and 12 deals into company 1/);
      store = openStore(parseDatabaseUrl(database.url, 2));
      const persons = await store.db.selectFrom('persons').select(['name', 'emails', 'phones', 'org_id', 'job_title']).where('company_id', '=', 1).orderBy('id').execute();
      assert.equal(persons.length, 60);
      const emails = persons.map((p) => JSON.parse(p.emails)[0].value as string);
      assert.equal(new Set(emails).size, 60, 'every generated e-mail is its own');
      assert.ok(persons.every((p) => p.name.includes(' ') && JSON.parse(p.phones)[0].value.startsWith('+49')));
      assert.ok(persons.some((p) => p.org_id !== null) && persons.some((p) => p.org_id === null));
      const deals = await store.db.selectFrom('deals').select(['person_id']).where('company_id', '=', 1).execute();
      assert.equal(deals.length, 12);
      assert.ok(deals.every((d) => d.person_id !== null));

      const again = await personsd(['seed', '--persons', '3', '--locale', 'de', '--seed', '7'], database.url);
      assert.equal(again.code, 0, again.stderr);
      const latest = await store.db.selectFrom('persons').select('name').where('company_id', '=', 1).orderBy('id', 'desc').limit(3).execute();
      assert.deepEqual(latest.map((p) => p.name).reverse(), persons.slice(0, 3).map((p) => p.name));
    });

    it('loads a fixtures document in one transaction and prints the ids, or writes nothing', async () => {
      const good = join(dir, 'good.json');
      writeFileSync(good, JSON.stringify({ organizations: { acme: { name: 'Acme' } }, persons: { ada: { name: 'Ada Lovelace', org: 'acme' } } }));
      const loaded = await personsd(['seed', '--file', good], database.url);
      assert.equal(loaded.code, 0, loaded.stderr);
      const ids = JSON.parse(loaded.stdout);
      store ??= openStore(parseDatabaseUrl(database.url, 2));
      const ada = await store.db.selectFrom('persons').select(['name', 'org_id']).where('id', '=', ids.persons.ada).executeTakeFirstOrThrow();
      assert.deepEqual(ada, { name: 'Ada Lovelace', org_id: ids.organizations.acme });

      const count = async () => (await store.db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      const before = Number(await count());
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ persons: { eve: { name: 'Eve', org: 'nowhere' }, bob: { name: 'Bob' } } }));
      const refused = await personsd(['seed', '--file', bad], database.url);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /persons\.eve\.org refers to organizations "nowhere"/);
      assert.equal(Number(await count()), before, 'nothing written');
    });

    it('refuses bad arguments in one line', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['seed', '--persons', 'many'], /--persons must be a whole number/],
        [['seed', '--persons', '5', '--locale', 'xx'], /unknown locale "xx"/],
        [['seed', '--file', join(dir, 'missing.json')], /cannot read .*missing\.json: ENOENT/],
        [['seed'], /^personsd seed: give either --file or --persons \(see personsd seed --help\)\n$/],
      ];
      for (const [args, message] of cases) {
        const result = await personsd(args, database.url);
        assert.notEqual(result.code, 0, args.join(' '));
        assert.match(result.stderr, message, args.join(' '));
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      }
    });
  });
}
