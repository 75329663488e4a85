import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`tenant isolation [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('never lets company B read, list, change or delete company A\'s rows', async () => {
      const a = await newTenant(server);
      const b = await newTenant(server);
      const org = (await a.api.post('/api/v2/organizations', { name: 'A Corp' })).body.data;
      const person = (await a.api.post('/api/v2/persons', { name: 'A Person', org_id: org.id, emails: [{ value: 'a@example.com' }] })).body.data;
      const ownPerson = (await b.api.post('/api/v2/persons', { name: 'B Person' })).body.data;

      const reads = await Promise.all([
        b.api.get(`/api/v2/persons/${person.id}`),
        b.api.get(`/api/v2/organizations/${org.id}`),
        b.api.get(`/v1/users/${a.userId}`),
        b.api.get(`/api/v1/users/${a.userId}`),
      ]);
      for (const res of reads) {
        assert.equal(res.status, 404);
        assert.equal(res.body.success, false);
      }

      const lists = await Promise.all([
        b.api.get('/api/v2/persons'),
        b.api.get(`/api/v2/persons?ids=${person.id}`),
        b.api.get(`/api/v2/persons?org_id=${org.id}`),
        b.api.get(`/api/v2/persons?owner_id=${a.userId}`),
        b.api.get('/api/v2/organizations'),
        b.api.get(`/api/v2/organizations?ids=${org.id}`),
        b.api.get(`/api/v2/organizations?owner_id=${a.userId}`),
      ]);
      assert.deepEqual(lists[0].body.data.map((p: { id: number }) => p.id), [ownPerson.id]);
      for (const res of lists.slice(1)) assert.deepEqual(res.body.data, []);
      const users = await b.api.get('/v1/users');
      assert.deepEqual(users.body.data.map((u: { id: number }) => u.id), [b.userId]);

      const writes = await Promise.all([
        b.api.patch(`/api/v2/persons/${person.id}`, { name: 'Hijacked' }),
        b.api.patch(`/api/v2/organizations/${org.id}`, { name: 'Hijacked' }),
        b.api.delete(`/api/v2/persons/${person.id}`),
        b.api.delete(`/api/v2/organizations/${org.id}`),
      ]);
      for (const res of writes) assert.equal(res.status, 404);

      // Nor can B point its own rows at A's organization or user.
      const links = await Promise.all([
        b.api.patch(`/api/v2/persons/${ownPerson.id}`, { org_id: org.id }),
        b.api.patch(`/api/v2/persons/${ownPerson.id}`, { owner_id: a.userId }),
        b.api.post('/api/v2/organizations', { name: 'X', owner_id: a.userId }),
      ]);
      for (const res of links) assert.equal(res.status, 400);

      // A's rows are untouched.
      assert.deepEqual((await a.api.get(`/api/v2/persons/${person.id}`)).body.data, person);
      assert.deepEqual((await a.api.get(`/api/v2/organizations/${org.id}`)).body.data, org);
      const bPerson = (await b.api.get(`/api/v2/persons/${ownPerson.id}`)).body.data;
      assert.equal(bPerson.org_id, null);
      assert.equal(bPerson.owner_id, b.userId);
    });

    it('answers another company\'s id exactly as an id that does not exist', async () => {
      const a = await newTenant(server);
      const b = await newTenant(server);
      const person = (await a.api.post('/api/v2/persons', { name: 'A Person' })).body.data;
      const foreign = await b.api.get(`/api/v2/persons/${person.id}`);
      const missing = await b.api.get('/api/v2/persons/999999999');
      assert.equal(foreign.status, missing.status);
      assert.equal(foreign.body.error, missing.body.error);
      const foreignUser = await b.api.get(`/v1/users/${a.userId}`);
      const missingUser = await b.api.get('/v1/users/999999999');
      assert.deepEqual(foreignUser.body, missingUser.body);
    });
  });
}
