import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { type Api, type Tenant, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

async function uploadPicture(tenant: Tenant, personId: number): Promise<number> {
  const png = await sharp({ create: { width: 200, height: 200, channels: 3, background: { r: 10, g: 20, b: 200 } } }).png().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)]), 'p.png');
  const response = await fetch(`${tenant.api.baseUrl}/v1/persons/${personId}/picture`, { method: 'POST', headers: { 'x-api-token': tenant.token }, body: form });
  assert.equal(response.status, 200);
  return ((await response.json()) as any).data.id;
}

/** Everything a client can read about a person: itself with counts, its deals, followers and picture. */
async function state(api: Api, id: number) {
  const person = (await api.get(`/api/v2/persons/${id}?include_fields=open_deals_count,followers_count`)).body.data;
  if (person) delete person.update_time;
  const deals = (await api.get(`/api/v2/deals?person_id=${id}`)).body.data.map((d: any) => d.id);
  const followers = (await api.get(`/api/v2/persons/${id}/followers`)).body.data?.map((f: any) => [f.user_id, f.add_time]);
  const picture = (await api.get(`/api/v2/persons/${id}/picture`)).body.data?.id ?? null;
  return { person, deals, followers, picture };
}

async function setUpPair(tenant: Tenant) {
  const { api } = tenant;
  const user = await tenant.addUser();
  const field = (await api.post('/v1/personFields', { name: 'Tier', field_type: 'varchar' })).body.data.key;
  const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id;
  const survivor = (
    await api.post('/api/v2/persons', { name: 'Jane Doe', emails: [{ value: 'jane@acme.io' }], phones: [{ value: '+33 6 28 23 04 55' }], custom_fields: { [field]: 'gold' } })
  ).body.data;
  const merged = (
    await api.post('/api/v2/persons', {
      name: 'J. Doe',
      org_id: org,
      emails: [{ value: 'JANE@acme.io' }, { value: 'jd@home.io', label: 'home' }],
      phones: [{ value: '+33628230455' }, { value: '+1 415 555 0100' }],
      job_title: 'CTO',
      notes: 'met at the fair',
    })
  ).body.data;
  const deal = (await api.post('/api/v2/deals', { title: 'Big deal', person_id: merged.id })).body.data.id;
  await api.post(`/api/v2/persons/${merged.id}/followers`, { user_id: user.userId });
  await api.post(`/api/v2/persons/${merged.id}/followers`, { user_id: tenant.userId });
  await api.post(`/api/v2/persons/${survivor.id}/followers`, { user_id: tenant.userId });
  const picture = await uploadPicture(tenant, merged.id);
  return { survivor: survivor.id as number, merged: merged.id as number, deal, field, org, picture, user };
}

