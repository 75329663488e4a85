import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

for (const backend of testBackends()) {
  describe(`GET /v1/persons/{id}/permittedUsers [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('visible_to 1: the owner, the followers and the admins; 3, 5, 7: every active user', async () => {
      const { api, userId: adminId, addUser } = await newTenant(server);
      const owner = await addUser();
      const follower = await addUser();
      const bystander = await addUser();
      const inactive = await api.post('/v1/users', { email: `gone-${Date.now()}@example.com`, active_flag: false });
      assert.equal(inactive.status, 200);

      const person = (await api.post('/api/v2/persons', { name: 'Private', owner_id: owner.userId, visible_to: 1 })).body.data;
      const path = `/v1/persons/${person.id}/permittedUsers`;
      const first = await api.get(path);
      assert.equal(first.status, 200);
      assert.deepEqual(first.body, { success: true, data: sorted([adminId, owner.userId]) });

      await api.post(`/api/v2/persons/${person.id}/followers`, { user_id: follower.userId });
      assert.deepEqual((await api.get(path)).body.data, sorted([adminId, owner.userId, follower.userId]));

      for (const level of [3, 5, 7]) {
        await api.patch(`/api/v2/persons/${person.id}`, { visible_to: level });
        const everyone = (await api.get(path)).body.data;
        assert.deepEqual(everyone, sorted([adminId, owner.userId, follower.userId, bystander.userId]), `visible_to ${level}`);
        assert.ok(!everyone.includes(inactive.body.data.id), 'deactivated users see nothing');
      }
    });

    it('answers 404 for unknown, deleted and foreign persons', async () => {
      const { api } = await newTenant(server);
      const other = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      assert.equal((await other.api.get(`/v1/persons/${person.id}/permittedUsers`)).status, 404);
      assert.equal((await api.get('/v1/persons/999999/permittedUsers')).status, 404);
      assert.equal((await api.get('/v1/persons/abc/permittedUsers')).status, 400);
      await api.delete(`/api/v2/persons/${person.id}`);
      assert.equal((await api.get(`/v1/persons/${person.id}/permittedUsers`)).status, 404);
    });

    it('leaves files, products and mailMessages unimplemented: 404 like any unknown route', async () => {
      const { api } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      for (const sub of ['files', 'products', 'mailMessages']) {
        const res = await api.get(`/v1/persons/${person.id}/${sub}`);
        assert.equal(res.status, 404, sub);
        assert.match(res.body.error, /Unknown route/);
      }
    });
  });
}
