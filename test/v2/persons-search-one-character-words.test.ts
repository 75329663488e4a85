import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { SEARCH_INDEX_VERSION, rebuildSearchIndexIfStale } from '../../src/domain/search/search-index.ts';
import type { Executor } from '../../src/store/executor.ts';
import { catchUpSearchIndex, tierCandidates } from '../../src/store/repositories/search.repository.ts';
import { isOneCharacterWord, termTokens } from '../../src/store/search/index-lookups.ts';
import type { ColumnMatch } from '../../src/store/search/search-match.ts';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

async function addPerson(api: Api, name: string, email: string): Promise<number> {
  const res = await api.post('/api/v2/persons', { name, emails: [{ value: email }] });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data.id;
}

/** The terms index's candidates of one whole-word match in the email column, at most a page of them. */
async function wholeWordCandidates(db: Executor, companyId: number, text: string): Promise<number[]> {
  await catchUpSearchIndex(db);
  const match: ColumnMatch = { column: 'email', kind: 'word', text };
  const rows = await tierCandidates(db, { entity: 'person', tiers: [[match]] }, companyId, 0, 0, 100);
  return rows.map((row) => row.id);
}

const version = async (db: Executor) => (await sql<{ value: string }>`select value from settings where key = 'search_index_version'`.execute(db)).rows[0]?.value;

for (const backend of testBackends()) {
  describe(`search terms with 1-character words [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('are narrowed by the index to the persons holding the word, not every person with the other words', async () => {
      const { api, companyId } = await newTenant(server);
      for (let n = 10; n < 130; n++) await addPerson(api, `Ada Lovelace ${n}`, `ada.lovelace.${n}@example.com`);
      const eight = await addPerson(api, 'Ada Lovelace 8', 'ada.lovelace.8@example.com');
      const j = await addPerson(api, 'J. Smith', 'j.smith@acme.example');
      await addPerson(api, 'K. Smith', 'k.smith@acme.example');
      // Without the 1-character word in the index, each lookup is a superset the check in code must wade through:
      // a page of Lovelaces, both Smiths.
      assert.deepEqual(await wholeWordCandidates(server.store.db, companyId, 'ada . lovelace . 8 @ example . com'), [eight]);
      assert.deepEqual(await wholeWordCandidates(server.store.db, companyId, 'j . smith @ acme . example'), [j]);
      const res = await api.get(`/api/v2/persons/search?term=${encodeURIComponent('ada.lovelace.8@example.com')}`);
      assert.deepEqual(res.body.data.items.map((i: { item: { name: string } }) => i.item.name), ['Ada Lovelace 8']);
    });

    it('are added to an index of version 7 by rewriting only the rows that hold one', async () => {
      const own = await startTestServer(backend);
      try {
        const { api, companyId } = await newTenant(own);
        const j = await addPerson(api, 'J. Smith', 'j.smith@acme.example');
        const k = await addPerson(api, 'K. Smith', 'k.smith@acme.example');
        const mary = await addPerson(api, 'Mary Major', 'mary@acme.example');
        const db = own.store.db;
        await catchUpSearchIndex(db);
        await dropOneCharacterWordTerms(db, backend.name, companyId, [j, k]);
        // A row without such a word is left alone: a rebuild would write this search row afresh from the person.
        await sql`update person_search set notes = 'left alone' where person_id = ${mary}`.execute(db);
        await sql`update settings set value = '7' where key = 'search_index_version'`.execute(db);
        assert.deepEqual(await wholeWordCandidates(db, companyId, 'j . smith @ acme . example'), [], 'version 7 lacks the word the lookup asks for');

        assert.equal(await rebuildSearchIndexIfStale(db), true);
        assert.equal(await version(db), SEARCH_INDEX_VERSION);
        assert.deepEqual(await wholeWordCandidates(db, companyId, 'j . smith @ acme . example'), [j]);
        assert.deepEqual(await wholeWordCandidates(db, companyId, 'k . smith @ acme . example'), [k]);
        // Every other entry is as it was: searches of the other words still find them all.
        const res = await api.get('/api/v2/persons/search?term=acme.example');
        assert.equal(res.body.data.items.length, 3);
        assert.equal(await rebuildSearchIndexIfStale(db), false, 'current now');
        const marked = await sql<{ notes: string }>`select notes from person_search where person_id = ${mary}`.execute(db);
        assert.equal(marked.rows[0].notes, 'left alone', 'no rebuild');
      } finally {
        await own.close();
      }
    });
  });
}

/** Leaves the rows' terms as version 7 wrote them: without their 1-character words. */
async function dropOneCharacterWordTerms(db: Executor, backend: string, companyId: number, ids: number[]): Promise<void> {
  const docs = await sql<{ person_id: number; name: string; email: string; phone: string; custom: string; notes: string }>`
    select person_id, name, email, phone, custom, notes from person_search where company_id = ${companyId} and person_id in (${sql.join(ids)})`.execute(db);
  for (const row of docs.rows) {
    const all = termTokens('person', { name: row.name, email: row.email, phone: row.phone, custom: row.custom, notes: row.notes });
    const older = all.filter((term) => !(term.length === 2 && isOneCharacterWord(term[1])));
    assert.ok(older.length < all.length);
    if (backend === 'postgres') {
      const dropped = all.filter((term) => !older.includes(term));
      await sql`delete from person_terms where company_id = ${companyId} and person_id = ${row.person_id} and term in (${sql.join(dropped)})`.execute(db);
    } else {
      await sql`delete from person_search_terms where rowid = ${row.person_id}`.execute(db);
      await sql`insert into person_search_terms (rowid, tokens) values (${row.person_id}, ${older.join(' ')})`.execute(db);
    }
  }
}
