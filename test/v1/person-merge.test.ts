import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { type Api, type TestServer, type Tenant, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

async function uploadPicture(tenant: Tenant, personId: number): Promise<number> {
  const png = await sharp({ create: { width: 200, height: 200, channels: 3, background: { r: 10, g: 200, b: 10 } } }).png().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)]), 'p.png');
  const response = await fetch(`${tenant.api.baseUrl}/v1/persons/${personId}/picture`, { method: 'POST', headers: { 'x-api-token': tenant.token }, body: form });
  assert.equal(response.status, 200);
  return ((await response.json()) as { data: { id: number } }).data.id;
}

async function labelIds(api: Api): Promise<number[]> {
  const field = await api.get('/api/v2/personFields/label_ids');
  assert.equal(field.status, 200);
  return field.body.data.options.map((o: { id: number }) => o.id);
}

/** Everything about a person the merge could touch, read over HTTP. */
async function snapshot(api: Api, personId: number) {
  const [person, deals, followers, changelog] = await Promise.all([
    api.get(`/api/v2/persons/${personId}`),
    api.get(`/api/v2/deals?person_id=${personId}`),
    api.get(`/api/v2/persons/${personId}/followers`),
    api.get(`/v1/persons/${personId}/changelog`),
  ]);
  return { person: person.body, deals: deals.body.data, followers: followers.body.data, changelog: changelog.body.data };
}

const ids = (items: { id: number }[]) => items.map((i) => i.id);

