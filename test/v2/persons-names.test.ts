import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/** name is always first_name and last_name joined (whitespace aside), whatever the write sent. */
function assertConsistent(person: { name: string; first_name: string | null; last_name: string | null }) {
  const squash = (s: string) => s.trim().split(/\s+/).join(' ');
  assert.equal(squash([person.first_name, person.last_name].filter(Boolean).join(' ')), squash(person.name), JSON.stringify(person));
}

async function assertNameConflict(response: Promise<{ status: number; body: any }>) {
  const res = await response;
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.success, false);
  assert.match(res.body.error, /name .*first_name.*last_name|first_name.*last_name.*name/);
}

async function names(api: Api, id: number) {
  const { name, first_name, last_name } = (await api.get(`/api/v2/persons/${id}`)).body.data;
  return { name, first_name, last_name };
}

for (const backend of testBackends()) {
  describe(`v2 person names: name vs first_name / last_name [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('create: name alone is split, first and last alone are joined, all three must agree', async () => {
      const { api } = await newTenant(server);
      const split = await api.post('/api/v2/persons', { name: 'Mary Ann Jones' });
      assert.deepEqual(await names(api, split.body.data.id), { name: 'Mary Ann Jones', first_name: 'Mary Ann', last_name: 'Jones' });
      // A split other than the default one is kept when the parts make up the name.
      const agreed = await api.post('/api/v2/persons', { name: 'Mary Ann Jones', first_name: 'Mary', last_name: 'Ann Jones' });
      assert.equal(agreed.status, 200);
      assert.deepEqual(await names(api, agreed.body.data.id), { name: 'Mary Ann Jones', first_name: 'Mary', last_name: 'Ann Jones' });
      // One part sent with the name: the other is the rest of the name.
      const firstOnly = await api.post('/api/v2/persons', { name: 'Jean Claude Van Damme', first_name: 'Jean Claude' });
      assert.deepEqual(await names(api, firstOnly.body.data.id), { name: 'Jean Claude Van Damme', first_name: 'Jean Claude', last_name: 'Van Damme' });
      const lastOnly = await api.post('/api/v2/persons', { name: 'Ludwig van Beethoven', last_name: 'van Beethoven' });
      assert.deepEqual(await names(api, lastOnly.body.data.id), { name: 'Ludwig van Beethoven', first_name: 'Ludwig', last_name: 'van Beethoven' });
      const mononym = await api.post('/api/v2/persons', { name: 'Madonna', first_name: 'Madonna', last_name: null });
      assert.deepEqual(await names(api, mononym.body.data.id), { name: 'Madonna', first_name: 'Madonna', last_name: null });

      const before = (await api.get('/api/v2/persons')).body.data.length;
      await assertNameConflict(api.post('/api/v2/persons', { name: 'Jane Doe', first_name: 'Bob', last_name: 'Doe' }));
      await assertNameConflict(api.post('/api/v2/persons', { name: 'Jane Doe', first_name: 'Bob' }));
      await assertNameConflict(api.post('/api/v2/persons', { name: 'Jane Doe', last_name: 'Smith' }));
      await assertNameConflict(api.post('/api/v2/persons', { name: 'Jane Doe', first_name: 'Ja' }));
      await assertNameConflict(api.post('/api/v2/persons', { name: 'Jane Doe', first_name: null, last_name: null }));
      assert.equal((await api.get('/api/v2/persons')).body.data.length, before, 'a refused create stores nothing');
    });

    it('PATCH resolves the three the same way as create and never leaves them inconsistent', async () => {
      const { api } = await newTenant(server);
      const { body } = await api.post('/api/v2/persons', { name: 'Jane Doe', job_title: 'CTO' });
      const id = body.data.id;

      await assertNameConflict(api.patch(`/api/v2/persons/${id}`, { name: 'Jane Doe', first_name: 'Bob', job_title: 'CEO' }));
      await assertNameConflict(api.patch(`/api/v2/persons/${id}`, { name: 'Janet Roe', last_name: 'Doe' }));
      const unchanged = (await api.get(`/api/v2/persons/${id}`)).body.data;
      assert.deepEqual({ name: unchanged.name, first_name: unchanged.first_name, last_name: unchanged.last_name }, { name: 'Jane Doe', first_name: 'Jane', last_name: 'Doe' });
      assert.equal(unchanged.job_title, 'CTO', 'a refused PATCH changes nothing');

      // name alone: first and last are derived again, not kept from before.
      const renamed = await api.patch(`/api/v2/persons/${id}`, { name: 'Mary Ann Jones' });
      assert.equal(renamed.status, 200);
      assert.deepEqual(await names(api, id), { name: 'Mary Ann Jones', first_name: 'Mary Ann', last_name: 'Jones' });
      // name with one part: the other is the rest of the name, not the stored value.
      const resplit = await api.patch(`/api/v2/persons/${id}`, { name: 'Mary Ann Jones', last_name: 'Ann Jones' });
      assert.equal(resplit.status, 200);
      assert.deepEqual(await names(api, id), { name: 'Mary Ann Jones', first_name: 'Mary', last_name: 'Ann Jones' });
      const all = await api.patch(`/api/v2/persons/${id}`, { name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace' });
      assert.equal(all.status, 200);
      assert.deepEqual(await names(api, id), { name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace' });
      // One part alone: joined with the stored other part.
      await api.patch(`/api/v2/persons/${id}`, { first_name: 'Augusta Ada' });
      assert.deepEqual(await names(api, id), { name: 'Augusta Ada Lovelace', first_name: 'Augusta Ada', last_name: 'Lovelace' });
      await api.patch(`/api/v2/persons/${id}`, { last_name: null });
      assert.deepEqual(await names(api, id), { name: 'Augusta Ada', first_name: 'Augusta Ada', last_name: null });

      for (const body of [
        { name: '  Grace   Hopper ' },
        { name: 'Grace Brewster Hopper', first_name: 'Grace Brewster' },
        { first_name: 'Grace', last_name: 'Murray Hopper' },
        { name: 'Hopper', last_name: 'Hopper' },
      ]) {
        const res = await api.patch(`/api/v2/persons/${id}`, body);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assertConsistent(res.body.data);
        assertConsistent((await api.get(`/api/v2/persons/${id}`)).body.data);
      }
      assert.deepEqual(await names(api, id), { name: 'Hopper', first_name: null, last_name: 'Hopper' });
    });

    it('imports: a CSV row whose columns contradict is rejected, a vCard keeps FN when N does not make it up', async () => {
      const tenant = await newTenant(server);
      const upload = async (body: string, type: string) => {
        const res = await fetch(`${tenant.api.baseUrl}/api/v2/persons/import`, { method: 'POST', headers: { 'x-api-token': tenant.token, 'content-type': type }, body });
        return { status: res.status, body: await res.json() };
      };
      const csv = await upload('name,first_name,last_name\nMary Ann Jones,Mary,Ann Jones\nJane Doe,Bob,Doe\n', 'text/csv');
      assert.equal(csv.status, 200);
      assert.deepEqual(csv.body.data.rows.map((r: any) => r.status), ['created', 'rejected']);
      assert.match(csv.body.data.rows[1].reason, /row 2: name "Jane Doe" does not match first_name and last_name/);
      const card = await upload(['BEGIN:VCARD', 'VERSION:4.0', 'FN:Dr. John Smith', 'N:Smith;John;;Dr.;', 'END:VCARD', 'BEGIN:VCARD', 'VERSION:4.0', 'FN:Ann Van Der Berg', 'N:Van Der Berg;Ann;;;', 'END:VCARD'].join('\r\n'), 'text/vcard');
      assert.deepEqual(card.body.data.rows.map((r: any) => r.status), ['created', 'created']);
      const persons = (await tenant.api.get('/api/v2/persons')).body.data.map(({ name, first_name, last_name }: any) => ({ name, first_name, last_name }));
      assert.deepEqual(persons, [
        { name: 'Mary Ann Jones', first_name: 'Mary', last_name: 'Ann Jones' },
        { name: 'Dr. John Smith', first_name: 'Dr. John', last_name: 'Smith' },
        { name: 'Ann Van Der Berg', first_name: 'Ann', last_name: 'Van Der Berg' },
      ]);
    });
  });
}
