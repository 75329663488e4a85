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

    /** The owner's organizations and deals, one at each level; organization i is linked to the level-7 person. */
    async function ownedRecords(owner: { api: Api }, tag: string, person7: number) {
      const orgs: Record<number, number> = {};
      const deals: Record<number, number> = {};
      for (const level of [1, 3, 5, 7]) {
        const org = await owner.api.post('/api/v2/organizations', { name: `${tag} org ${level}`, visible_to: level });
        assert.equal(org.status, 200);
        orgs[level] = org.body.data.id;
        const deal = await owner.api.post('/api/v2/deals', { title: `${tag} deal ${level}`, visible_to: level, person_id: person7, org_id: org.body.data.id });
        assert.equal(deal.status, 200);
        deals[level] = deal.body.data.id;
      }
      return { orgs, deals };
    }

    it('applies the same levels to organizations and deals: get, list, search, update, delete', async () => {
      const { tag, persons, users } = await company();
      const { orgs, deals } = await ownedRecords(users.owner, tag, persons[7]);
      for (const [name, user] of Object.entries(users)) {
        const api: Api = user.api;
        const levels = [1, 3, 5, 7].filter((level) => level !== 1 || name !== 'follower').filter((level) => EXPECTED[level].includes(name));
        const listedOrgs = (await api.get('/api/v2/organizations?limit=500')).body.data.map((o: any) => o.id);
        assert.deepEqual(sorted(listedOrgs.filter((id: number) => Object.values(orgs).includes(id))), sorted(levels.map((l) => orgs[l])), `${name}: organization list`);
        const listedDeals = (await api.get('/api/v2/deals?limit=500')).body.data.map((d: any) => d.id);
        assert.deepEqual(sorted(listedDeals.filter((id: number) => Object.values(deals).includes(id))), sorted(levels.map((l) => deals[l])), `${name}: deal list`);
        const foundOrgs = (await api.get(`/v1/itemSearch?term=${tag}&item_types=organization`)).body.data.items.map((i: any) => i.item.id);
        assert.deepEqual(sorted(foundOrgs), sorted(levels.map((l) => orgs[l])), `${name}: organization search`);
        for (const level of [1, 3, 5, 7]) {
          // Followers follow persons only: a person's follower gets nothing of the owner's level-1 organization or deal.
          const expected = levels.includes(level) ? 200 : 404;
          const where = `${name} on visible_to ${level}`;
          assert.equal((await api.get(`/api/v2/organizations/${orgs[level]}`)).status, expected, `${where}: organization get`);
          assert.equal((await api.get(`/api/v2/deals/${deals[level]}`)).status, expected, `${where}: deal get`);
          assert.equal((await api.patch(`/api/v2/organizations/${orgs[level]}`, { name: `${tag} org ${level} by ${name}` })).status, expected, `${where}: organization patch`);
          assert.equal((await api.patch(`/api/v2/deals/${deals[level]}`, { title: `${tag} deal ${level} by ${name}` })).status, expected, `${where}: deal patch`);
        }
      }
      // Refused writes changed nothing; refused deletes delete nothing.
      assert.equal((await users.outsider.api.delete(`/api/v2/organizations/${orgs[3]}`)).status, 404);
      assert.equal((await users.outsider.api.delete(`/api/v2/deals/${deals[3]}`)).status, 404);
      const org1 = (await users.admin.api.get(`/api/v2/organizations/${orgs[1]}`)).body.data;
      assert.equal(org1.name, `${tag} org 1 by owner`);
      assert.equal((await users.admin.api.get(`/api/v2/deals/${deals[3]}`)).body.data.title, `${tag} deal 3 by peer`);
      assert.equal((await users.peer.api.delete(`/api/v2/deals/${deals[3]}`)).status, 200);
    });

    it('does not let a visible record reveal a hidden organization, deal or person through its links', async () => {
      const { tag, persons, users } = await company();
      const { orgs, deals } = await ownedRecords(users.owner, tag, persons[7]);
      const outsider = users.outsider.api;
      // Linking to what one may not see is refused like linking to what does not exist.
      const hiddenOrgLink = await outsider.post('/api/v2/persons', { name: `${tag} linker`, org_id: orgs[1] });
      assert.equal(hiddenOrgLink.status, 400);
      assert.match(hiddenOrgLink.body.error, new RegExp(`org_id ${orgs[1]} is not an organization of this company`));
      assert.equal((await outsider.post('/api/v2/deals', { title: 'x', person_id: persons[1] })).status, 400);
      assert.equal((await outsider.post('/api/v2/deals', { title: 'x', org_id: orgs[3] })).status, 400);
      assert.equal((await outsider.post('/api/v2/deals', { title: 'x', org_id: orgs[7], person_id: persons[7] })).status, 200);

      // Filtering persons by a hidden organization or deal finds nothing; by a visible one, its persons.
      const visibleInOrg = (await users.owner.api.post('/api/v2/persons', { name: `${tag} in hidden org`, visible_to: 7, org_id: orgs[1] })).body.data.id;
      assert.deepEqual((await outsider.get(`/api/v2/persons?org_id=${orgs[1]}`)).body.data, []);
      assert.deepEqual((await users.owner.api.get(`/api/v2/persons?org_id=${orgs[1]}`)).body.data.map((p: any) => p.id), [visibleInOrg]);
      assert.deepEqual((await outsider.get(`/api/v2/persons?deal_id=${deals[1]}`)).body.data, []);
      assert.deepEqual((await outsider.get(`/api/v2/persons?deal_id=${deals[7]}`)).body.data.map((p: any) => p.id), [persons[7]]);

      // The visible person in a hidden organization: the link stays, the organization's name is not shown.
      const search = (await outsider.get(`/api/v2/persons/search?term=${encodeURIComponent(`${tag} in hidden`)}`)).body.data.items;
      assert.deepEqual(search.map((i: any) => [i.item.id, i.item.organization]), [[visibleInOrg, null]]);
      const ownerSearch = (await users.owner.api.get(`/api/v2/persons/search?term=${encodeURIComponent(`${tag} in hidden`)}`)).body.data.items;
      assert.equal(ownerSearch[0].item.organization.name, `${tag} org 1`);
      assert.deepEqual((await outsider.get(`/api/v2/persons/search?term=${tag}&organization_id=${orgs[1]}`)).body.data.items, []);
      const exportAs = async (token: string) => (await fetch(`${server.url}/api/v2/persons/export?format=csv`, { headers: { 'x-api-token': token } })).text();
      assert.match(await exportAs(users.owner.token), new RegExp(`${tag} in hidden org.*${tag} org 1`));
      assert.doesNotMatch(await exportAs(users.outsider.token), new RegExp(`${tag} org 1`));

      // include_fields counts only the deals the caller may see: the owner's four (not the outsider's, visible to
      // its group), the outsider's own and the level-7 one for the outsider.
      const counts = async (api: Api) => (await api.get(`/api/v2/persons/${persons[7]}?include_fields=open_deals_count`)).body.data.open_deals_count;
      assert.equal(await counts(users.owner.api), 4);
      assert.equal(await counts(outsider), 2);

      // The flow lists the person's deals the caller sees; related_objects describe only what the caller sees.
      await users.owner.api.patch(`/api/v2/persons/${persons[7]}`, { org_id: orgs[1] });
      const flow = async (api: Api) => (await api.get(`/v1/persons/${persons[7]}/flow?all_changes=1`)).body;
      const ownerFlow = await flow(users.owner.api);
      const outsiderFlow = await flow(outsider);
      const dealIds = (body: any) => body.data.filter((i: any) => i.object === 'deal').map((i: any) => i.data.id);
      assert.deepEqual(sorted(dealIds(ownerFlow)).filter((id) => Object.values(deals).includes(id)), sorted(Object.values(deals)));
      assert.deepEqual(dealIds(outsiderFlow).filter((id: number) => Object.values(deals).includes(id)), [deals[7]]);
      assert.ok(ownerFlow.related_objects.organization[orgs[1]], 'the owner sees the organization described');
      assert.equal(outsiderFlow.related_objects.organization?.[orgs[1]], undefined, 'the outsider does not');
      assert.doesNotMatch(JSON.stringify(outsiderFlow), new RegExp(`${tag} (org|deal) [135]`));
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
