import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseTerm, planSearch, tierOf } from '../../src/domain/search/search-plan.ts';
import { compactSearchIndex, loadSearchDocs } from '../../src/store/repositories/search.repository.ts';
import { type Tenant, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';
import { created, searchPage } from '../helpers/search.ts';

/*
 * Person search reads each tier from the index, several tiers at once where one lookup can serve them, and checks
 * each candidate in code. Whatever the index reads, the pages must list exactly what ranking every row would: each
 * matching person once, by tier and then id. Terms are cut from the persons' own names and emails, so most match
 * something, in several tiers at once.
 */

const WORDS = ['ann', 'anna', 'lee', 'leeds', 'ole', 'olek', 'nash', 'ash', 'van', 'vance', 'dee', 'ed'];
const DOMAINS = ['acme.io', 'ann.com', 'lee.org'];

const personArb = fc.record({
  words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
  number: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  domain: fc.constantFrom(...DOMAINS),
  separator: fc.constantFrom('.', '_', ''),
});

function personOf(p: { words: string[]; number?: number; domain: string; separator: string }) {
  const name = [...p.words.map((w) => w[0].toUpperCase() + w.slice(1)), ...(p.number === undefined ? [] : [String(p.number)])].join(' ');
  const local = [...p.words, ...(p.number === undefined ? [] : [String(p.number)])].join(p.separator);
  return { name, emails: [{ value: `${local}@${p.domain}`, label: 'work', primary: true }] };
}

/** A piece of a value: all of it, or a substring of 2 or more characters, sometimes across word boundaries. */
function termArb(values: string[]) {
  return fc
    .record({ value: fc.constantFrom(...values), start: fc.nat(), length: fc.integer({ min: 2, max: 24 }), whole: fc.boolean() })
    .map(({ value, start, length, whole }) => {
      if (whole || value.length <= 2) return value;
      const from = start % (value.length - 1);
      return value.slice(from, Math.min(value.length, from + length));
    })
    .filter((term) => term.trim().replace(/[^a-z0-9]/gi, '').length >= 2);
}

for (const backend of testBackends()) {
  describe(`person search ranking, property [${backend.name}]`, () => {
    let server: TestServer;
    let tenant: Tenant;
    let values: string[];
    before(async () => {
      server = await startTestServer(backend);
      tenant = await newTenant(server);
      const persons = fc.sample(personArb, { numRuns: 60, seed: 4242 }).map(personOf);
      for (const person of persons) await created(tenant.api, '/api/v2/persons', person);
      values = persons.flatMap((p) => [p.name, p.emails[0].value]);
    });
    after(() => server.close());

    const listsEveryMatch = async () => {
      const ids = (await server.store.db.selectFrom('persons').select('id').where('company_id', '=', tenant.companyId).execute()).map((r) => r.id);
      const docs = await loadSearchDocs(server.store.db, 'person', tenant.companyId, ids);
      await fc.assert(
        fc.asyncProperty(termArb(values), fc.constantFrom(3, 7, 100), async (term, limit) => {
          const plan = planSearch('person', parseTerm(term, false), undefined, false);
          const expected = docs
            .map((row) => ({ id: row.id, tier: tierOf(plan, row.doc) }))
            .filter((r) => r.tier >= 0)
            .sort((a, b) => a.tier - b.tier || a.id - b.id)
            .map((r) => r.id);
          const found: number[] = [];
          let cursor: string | null = null;
          do {
            const page = await searchPage(tenant.api, '/api/v2/persons/search', { term, limit, ...(cursor ? { cursor } : {}) });
            found.push(...page.items.map((i) => i.item.id as number));
            cursor = page.nextCursor;
          } while (cursor !== null && found.length <= expected.length);
          assert.deepEqual(found, expected, `term ${JSON.stringify(term)}, limit ${limit}`);
        }),
        { numRuns: 60, seed: 7 },
      );
    };

    it('lists every matching person once, by tier then id, across cursor pages', listsEveryMatch);

    it('lists the same once the index is compacted (as after a rebuild or a bulk load) and written to again', async () => {
      await server.store.db.transaction().execute((trx) => compactSearchIndex(trx));
      for (const person of fc.sample(personArb, { numRuns: 10, seed: 99 }).map(personOf)) {
        await created(tenant.api, '/api/v2/persons', person);
        values.push(person.name, person.emails[0].value);
      }
      await listsEveryMatch();
    });
  });
}
