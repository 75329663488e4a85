import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contactsVersusPersonRow } from '../helpers/consistency.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/** Concurrent requests on one server: on PostgreSQL they run on several pooled connections at once. */
for (const backend of testBackends()) {
  describe(`concurrent writes [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('gives every one of many concurrent creates its own id', async () => {
      const { api } = await newTenant(server);
      const responses = await Promise.all(
        Array.from({ length: 60 }, (_, i) => api.post('/api/v2/persons', { name: `Parallel ${i}`, emails: [{ value: `p${i}@example.com` }] })),
      );
      assert.deepEqual(responses.map((r) => r.status), responses.map(() => 200));
      const ids = responses.map((r) => r.body.data.id as number);
      assert.equal(new Set(ids).size, ids.length);
      const listed = await api.get('/api/v2/persons?limit=100');
      assert.deepEqual(listed.body.data.map((p: { id: number }) => p.id).sort((a: number, b: number) => a - b), [...ids].sort((a, b) => a - b));
    });

    it('loses no field and no contact row when PATCHes of one person race', async () => {
      const { api } = await newTenant(server);
      const created = await api.post('/api/v2/persons', { name: 'Racer', emails: [{ value: "start@example.com" }] });
      const id = created.body.data.id as number;
      // Each round changes six fields at once, each through its own request; every field must end at its round's value.
      for (let round = 1; round <= 12; round++) {
        const patches = [
          { job_title: `title ${round}` },
          { notes: `notes ${round}` },
          { emails: [{ value: `r${round}a@example.com` }, { value: `r${round}b@example.com` }] },
          { phones: [{ value: `+1 415 555 ${String(round).padStart(4, '0')}` }] },
          { im: [{ value: `handle${round}` }] },
          { name: `Racer ${round}` },
        ];
        const responses = await Promise.all(patches.map((body) => api.patch(`/api/v2/persons/${id}`, body)));
        assert.deepEqual(responses.map((r) => r.status), patches.map(() => 200), JSON.stringify(responses.map((r) => r.body)));
        const person = (await api.get(`/api/v2/persons/${id}`)).body.data;
        assert.equal(person.job_title, `title ${round}`);
        assert.equal(person.notes, `notes ${round}`);
        assert.deepEqual(person.emails.map((e: { value: string }) => e.value), [`r${round}a@example.com`, `r${round}b@example.com`]);
        assert.deepEqual(person.phones.map((e: { value: string }) => e.value), [`+1 415 555 ${String(round).padStart(4, '0')}`]);
        assert.deepEqual(person.im.map((e: { value: string }) => e.value), [`handle${round}`]);
        assert.equal(person.name, `Racer ${round}`);
        const { expected, stored } = await contactsVersusPersonRow(server.store.db, id);
        assert.deepEqual(stored, expected);
      }
    });

    it('deletes a person once when deletes and PATCHes race', async () => {
      const { api } = await newTenant(server);
      const id = (await api.post('/api/v2/persons', { name: 'Doomed', emails: [{ value: "doomed@example.com" }] })).body.data.id as number;
      const responses = await Promise.all([
        ...Array.from({ length: 4 }, () => api.delete(`/api/v2/persons/${id}`)),
        ...Array.from({ length: 4 }, (_, i) => api.patch(`/api/v2/persons/${id}`, { emails: [{ value: `late${i}@example.com` }] })),
      ]);
      const deletes = responses.slice(0, 4).map((r) => r.status);
      assert.equal(deletes.filter((s) => s === 200).length, 1, `delete statuses ${deletes}`);
      assert.ok(deletes.every((s) => s === 200 || s === 404));
      assert.ok(responses.slice(4).every((r) => r.status === 200 || r.status === 404));
      assert.equal((await api.get(`/api/v2/persons/${id}`)).status, 404);
      const { expected, stored } = await contactsVersusPersonRow(server.store.db, id);
      assert.deepEqual(stored, expected);
    });

    it('leaves no deal linked to a person or organization deleted while deals link to it', async () => {
      const { api } = await newTenant(server);
      for (let round = 0; round < 4; round++) {
        const person = (await api.post('/api/v2/persons', { name: `Linked ${round}` })).body.data.id as number;
        const org = (await api.post('/api/v2/organizations', { name: `Linked ${round}` })).body.data.id as number;
        const existing = (await api.post('/api/v2/deals', { title: 'Existing' })).body.data.id as number;
        const responses = await Promise.all([
          ...Array.from({ length: 3 }, (_, i) => api.post('/api/v2/deals', { title: `New ${i}`, person_id: person, org_id: org })),
          ...Array.from({ length: 3 }, (_, i) => api.patch(`/api/v2/deals/${existing}`, { person_id: person, org_id: org, value: i })),
          api.delete(`/api/v2/persons/${person}`),
          api.delete(`/api/v2/organizations/${org}`),
        ]);
        // A link either lands before the delete (and is unlinked by it) or finds the record gone (400).
        assert.ok(responses.slice(0, 6).every((r) => r.status === 201 || r.status === 200 || r.status === 400), JSON.stringify(responses.map((r) => r.status)));
        assert.deepEqual(responses.slice(6).map((r) => r.status), [200, 200]);
        assert.deepEqual((await api.get(`/api/v2/deals?person_id=${person}`)).body.data, []);
        assert.deepEqual((await api.get(`/api/v2/deals?org_id=${org}`)).body.data, []);
      }
    });
  });
}
