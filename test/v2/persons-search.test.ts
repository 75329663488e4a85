import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { personSearchDoc } from '../../src/domain/search/search-docs.ts';
import { saveNewSearchDoc } from '../../src/store/repositories/search.repository.ts';
import { Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

interface Item {
  result_score: number;
  item: Record<string, any>;
}

async function search(api: Api, params: Record<string, string | number | boolean>): Promise<{ items: Item[]; nextCursor: string | null }> {
  const res = await api.get(`/api/v2/persons/search?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.success, true);
  return { items: res.body.data.items, nextCursor: res.body.additional_data.next_cursor };
}

const names = (items: Item[]) => items.map((i) => i.item.name);

async function addPerson(api: Api, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await api.post('/api/v2/persons', body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

for (const backend of testBackends()) {
  describe(`v2 persons search [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    describe('matching', () => {
      it('finds a fragment anywhere inside a word of the name', async () => {
        const { api } = await newTenant(server);
        await addPerson(api, { name: 'Johnny Appleseed' });
        await addPerson(api, { name: 'Mary Major' });
        assert.deepEqual(names((await search(api, { term: 'ohnn' })).items), ['Johnny Appleseed']);
        assert.deepEqual(names((await search(api, { term: 'seed' })).items), ['Johnny Appleseed']);
        assert.deepEqual(names((await search(api, { term: 'appl' })).items), ['Johnny Appleseed']);
        assert.deepEqual(names((await search(api, { term: 'johnny appleseed' })).items), ['Johnny Appleseed']);
        for (const term of ['johnny apple', 'ohnny apple', 'y apples', 'ohnny appleseed']) {
          assert.deepEqual(names((await search(api, { term })).items), ['Johnny Appleseed'], `several words: ${term}`);
        }
        assert.deepEqual((await search(api, { term: 'appleseed johnny' })).items, [], 'several words in their order');
        assert.deepEqual((await search(api, { term: 'xylophone' })).items, []);
      });

      it('finds two-character fragments at the start of a word and inside one', async () => {
        const { api } = await newTenant(server);
        await addPerson(api, { name: 'Abbot Smith' });
        await addPerson(api, { name: 'Bobby Lee' });
        await addPerson(api, { name: 'Bo Chen' });
        await addPerson(api, { name: 'Carl Ray' });
        assert.deepEqual(names((await search(api, { term: 'bo' })).items), ['Bo Chen', 'Bobby Lee', 'Abbot Smith']);
        assert.deepEqual(names((await search(api, { term: 'ar' })).items), ['Carl Ray']);
      });

      it('finds any part of an email address', async () => {
        const { api } = await newTenant(server);
        await addPerson(api, { name: 'Jane Doe', emails: [{ value: 'jane.doe@acme-corp.com' }, { value: 'jd@home.example' }] });
        await addPerson(api, { name: 'Other', emails: [{ value: 'other@example.org' }] });
        for (const term of ['jane.doe@acme-corp.com', 'acme', 'acme-corp', 'doe@acme', 'corp.com', 'e.do', 'home.example']) {
          assert.deepEqual(names((await search(api, { term })).items), ['Jane Doe'], term);
        }
      });

      it('matches phones on their digits whatever the formatting', async () => {
        const { api } = await newTenant(server);
        await addPerson(api, { name: 'Phoebe', phones: [{ value: '+1 (415) 555-0100' }] });
        await addPerson(api, { name: 'Other', phones: [{ value: '020 7946 0958' }] });
        for (const term of ['4155550100', '555-0100', '+14155550100', '(415) 555', '+1 415 555 0100', '1415']) {
          assert.deepEqual(names((await search(api, { term })).items), ['Phoebe'], term);
        }
        assert.deepEqual((await search(api, { term: '4155550199' })).items, []);
        assert.deepEqual(names((await search(api, { term: '02079460958' })).items), ['Other']);
      });

      it('is case- and accent-insensitive', async () => {
        const { api } = await newTenant(server);
        await addPerson(api, { name: 'José Müller' });
        await addPerson(api, { name: 'Ærø Straße' });
        await addPerson(api, { name: 'ZOË KRAVITZ' });
        for (const term of ['jose', 'JOSÉ', 'muller', 'MÜLL', 'josé müller']) {
          assert.deepEqual(names((await search(api, { term })).items), ['José Müller'], term);
        }
        for (const term of ['aero', 'strasse', 'STRAẞE']) assert.deepEqual(names((await search(api, { term })).items), ['Ærø Straße'], term);
        assert.deepEqual(names((await search(api, { term: 'zoe kra' })).items), ['ZOË KRAVITZ']);
      });

      it('finds words and fragments of the notes', async () => {
        const { api } = await newTenant(server);
        await addPerson(api, { name: 'Noted', notes: 'Met at the Berlin conference;\nwants a demo in Q3' });
        await addPerson(api, { name: 'Plain' });
        for (const term of ['berlin', 'onferen', 'demo in q3', 'conference;']) {
          assert.deepEqual(names((await search(api, { term })).items), ['Noted'], term);
        }
      });

      it('finds searchable custom field values, and only those', async () => {
        const { api } = await newTenant(server);
        const field = async (field_type: string) => {
          const res = await api.post('/api/v2/personFields', { field_name: `My ${field_type}`, field_type });
          assert.equal(res.status, 200, JSON.stringify(res.body));
          return res.body.data.field_code as string;
        };
        const [varchar, phone, double, monetary, address, date] = await Promise.all(
          ['varchar', 'phone', 'double', 'monetary', 'address', 'date'].map((t) => field(t)),
        );
        const person = await addPerson(api, {
          name: 'Custom Carrier',
          custom_fields: {
            [varchar]: 'Gold tier',
            [phone]: '+44 20 7946 0958',
            [double]: 12.75,
            [monetary]: { value: 5400, currency: 'EUR' },
            [address]: { value: '1 Main St, Springfield' },
            [date]: '2024-02-29',
          },
        });
        await addPerson(api, { name: 'Nothing Custom' });
        for (const [term, matched] of [
          ['gold', 'Gold tier'],
          ['2079460958', '+44 20 7946 0958'],
          ['12.75', '12.75'],
          ['5400', '5400'],
          ['springf', '1 Main St, Springfield'],
        ]) {
          const { items } = await search(api, { term });
          assert.deepEqual(names(items), ['Custom Carrier'], term);
          assert.deepEqual(items[0].item.custom_fields, [matched], term);
        }
        assert.deepEqual((await search(api, { term: '2024-02-29' })).items, [], 'a date field is not searchable');
        assert.deepEqual(names((await search(api, { term: 'gold', fields: 'custom_fields' })).items), ['Custom Carrier']);
        assert.deepEqual((await search(api, { term: 'gold', fields: 'name,email,phone,notes' })).items, []);

        await api.patch(`/api/v2/persons/${person.id}`, { custom_fields: { [varchar]: 'Silver tier' } });
        assert.deepEqual((await search(api, { term: 'gold' })).items, [], 'a changed value is found no more');
        const deleted = await api.delete(`/api/v2/personFields/${varchar}`);
        assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
        assert.deepEqual((await search(api, { term: 'silver' })).items, [], "a deleted field's values are found no more");
      });

      it('searches only the fields asked for', async () => {
        const { api } = await newTenant(server);
        await addPerson(api, { name: 'Walter White', emails: [{ value: 'heisenberg@example.com' }] });
        await addPerson(api, { name: 'Jesse Pinkman', notes: 'knows heisenberg' });
        assert.deepEqual(names((await search(api, { term: 'heisenberg', fields: 'email' })).items), ['Walter White']);
        assert.deepEqual(names((await search(api, { term: 'heisenberg', fields: 'notes' })).items), ['Jesse Pinkman']);
        assert.deepEqual(names((await search(api, { term: 'heisenberg', fields: 'name,phone' })).items), []);
      });

      it('with exact_match finds only whole values, ignoring case', async () => {
        const { api } = await newTenant(server);
        await addPerson(api, { name: 'Jane Doe', emails: [{ value: 'jane@doe.example' }] });
        await addPerson(api, { name: 'Jane Doering' });
        await addPerson(api, { name: 'Q' });
        assert.deepEqual(names((await search(api, { term: 'JANE DOE', exact_match: true })).items), ['Jane Doe']);
        assert.deepEqual(names((await search(api, { term: 'jane@doe.example', exact_match: true })).items), ['Jane Doe']);
        assert.deepEqual((await search(api, { term: 'jane', exact_match: true })).items, []);
        assert.deepEqual(names((await search(api, { term: 'q', exact_match: true })).items), ['Q'], 'one character is enough with exact_match');
      });

      it('sees every write at once and never shows deleted persons', async () => {
        const { api } = await newTenant(server);
        const person = await addPerson(api, { name: 'Quentin Quarles' });
        assert.deepEqual(names((await search(api, { term: 'quarles' })).items), ['Quentin Quarles']);
        await api.patch(`/api/v2/persons/${person.id}`, { name: 'Quentin Zarkowski' });
        assert.deepEqual((await search(api, { term: 'quarles' })).items, []);
        assert.deepEqual(names((await search(api, { term: 'zarkow' })).items), ['Quentin Zarkowski']);

        const refused = await api.patch(`/api/v2/persons/${person.id}`, { name: 'Renamed Again', owner_id: 999_999 });
        assert.equal(refused.status, 400);
        assert.deepEqual((await search(api, { term: 'renamed' })).items, [], 'a refused write leaves the index as it was');
        assert.deepEqual(names((await search(api, { term: 'zarkow' })).items), ['Quentin Zarkowski']);

        await api.delete(`/api/v2/persons/${person.id}`);
        assert.deepEqual((await search(api, { term: 'zarkow' })).items, []);
        assert.deepEqual((await search(api, { term: 'quentin zarkowski', exact_match: true })).items, []);
      });
    });

    describe('ranking', () => {
      it('puts exact values above whole words above word starts above inner fragments, and name above email above notes', async () => {
        const { api } = await newTenant(server);
        // Created worst first, so the order cannot come from the ids.
        await addPerson(api, { name: 'Joanne Ray' });
        await addPerson(api, { name: 'Annabel Lee' });
        await addPerson(api, { name: 'Yves', notes: 'call ann tomorrow' });
        await addPerson(api, { name: 'Zed', emails: [{ value: 'ann@example.com' }] });
        await addPerson(api, { name: 'Ann Smith' });
        await addPerson(api, { name: 'Ann' });
        const { items } = await search(api, { term: 'ann' });
        assert.deepEqual(names(items), ['Ann', 'Ann Smith', 'Zed', 'Yves', 'Annabel Lee', 'Joanne Ray']);
        const scores = items.map((i) => i.result_score);
        for (let i = 1; i < scores.length; i++) assert.ok(scores[i] < scores[i - 1], `scores fall with rank: ${scores}`);
      });

      it('breaks ties by id', async () => {
        const { api } = await newTenant(server);
        const ids = [];
        for (const name of ['Tie Brown', 'Tie Adams', 'Tie Clark']) ids.push((await addPerson(api, { name })).id);
        const { items } = await search(api, { term: 'tie' });
        assert.deepEqual(items.map((i) => i.item.id), ids);
        assert.equal(new Set(items.map((i) => i.result_score)).size, 1);
      });

      it('lists a person once, at its best match', async () => {
        const { api } = await newTenant(server);
        const everywhere = await addPerson(api, { name: 'Kim Kimball', emails: [{ value: 'kim@kimball.example' }], notes: 'ask kim' });
        const nameOnly = await addPerson(api, { name: 'Kim Other' });
        const { items } = await search(api, { term: 'kim' });
        assert.deepEqual(items.map((i) => i.item.id), [everywhere.id, nameOnly.id]);
        assert.equal(items[0].result_score, items[1].result_score, 'matching in more fields does not rank higher than the best one');
      });
    });

    describe('shape and paging', () => {
      it('answers items in the v2 shape', async () => {
        const { api, userId } = await newTenant(server);
        const org = (await api.post('/api/v2/organizations', { name: 'Acme', address: { value: '1 Infinite Loop' } })).body.data;
        const person = await addPerson(api, {
          name: 'Shape Tester',
          org_id: org.id,
          emails: [{ value: 'a@shape.example' }, { value: 'b@shape.example', primary: true }],
          phones: [{ value: '+372 555 5555' }],
          notes: 'shape notes',
          visible_to: 7,
        });
        const res = await api.get('/api/v2/persons/search?term=shape');
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(res.body).sort(), ['additional_data', 'data', 'success']);
        assert.deepEqual(res.body.additional_data, { next_cursor: null });
        assert.equal(res.body.data.items.length, 1);
        assert.equal(typeof res.body.data.items[0].result_score, 'number');
        assert.deepEqual(res.body.data.items.map((i: Item) => i.item), [
          {
              id: person.id,
              type: 'person',
              name: 'Shape Tester',
              phones: ['+372 555 5555'],
              emails: ['a@shape.example', 'b@shape.example'],
              visible_to: 7,
              owner: { id: userId },
              organization: { id: org.id, name: 'Acme', address: '1 Infinite Loop' },
              custom_fields: [],
              notes: ['shape notes'],
          },
        ]);
        const withPicture = await search(api, { term: 'shape', include_fields: 'person.picture' });
        assert.equal(withPicture.items[0].item.picture, null);
      });

      it('filters by organization', async () => {
        const { api } = await newTenant(server);
        const [a, b] = await Promise.all(['Org A', 'Org B'].map(async (name) => (await api.post('/api/v2/organizations', { name })).body.data));
        await addPerson(api, { name: 'Sam Lee', org_id: a.id });
        await addPerson(api, { name: 'Sam Kay', org_id: b.id });
        await addPerson(api, { name: 'Sam Roe', org_id: a.id });
        await addPerson(api, { name: 'Samantha Fox', org_id: a.id });
        await addPerson(api, { name: 'Sam Free' });
        assert.deepEqual(names((await search(api, { term: 'sam', organization_id: a.id })).items), ['Sam Lee', 'Sam Roe', 'Samantha Fox']);
        assert.deepEqual(names((await search(api, { term: 'sam', organization_id: b.id })).items), ['Sam Kay']);
        assert.deepEqual(names((await search(api, { term: 'sam', organization_id: a.id, limit: 1 })).items), ['Sam Lee']);
        const paged = [];
        let cursor: string | null = null;
        do {
          const page: { items: Item[]; nextCursor: string | null } = await search(api, { term: 'sam', organization_id: a.id, limit: 2, ...(cursor && { cursor }) });
          paged.push(...names(page.items));
          cursor = page.nextCursor;
        } while (cursor);
        assert.deepEqual(paged, ['Sam Lee', 'Sam Roe', 'Samantha Fox']);
        assert.deepEqual((await search(api, { term: 'sam', organization_id: 999_999 })).items, []);
      });

      it('pages through all results with the cursor, each once, in rank order', async () => {
        const { api } = await newTenant(server);
        const spellings = ['Mpag Inner', 'Pagoda Start', 'Pag Word', 'Pag', 'Xpag Inner', 'Pagina Start', 'Pag Two'];
        for (let i = 0; i < 23; i++) await addPerson(api, { name: `${spellings[i % spellings.length]} ${i}` });
        await addPerson(api, { name: 'Unrelated' });
        const all = (await search(api, { term: 'pag' })).items.map((i) => i.item.id);
        assert.equal(all.length, 23);
        for (const limit of [1, 5, 22, 23]) {
          const paged: number[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page: { items: Item[]; nextCursor: string | null } = await search(api, { term: 'pag', limit, ...(cursor && { cursor }) });
            assert.ok(page.items.length <= limit);
            paged.push(...page.items.map((i) => i.item.id));
            cursor = page.nextCursor;
            pages += 1;
          } while (cursor);
          assert.deepEqual(paged, all, `limit ${limit}`);
          assert.equal(pages, Math.ceil(23 / limit), `limit ${limit}: the last full page says no more`);
        }
      });

      it('refuses a cursor from another search, or an edited one', async () => {
        const { api } = await newTenant(server);
        for (const name of ['Cur One', 'Cur Two', 'Cur Three']) await addPerson(api, { name });
        const { nextCursor } = await search(api, { term: 'cur', limit: 1 });
        assert.ok(nextCursor);
        const other = await api.get(`/api/v2/persons/search?term=cur%20t&limit=1&cursor=${nextCursor}`);
        assert.equal(other.status, 400);
        assert.match(other.body.error, /cursor was issued for another search/);
        const edited = await api.get(`/api/v2/persons/search?term=cur&limit=1&cursor=${nextCursor.slice(0, -2)}xx`);
        assert.equal(edited.status, 400);
        assert.match(edited.body.error, /cursor is not valid/);
      });
    });

    describe('index maintenance', () => {
      it('indexes a row told as new that has a search row already as an edit: its old words go, its new ones come', async () => {
        const tenant = await newTenant(server);
        const person = await addPerson(tenant.api, { name: 'Perpetua Oldword' });
        const row = await server.store.db.selectFrom('persons').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow();
        // As a create's listener would, for an id the index knows already: the insert finds the row and steps back.
        await server.store.db.transaction().execute((trx) => saveNewSearchDoc(trx, 'person', tenant.companyId, person.id, personSearchDoc({ ...row, name: 'Perpetua Newword' }, [])));
        assert.deepEqual(names((await search(tenant.api, { term: 'newword' })).items), ['Perpetua Oldword'], 'found by the new word (the page shows the stored name)');
        assert.deepEqual(names((await search(tenant.api, { term: 'oldword' })).items), []);
      });

      it('keeps word starts, two-letter fragments and whole values in step with edits of one field or another', async () => {
        const { api } = await newTenant(server);
        // These lookups go through the terms index on both backends: a word start of 3+ letters, a 2-letter fragment
        // inside a word, a whole word, a whole value.
        const person = await addPerson(api, { name: 'Wilhelmina Vqx', emails: [{ value: 'mina@quoll.example' }] });
        const found = async (term: string, extra: Record<string, string | boolean> = {}) => names((await search(api, { term, ...extra })).items);
        assert.deepEqual(await found('wilhel'), ['Wilhelmina Vqx']);
        assert.deepEqual(await found('qx'), ['Wilhelmina Vqx']);
        await api.patch(`/api/v2/persons/${person.id}`, { name: 'Ottoline Kvy' });
        assert.deepEqual(await found('wilhel'), [], 'old word start');
        assert.deepEqual(await found('qx'), [], 'old 2-letter fragment');
        assert.deepEqual(await found('wilhelmina'), [], 'old word');
        assert.deepEqual(await found('wilhelmina vqx', { exact_match: true }), [], 'old value');
        assert.deepEqual(await found('ottol'), ['Ottoline Kvy'], 'new word start');
        assert.deepEqual(await found('vy'), ['Ottoline Kvy'], 'new 2-letter fragment');
        assert.deepEqual(await found('ottoline kvy', { exact_match: true }), ['Ottoline Kvy'], 'new value');
        assert.deepEqual(await found('quoll'), ['Ottoline Kvy'], 'a field the edit left alone');
        // An edit of another field leaves the name's terms in place and moves the email's.
        await api.patch(`/api/v2/persons/${person.id}`, { emails: [{ value: 'otto@wombat.example' }] });
        assert.deepEqual(await found('quol'), []);
        assert.deepEqual(await found('womb'), ['Ottoline Kvy']);
        assert.deepEqual(await found('vy'), ['Ottoline Kvy']);
        // Fragments inside words come from each column's trigram index: the edited column's moved, the others' stayed.
        assert.deepEqual(await found('uoll'), [], 'old fragment inside the email');
        assert.deepEqual(await found('ombat'), ['Ottoline Kvy'], 'new fragment inside the email');
        assert.deepEqual(await found('tolin'), ['Ottoline Kvy'], 'fragment inside the name the edit left alone');
        await api.delete(`/api/v2/persons/${person.id}`);
        for (const term of ['vy', 'ottol', 'womb']) assert.deepEqual(await found(term), [], `deleted: ${term}`);
        if (backend.name === 'postgres') {
          const { rows } = await sql<{ n: string }>`select count(*) as n from person_terms where person_id = ${person.id}`.execute(server.store.db);
          assert.equal(Number(rows[0].n), 0, 'a deleted person leaves no terms behind');
        }
      });

      it('rebuilds an index of an older format when the service starts', async () => {
        const own = await startTestServer(backend);
        const reopened: TestServer[] = [];
        try {
          const { api, companyId, token } = await newTenant(own);
          await addPerson(api, { name: 'Rebuilt Rita', emails: [{ value: 'rita@rebuilt.example' }] });
          // As left by an earlier version: another format recorded, this company's rows gone, and on SQLite none of the
          // current FTS tables.
          const db = own.store.db;
          await sql`update settings set value = '0' where key = 'search_index_version'`.execute(db);
          await sql`delete from person_search where company_id = ${companyId}`.execute(db);
          if (backend.name === 'sqlite') {
            for (const table of ['name', 'email', 'phone', 'custom', 'notes', 'terms']) await sql`drop table ${sql.table(`person_search_${table}`)}`.execute(db);
          }
          // A second server on the same database plays the restarted service (closing the first would delete a SQLite file).
          const again = await startTestServer(backend, { database: own.config.database });
          reopened.push(again);
          const fresh = new Api(again.url, token);
          assert.deepEqual(names((await search(fresh, { term: 'rita' })).items), ['Rebuilt Rita']);
          assert.deepEqual(names((await search(fresh, { term: 'rebuilt.example' })).items), ['Rebuilt Rita']);
          await addPerson(fresh, { name: 'Rita Later' });
          assert.deepEqual(names((await search(fresh, { term: 'rita' })).items), ['Rebuilt Rita', 'Rita Later']);
        } finally {
          for (const s of reopened) await s.close();
          await own.close();
        }
      });
    });

    describe('isolation and bad input', () => {
      it("never returns another company's persons", async () => {
        const mine = await newTenant(server);
        const theirs = await newTenant(server);
        await addPerson(theirs.api, { name: 'Isolde Secret', emails: [{ value: 'isolde@theirs.example' }] });
        const theirOrg = (await theirs.api.post('/api/v2/organizations', { name: 'Theirs' })).body.data;
        await addPerson(theirs.api, { name: 'Isolde Two', org_id: theirOrg.id });
        await addPerson(mine.api, { name: 'Mine Only' });
        for (const term of ['isolde', 'theirs.example', 'secret']) assert.deepEqual((await search(mine.api, { term })).items, [], term);
        assert.deepEqual((await search(mine.api, { term: 'isolde secret', exact_match: true })).items, []);
        assert.deepEqual((await search(mine.api, { term: 'isolde', organization_id: theirOrg.id })).items, []);
        assert.deepEqual(names((await search(theirs.api, { term: 'isolde' })).items), ['Isolde Secret', 'Isolde Two']);
      });

      it('refuses bad input with a 400 naming the problem', async () => {
        const { api } = await newTenant(server);
        const cases: Array<[string, RegExp]> = [
          ['', /term is required/],
          ['term=a', /term must be at least 2 characters/],
          ['term=%20a%20', /term must be at least 2 characters/],
          ['term=&exact_match=true', /term must not be empty/],
          ['term=ab&fields=name,title', /fields: unknown field "title"/],
          ['term=ab&limit=501', /limit must be <= 500/],
          ['term=ab&limit=0', /limit must be >= 1/],
          ['term=ab&exact_match=maybe', /exact_match must be a boolean/],
          ['term=ab&organization_id=x', /organization_id must be an integer/],
          ['term=ab&include_fields=person.name', /include_fields: unknown value "person.name"/],
          [`term=${'x'.repeat(1001)}`, /term is longer than 1000 characters/],
          ['term=ab&cursor=nonsense', /cursor is not valid/],
        ];
        for (const [query, message] of cases) {
          const res = await api.get(`/api/v2/persons/search?${query}`);
          assert.equal(res.status, 400, query);
          assert.equal(res.body.success, false);
          assert.match(res.body.error, message, query);
        }
      });
    });
  });
}