for (const backend of testBackends()) {
  describe(`PUT /v1/persons/{id}/merge [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('keeps the survivor’s values, fills its empty ones, unites contacts and labels, moves deals, followers and picture', async () => {
      const tenant = await newTenant(server);
      const { api, userId, addUser } = tenant;
      const ann = await addUser();
      const bob = await addUser();
      const [label1, label2] = await labelIds(api);
      const orgB = (await api.post('/api/v2/organizations', { name: 'Beta Ltd' })).body.data;
      const budget = (await api.post('/api/v2/personFields', { field_name: 'Budget', field_type: 'monetary' })).body.data.field_code;
      const nickname = (await api.post('/api/v2/personFields', { field_name: 'Nickname', field_type: 'varchar' })).body.data.field_code;

      const survivor = (
        await api.post('/api/v2/persons', {
          name: 'Jane Doe',
          emails: [{ value: 'jane@alpha.example', label: 'work' }],
          phones: [{ value: '+1 415 555 0100' }],
          notes: 'Survivor notes',
          label_ids: [label1],
          custom_fields: { [nickname]: 'JD' },
        })
      ).body.data;
      const merged = (
        await api.post('/api/v2/persons', {
          name: 'J. Doe',
          emails: [{ value: 'JANE@Alpha.example', label: 'home' }, { value: 'jd@beta.example', primary: true }],
          phones: [{ value: '+1-415-555-0100' }, { value: '+44 20 7946 0000', label: 'mobile' }],
          im: [{ value: 'jd.skype', label: 'skype' }],
          job_title: 'CTO',
          notes: 'Merged notes',
          birthday: '1990-01-31',
          org_id: orgB.id,
          label_ids: [label2, label1],
          custom_fields: { [budget]: { value: 500, currency: 'EUR' }, [nickname]: 'Jay' },
        })
      ).body.data;
      assert.ok(survivor.id && merged.id);
      const survivorDeal = (await api.post('/api/v2/deals', { title: 'S1', person_id: survivor.id })).body.data;
      const mergedDeals = [
        (await api.post('/api/v2/deals', { title: 'M1', person_id: merged.id })).body.data,
        (await api.post('/api/v2/deals', { title: 'M2', person_id: merged.id, status: 'won' })).body.data,
      ];
      await api.post(`/api/v2/persons/${merged.id}/followers`, { user_id: ann.userId });
      await api.post(`/api/v2/persons/${merged.id}/followers`, { user_id: bob.userId });
      await api.post(`/api/v2/persons/${survivor.id}/followers`, { user_id: bob.userId });
      const pictureId = await uploadPicture(tenant, merged.id);

      const res = await api.put(`/v1/persons/${merged.id}/merge`, { merge_with_id: survivor.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const data = res.body.data;
      assert.equal(data.id, survivor.id);
      assert.equal(data.merge_what_id, merged.id);
      assert.equal(data.name, 'Jane Doe', "the survivor's value wins");
      assert.equal(data.notes, 'Survivor notes');
      assert.equal(data.job_title, 'CTO', 'an empty value is filled');
      assert.equal(data.birthday, '1990-01-31');
      assert.equal(data.org_id, orgB.id);
      assert.equal(data.org_name, 'Beta Ltd');
      assert.equal(data.owner_id, userId);
      assert.equal(typeof data.owner_name, 'string');
      assert.deepEqual(data.email, [
        { value: 'jane@alpha.example', primary: true, label: 'work' },
        { value: 'jd@beta.example', primary: false, label: 'work' },
      ]);
      assert.deepEqual(data.phone.map((p: { value: string }) => p.value), ['+1 415 555 0100', '+44 20 7946 0000']);
      assert.deepEqual(data.im, [{ value: 'jd.skype', primary: true, label: 'skype' }]);
      assert.deepEqual(data.label_ids, [label1, label2]);
      assert.equal(data.label, label1);
      assert.equal(data.visible_to, '3');
      assert.equal(data.active_flag, true);
      assert.match(data.add_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.equal(data.open_deals_count, 2);
      assert.equal(data.won_deals_count, 1);
      assert.equal(data.followers_count, 2);
      assert.equal(data.picture_id.id, pictureId, 'the picture moved to the survivor');
      assert.equal(data.picture_id.item_id, survivor.id);
      assert.equal(data[nickname], 'JD', "the survivor's custom value wins");
      assert.equal(data[budget], 500, 'custom values appear the v1 way');
      assert.equal(data[`${budget}_currency`], 'EUR');

      assert.equal((await api.get(`/api/v2/persons/${merged.id}`)).status, 404, 'the merged person is deleted');
      const after = (await api.get(`/api/v2/persons/${survivor.id}`)).body.data;
      assert.equal(after.picture_id, pictureId);
      assert.deepEqual(after.custom_fields[budget], { value: 500, currency: 'EUR' });
      assert.deepEqual(ids((await api.get(`/api/v2/deals?person_id=${survivor.id}`)).body.data), [survivorDeal.id, ...ids(mergedDeals)]);
      assert.deepEqual((await api.get(`/api/v2/deals?person_id=${merged.id}`)).body.data, []);
      const followers = (await api.get(`/api/v2/persons/${survivor.id}/followers`)).body.data.map((f: { user_id: number }) => f.user_id);
      assert.deepEqual(followers.sort(), [ann.userId, bob.userId].sort());
      const served = await fetch(data.picture_id.pictures['128'], { headers: { 'x-api-token': tenant.token } });
      assert.equal(served.status, 200);

      const changelog = (await api.get(`/v1/persons/${survivor.id}/changelog`)).body.data;
      const changed = Object.fromEntries(changelog.map((c: { field_key: string; new_value: string }) => [c.field_key, c.new_value]));
      assert.equal(changed.job_title, 'CTO');
      assert.equal(changed.org_id, String(orgB.id));
      assert.equal(changed[budget], JSON.stringify({ value: 500, currency: 'EUR' }));
      assert.equal(changed.name, undefined, 'values that did not change are not logged');
      const flow = (await api.get(`/v1/persons/${survivor.id}/flow?items=personMerge,personFollower`)).body;
      const mergeItem = flow.data.find((i: { object: string }) => i.object === 'personMerge');
      assert.equal(mergeItem.data.merged_from_id, merged.id);
      assert.equal(flow.related_objects.person[merged.id].active_flag, false);
      assert.ok(flow.data.some((i: { object: string; data: { follower_user_id: number } }) => i.object === 'personFollower' && i.data.follower_user_id === ann.userId));
      const mergedHistory = await server.store.db
        .selectFrom('person_changes')
        .select(['kind', 'related_id'])
        .where('person_id', '=', merged.id)
        .where('kind', '=', 'merged_into')
        .execute();
      assert.deepEqual(mergedHistory, [{ kind: 'merged_into', related_id: survivor.id }], 'the merged person records where it went');
    });

    it('refuses merging with itself, with a deleted or unknown person, and bad bodies, changing nothing', async () => {
      const { api } = await newTenant(server);
      const other = await newTenant(server);
      const a = (await api.post('/api/v2/persons', { name: 'A' })).body.data;
      const b = (await api.post('/api/v2/persons', { name: 'B' })).body.data;
      const gone = (await api.post('/api/v2/persons', { name: 'Gone' })).body.data;
      await api.delete(`/api/v2/persons/${gone.id}`);
      const foreign = (await other.api.post('/api/v2/persons', { name: 'Foreign' })).body.data;

      const cases: [string, unknown, number, RegExp][] = [
        [`/v1/persons/${a.id}/merge`, { merge_with_id: a.id }, 400, /cannot be merged with itself/],
        [`/v1/persons/${a.id}/merge`, { merge_with_id: gone.id }, 400, new RegExp(`merge_with_id ${gone.id} is a deleted person`)],
        [`/v1/persons/${a.id}/merge`, { merge_with_id: 999999 }, 400, /merge_with_id 999999 is not a person of this company/],
        [`/v1/persons/${a.id}/merge`, { merge_with_id: foreign.id }, 400, /is not a person of this company/],
        [`/v1/persons/${gone.id}/merge`, { merge_with_id: a.id }, 404, /Person not found/],
        ['/v1/persons/999999/merge', { merge_with_id: a.id }, 404, /Person not found/],
        [`/v1/persons/${a.id}/merge`, {}, 400, /merge_with_id is required/],
        [`/v1/persons/${a.id}/merge`, { merge_with_id: String(b.id) }, 400, /merge_with_id must be an integer/],
        [`/v1/persons/${a.id}/merge`, { merge_with_id: b.id, extra: true }, 400, /unknown body property "extra"/],
      ];
      for (const [path, body, status, message] of cases) {
        const res = await api.put(path, body);
        assert.equal(res.status, status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
        assert.match(res.body.error, message);
        assert.equal(res.body.success, false);
      }
      assert.equal((await other.api.put(`/v1/persons/${a.id}/merge`, { merge_with_id: foreign.id })).status, 404);
      assert.equal((await api.get(`/api/v2/persons/${a.id}`)).status, 200);
      assert.equal((await api.get(`/api/v2/persons/${b.id}`)).status, 200);
      assert.deepEqual((await api.get(`/v1/persons/${b.id}/changelog`)).body.data, []);
    });

    it('two opposite merges of one pair at once: exactly one wins, and exactly one person is left', async () => {
      const { api } = await newTenant(server);
      for (let round = 0; round < 5; round += 1) {
        const a = (await api.post('/api/v2/persons', { name: `A${round}` })).body.data;
        const b = (await api.post('/api/v2/persons', { name: `B${round}` })).body.data;
        const [ab, ba] = await Promise.all([
          api.put(`/v1/persons/${a.id}/merge`, { merge_with_id: b.id }),
          api.put(`/v1/persons/${b.id}/merge`, { merge_with_id: a.id }),
        ]);
        const statuses = [ab.status, ba.status].sort();
        assert.equal(statuses[0], 200, JSON.stringify([ab.body, ba.body]));
        assert.ok(statuses[1] === 404 || statuses[1] === 400, `the other merge fails: ${JSON.stringify([ab.body, ba.body])}`);
        const alive = [(await api.get(`/api/v2/persons/${a.id}`)).status, (await api.get(`/api/v2/persons/${b.id}`)).status];
        assert.deepEqual(alive.sort(), [200, 404]);
      }
    });
  });

  describe(`merge atomicity [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
      // Fails the merge at its last step, after the survivor was rewritten and deals, followers and picture moved.
      server.services.personListeners.push(async (_trx, event) => {
        if (event.action === 'delete' && event.mergedToId !== undefined) throw new Error('injected failure');
      });
    });
    after(() => server.close());

    it('a failure halfway leaves both persons, their deals, followers, picture and history untouched', async () => {
      const tenant = await newTenant(server);
      const { api, addUser } = tenant;
      const ann = await addUser();
      const survivor = (await api.post('/api/v2/persons', { name: 'Survivor', emails: [{ value: 's@example.com' }] })).body.data;
      const merged = (await api.post('/api/v2/persons', { name: 'Merged', emails: [{ value: 'm@example.com' }], job_title: 'CTO' })).body.data;
      await api.post('/api/v2/deals', { title: 'M1', person_id: merged.id });
      await api.post(`/api/v2/persons/${merged.id}/followers`, { user_id: ann.userId });
      await uploadPicture(tenant, merged.id);
      const before = { survivor: await snapshot(api, survivor.id), merged: await snapshot(api, merged.id) };

      const res = await api.put(`/v1/persons/${merged.id}/merge`, { merge_with_id: survivor.id });
      assert.equal(res.status, 500);
      assert.equal(res.body.success, false);

      assert.deepEqual(await snapshot(api, survivor.id), before.survivor);
      assert.deepEqual(await snapshot(api, merged.id), before.merged);
      const flow = (await api.get(`/v1/persons/${survivor.id}/flow`)).body.data;
      assert.deepEqual(flow, [], 'no history was recorded');
      // A normal person write on the same server still works: the failure was the merge's alone.
      assert.equal((await api.patch(`/api/v2/persons/${survivor.id}`, { job_title: 'CEO' })).status, 200);
    });
  });
}
