import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { assignVisibilityGroup, createVisibilityGroup } from '../../src/domain/access/visibility.ts';
import type { Api } from '../helpers/server.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

for (const backend of testBackends()) {
  describe(`visibility (visible_to 1/3/5/7, groups, followers, admins) [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    /**
     * A company with groups G1 ⊃ G1a and G2: the owner and a peer in G1, a sub-group member in G1a, an outsider
     * and a follower in G2, and the admin in none. The owner has one person at each level.
     */
    async function company() {
      const tenant = await newTenant(server);
      const db = server.store.db;
      const g1 = await createVisibilityGroup(db, tenant.companyId, 'G1');
      const g1a = await createVisibilityGroup(db, tenant.companyId, 'G1a', g1);
      const g2 = await createVisibilityGroup(db, tenant.companyId, 'G2');
      const [owner, peer, sub, outsider, follower] = await Promise.all([1, 2, 3, 4, 5].map(() => tenant.addUser()));
      for (const [user, group] of [[owner, g1], [peer, g1], [sub, g1a], [outsider, g2], [follower, g2]] as const) {
        await assignVisibilityGroup(db, tenant.companyId, user.userId, group);
      }
      const tag = `vis${randomBytes(4).toString('hex')}`;
      const persons: Record<number, number> = {};
      for (const level of [1, 3, 5, 7]) {
        const res = await owner.api.post('/api/v2/persons', { name: `${tag} level ${level}`, visible_to: level });
        assert.equal(res.status, 200);
        persons[level] = res.body.data.id;
      }
      assert.equal((await owner.api.post(`/api/v2/persons/${persons[1]}/followers`, { user_id: follower.userId })).status, 201);
      for (const level of [1, 3, 5, 7]) {
        const form = new FormData();
        const png = await sharp({ create: { width: 128, height: 128, channels: 3, background: { r: 9, g: 99, b: 199 } } }).png().toBuffer();
        form.append('file', new Blob([png], { type: 'image/png' }), 'p.png');
        const uploaded = await fetch(`${server.url}/v1/persons/${persons[level]}/picture`, { method: 'POST', headers: { 'x-api-token': owner.token }, body: form });
        assert.equal(uploaded.status, 200);
      }
      const users = { admin: { api: tenant.api, userId: tenant.userId }, owner, peer, sub, outsider, follower };
      return { tenant, tag, persons, users };
    }

    const EXPECTED: Record<number, string[]> = {
      1: ['admin', 'owner', 'follower'],
      3: ['admin', 'owner', 'peer'],
      5: ['admin', 'owner', 'peer', 'sub'],
      7: ['admin', 'owner', 'peer', 'sub', 'outsider', 'follower'],
    };

    it('lets each user get, list, search, update and read the subresources of exactly the persons they may see', async () => {
      const { tag, persons, users } = await company();
      for (const [name, user] of Object.entries(users)) {
        const api: Api = user.api;
        const shouldSee = [1, 3, 5, 7].filter((level) => EXPECTED[level].includes(name)).map((level) => persons[level]);
        const listed = (await api.get('/api/v2/persons?limit=500')).body.data.map((p: any) => p.id);
        assert.deepEqual(sorted(listed.filter((id: number) => Object.values(persons).includes(id))), sorted(shouldSee), `${name}: list`);
        const found = (await api.get(`/api/v2/persons/search?term=${tag}`)).body.data.items.map((i: any) => i.item.id);
        assert.deepEqual(sorted(found), sorted(shouldSee), `${name}: search`);
        const itemSearch = (await api.get(`/v1/itemSearch?term=${tag}&item_types=person`)).body.data.items.map((i: any) => i.item.id);
        assert.deepEqual(sorted(itemSearch), sorted(shouldSee), `${name}: itemSearch`);
        for (const level of [1, 3, 5, 7]) {
          const id = persons[level];
          const expected = EXPECTED[level].includes(name) ? 200 : 404;
          const where = `${name} on visible_to ${level}`;
          assert.equal((await api.get(`/api/v2/persons/${id}`)).status, expected, `${where}: get`);
          assert.equal((await api.get(`/api/v2/persons/${id}/followers`)).status, expected, `${where}: followers`);
          assert.equal((await api.get(`/v1/persons/${id}/followers`)).status, expected, `${where}: v1 followers`);
          assert.equal((await api.get(`/v1/persons/${id}/changelog`)).status, expected, `${where}: changelog`);
          assert.equal((await api.get(`/v1/persons/${id}/flow`)).status, expected, `${where}: flow`);
          assert.equal((await api.get(`/v1/persons/${id}/permittedUsers`)).status, expected, `${where}: permittedUsers`);
          assert.equal((await api.get(`/api/v2/persons/${id}/picture`)).status, expected, `${where}: picture`);
          assert.equal((await api.patch(`/api/v2/persons/${id}`, { job_title: name })).status, expected, `${where}: patch`);
        }
      }
      // A refused PATCH changed nothing: the last job_title written is by someone who may see the person.
      const level1 = (await users.admin.api.get(`/api/v2/persons/${persons[1]}`)).body.data;
      assert.equal(level1.job_title, 'follower');
    });

    it('agrees with permittedUsers and refuses merge and delete across the line', async () => {
      const { persons, users } = await company();
      for (const level of [1, 3, 5, 7]) {
        const permitted = (await users.admin.api.get(`/v1/persons/${persons[level]}/permittedUsers`)).body.data;
        const expected = EXPECTED[level].map((name) => users[name as keyof typeof users].userId);
        assert.deepEqual(permitted, sorted(expected), `permittedUsers of visible_to ${level}`);
      }
      // The outsider sees level 7 only: merging a level-1 person into it, or it into one, is a 404 / 400.
      const intoHidden = await users.outsider.api.put(`/v1/persons/${persons[7]}/merge`, { merge_with_id: persons[1] });
      assert.equal(intoHidden.status, 400);
      assert.doesNotMatch(intoHidden.body.error, /deleted/, 'an invisible person is not revealed as deleted');
      assert.equal((await users.outsider.api.put(`/v1/persons/${persons[1]}/merge`, { merge_with_id: persons[7] })).status, 404);
      assert.equal((await users.outsider.api.delete(`/api/v2/persons/${persons[3]}`)).status, 404);
      assert.equal((await users.admin.api.get(`/api/v2/persons/${persons[3]}`)).status, 200, 'the refused delete changed nothing');
      assert.equal((await users.peer.api.delete(`/api/v2/persons/${persons[3]}`)).status, 200);
    });

    it('treats every user as one group when the company has none: 3 and 5 reach everyone, 1 stays private', async () => {
      const tenant = await newTenant(server);
      const owner = await tenant.addUser();
      const other = await tenant.addUser();
      const ids: Record<number, number> = {};
      for (const level of [1, 3, 5]) ids[level] = (await owner.api.post('/api/v2/persons', { name: `L${level}`, visible_to: level })).body.data.id;
      assert.equal((await other.api.get(`/api/v2/persons/${ids[1]}`)).status, 404);
      assert.equal((await other.api.get(`/api/v2/persons/${ids[3]}`)).status, 200);
      assert.equal((await other.api.get(`/api/v2/persons/${ids[5]}`)).status, 200);
    });
  });
}