for (const backend of testBackends()) {
  describe(`merge preview and undo [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('dry_run=true answers exactly what the merge answers, with each value\'s source, and changes nothing', async () => {
      const tenant = await newTenant(server);
      const pair = await setUpPair(tenant);
      const before = [await state(tenant.api, pair.survivor), await state(tenant.api, pair.merged)];
      const history = (await tenant.api.get(`/v1/persons/${pair.survivor}/changelog`)).body.data;

      const dry = await tenant.api.put(`/v1/persons/${pair.merged}/merge?dry_run=true`, { merge_with_id: pair.survivor });
      assert.equal(dry.status, 200, JSON.stringify(dry.body));
      assert.equal(dry.body.additional_data.dry_run, true);
      assert.deepEqual([await state(tenant.api, pair.survivor), await state(tenant.api, pair.merged)], before, 'nothing changed');
      assert.deepEqual((await tenant.api.get(`/v1/persons/${pair.survivor}/changelog`)).body.data, history, 'no history written');

      const sources = dry.body.additional_data.sources as any[];
      const source = (field: string, value?: unknown) => sources.find((s) => s.field === field && (value === undefined || JSON.stringify(s.value).includes(String(value))));
      assert.equal(source('name').source, 'merge_with_id');
      assert.equal(source('job_title').source, 'id');
      assert.equal(source('job_title').person_id, pair.merged);
      assert.equal(source('org_id').value, pair.org);
      assert.equal(source('emails', 'jane@acme.io').source, 'both');
      assert.equal(source('emails', 'jd@home.io').source, 'id');
      assert.equal(source('phones', '+33 6 28 23 04 55').source, 'both', 'one number in two spellings');
      assert.equal(source('phones', '+1 415').source, 'id');
      assert.equal(source(`custom_fields.${pair.field}`).source, 'merge_with_id');
      assert.equal(source('picture_id').source, 'id');
      assert.equal(source('birthday').source, null);

      const real = await tenant.api.put(`/v1/persons/${pair.merged}/merge`, { merge_with_id: pair.survivor });
      assert.equal(real.status, 200);
      assert.equal(real.body.additional_data, undefined, 'the real merge answers as Pipedrive does');
      const strip = (data: any) => {
        const { update_time: _u, ...rest } = data;
        return JSON.parse(JSON.stringify(rest).replace(/"update_time":"[^"]*"/g, '"update_time":null'));
      };
      assert.deepEqual(strip(dry.body.data), strip(real.body.data));
      assert.equal(real.body.data.phone.length, 2, 'the two spellings of one number were united');
    });

    it('merge then unmerge restores both persons, their deals, followers and picture exactly', async () => {
      const tenant = await newTenant(server);
      const pair = await setUpPair(tenant);
      const before = [await state(tenant.api, pair.survivor), await state(tenant.api, pair.merged)];
      assert.equal((await tenant.api.put(`/v1/persons/${pair.merged}/merge`, { merge_with_id: pair.survivor })).status, 200);
      assert.equal((await tenant.api.get(`/api/v2/persons/${pair.merged}`)).status, 404);

      const res = await tenant.api.post(`/api/v2/persons/${pair.survivor}/unmerge`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.additional_data.not_restored, []);
      assert.equal(res.body.data.restored.id, pair.merged);
      assert.deepEqual([await state(tenant.api, pair.survivor), await state(tenant.api, pair.merged)], before);
      // The restored person is found again: by search and as a duplicate.
      const search = await tenant.api.get('/api/v2/persons/search?term=jd@home.io');
      assert.deepEqual(search.body.data.items.map((i: any) => i.item.id), [pair.merged]);
      assert.ok((await tenant.api.get(`/api/v2/persons/${pair.survivor}/duplicates`)).body.data.some((d: any) => d.id === pair.merged));

      const again = await tenant.api.post(`/api/v2/persons/${pair.survivor}/unmerge`);
      assert.equal(again.status, 404, 'a merge is undone once');
    });

    it('unmerge after later edits keeps those edits and says what it could not restore', async () => {
      const tenant = await newTenant(server);
      const pair = await setUpPair(tenant);
      await tenant.api.put(`/v1/persons/${pair.merged}/merge`, { merge_with_id: pair.survivor });
      await tenant.api.patch(`/api/v2/persons/${pair.survivor}`, { job_title: 'CEO', name: 'Jane Q. Doe' });
      const otherPerson = (await tenant.api.post('/api/v2/persons', { name: 'Elsewhere' })).body.data.id;
      await tenant.api.patch(`/api/v2/deals/${pair.deal}`, { person_id: otherPerson });

      const res = await tenant.api.post(`/api/v2/persons/${pair.merged}/unmerge`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const reported = res.body.additional_data.not_restored.map((n: any) => n.field).sort();
      assert.deepEqual(reported, [`deal ${pair.deal}`, 'job_title']);
      const survivor = res.body.data.survivor;
      assert.equal(survivor.name, 'Jane Q. Doe', 'edited since: kept');
      assert.equal(survivor.job_title, 'CEO', 'edited since: kept');
      assert.equal(survivor.org_id, null, 'not edited since: restored');
      assert.deepEqual(survivor.emails.map((e: any) => e.value), ['jane@acme.io']);
      const restored = res.body.data.restored;
      assert.equal(restored.job_title, 'CTO');
      assert.equal((await tenant.api.get(`/api/v2/deals/${pair.deal}`)).body.data.person_id, otherPerson, 'the deal stays where it was moved');
    });

    it('refuses to undo a merge whose survivor was merged away since, and answers 404 without a merge or to another company', async () => {
      const tenant = await newTenant(server);
      const a = (await tenant.api.post('/api/v2/persons', { name: 'A' })).body.data.id;
      const b = (await tenant.api.post('/api/v2/persons', { name: 'B' })).body.data.id;
      const c = (await tenant.api.post('/api/v2/persons', { name: 'C' })).body.data.id;
      assert.equal((await tenant.api.post(`/api/v2/persons/${a}/unmerge`)).status, 404);
      await tenant.api.put(`/v1/persons/${a}/merge`, { merge_with_id: b });
      const other = await newTenant(server);
      assert.equal((await other.api.post(`/api/v2/persons/${b}/unmerge`)).status, 404);
      await tenant.api.put(`/v1/persons/${b}/merge`, { merge_with_id: c });
      const blocked = await tenant.api.post(`/api/v2/persons/${a}/unmerge`);
      assert.equal(blocked.status, 409);
      assert.match(blocked.body.error, /undo that first/);
      assert.equal((await tenant.api.post(`/api/v2/persons/${c}/unmerge`)).status, 200);
      assert.equal((await tenant.api.post(`/api/v2/persons/${a}/unmerge`)).status, 200);
      for (const [id, name] of [[a, 'A'], [b, 'B'], [c, 'C']] as const) assert.equal((await tenant.api.get(`/api/v2/persons/${id}`)).body.data.name, name);
    });
  });
}
