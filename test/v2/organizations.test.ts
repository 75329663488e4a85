import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const ADDRESS_KEYS = [
  'value', 'country', 'admin_area_level_1', 'admin_area_level_2', 'locality', 'sublocality', 'route', 'street_number',
  'subpremise', 'postal_code', 'formatted_address',
].sort();

async function assertRejected(request: Promise<{ status: number; body: any }>, message: RegExp): Promise<void> {
  const res = await request;
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.success, false);
  assert.equal(res.body.data, null);
  assert.match(res.body.error, message);
}

async function createOrgs(api: Api, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, (_, j) => api.post('/api/v2/organizations', { name: `Org ${i + j}` })),
    );
    ids.push(...batch.map((res) => res.body.data.id));
  }
  return ids.sort((a, b) => a - b);
}

for (const backend of testBackends()) {
  describe(`v2 organizations [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('creates, reads, updates and soft-deletes an organization', async () => {
      const { api, userId } = await newTenant(server);
      const created = await api.post('/api/v2/organizations', { name: '  Acme Inc  ', visible_to: 7, label_ids: [4, 4, 1] });
      assert.equal(created.status, 200);
      const org = created.body.data;
      assert.equal(created.body.success, true);
      assert.equal(org.name, 'Acme Inc');
      assert.equal(org.owner_id, userId);
      assert.equal(org.visible_to, 7);
      assert.deepEqual(org.label_ids, [4, 1]);
      assert.equal(org.address, null);
      assert.equal(org.is_deleted, false);
      assert.equal(org.picture_id, null);
      assert.deepEqual(org.custom_fields, {});
      assert.match(org.add_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.equal(org.update_time, org.add_time);
      assert.deepEqual((await api.get(`/api/v2/organizations/${org.id}`)).body.data, org);

      const patched = await api.patch(`/api/v2/organizations/${org.id}`, { name: 'Acme Corp', update_time: '2030-01-01T00:00:00Z' });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.data.name, 'Acme Corp');
      assert.equal(patched.body.data.visible_to, 7, 'fields not sent stay');
      assert.equal(patched.body.data.update_time, '2030-01-01T00:00:00Z');
      const touched = await api.patch(`/api/v2/organizations/${org.id}`, { visible_to: 1 });
      assert.ok(touched.body.data.update_time < '2030-01-01T00:00:00Z', 'update_time moves to now on a change');

      const deleted = await api.delete(`/api/v2/organizations/${org.id}`);
      assert.deepEqual(deleted.body, { success: true, data: { id: org.id } });
      assert.equal((await api.get(`/api/v2/organizations/${org.id}`)).status, 404);
      assert.equal((await api.patch(`/api/v2/organizations/${org.id}`, { name: 'Back' })).status, 404);
      assert.equal((await api.delete(`/api/v2/organizations/${org.id}`)).status, 404);
      assert.deepEqual((await api.get('/api/v2/organizations')).body.data, []);
      const row = await server.store.db.selectFrom('organizations').select(['deleted_time']).where('id', '=', org.id).executeTakeFirst();
      assert.ok(row?.deleted_time, 'the row stays until the purge');
    });

    it('requires a name and validates types, owner and visibility', async () => {
      const a = await newTenant(server);
      const b = await newTenant(server);
      await assertRejected(a.api.post('/api/v2/organizations', {}), /name/);
      await assertRejected(a.api.post('/api/v2/organizations', { name: '' }), /name must not be empty/);
      await assertRejected(a.api.post('/api/v2/organizations', { name: '  ' }), /name must not be empty/);
      await assertRejected(a.api.post('/api/v2/organizations', { name: 42 }), /name must be a string/);
      await assertRejected(a.api.post('/api/v2/organizations', { name: 'X', owner_id: '1' }), /owner_id must be an integer/);
      await assertRejected(a.api.post('/api/v2/organizations', { name: 'X', owner_id: 999_999_999 }), /owner_id 999999999/);
      await assertRejected(a.api.post('/api/v2/organizations', { name: 'X', owner_id: b.userId }), /owner_id/);
      await assertRejected(a.api.post('/api/v2/organizations', { name: 'X', visible_to: 2 }), /visible_to/);
      await assertRejected(a.api.post('/api/v2/organizations', { name: 'X', title: 'Y' }), /unknown body property "title"/);
      await assertRejected(a.api.post('/api/v2/organizations', { name: 'X', add_time: '2024-02-30T00:00:00Z' }), /add_time/);
      await assertRejected(a.api.post('/api/v2/organizations', { name: 'X', address: { town: 'Y' } }), /address.*"town"/);
      assert.deepEqual((await a.api.get('/api/v2/organizations')).body.data, []);

      const colleague = await a.addUser();
      const owned = await a.api.post('/api/v2/organizations', { name: 'Owned', owner_id: colleague.userId });
      assert.equal(owned.body.data.owner_id, colleague.userId);
      await assertRejected(a.api.patch(`/api/v2/organizations/${owned.body.data.id}`, { name: '' }), /name/);
      await assertRejected(a.api.patch(`/api/v2/organizations/${owned.body.data.id}`, { owner_id: b.userId, name: 'Changed' }), /owner_id/);
      const unchanged = await a.api.get(`/api/v2/organizations/${owned.body.data.id}`);
      assert.deepEqual(unchanged.body.data, owned.body.data, 'a failed update changes nothing');
    });

    it('normalises the address', async () => {
      const { api } = await newTenant(server);
      const full = await api.post('/api/v2/organizations', { name: 'A', address: { value: ' 1 Main St, Springfield ', country: 'US', route: '' } });
      assert.deepEqual(Object.keys(full.body.data.address).sort(), ADDRESS_KEYS);
      assert.equal(full.body.data.address.value, '1 Main St, Springfield');
      assert.equal(full.body.data.address.country, 'US');
      assert.equal(full.body.data.address.route, null, 'blank parts are null');
      assert.equal(full.body.data.address.locality, null, 'missing parts are null');

      const parts = await api.post('/api/v2/organizations', { name: 'B', address: { street_number: '12', route: 'High St', postal_code: 'LS1', locality: 'Leeds', country: 'UK' } });
      assert.equal(parts.body.data.address.value, '12 High St, LS1 Leeds, UK', 'value composed from the parts');

      const empty = await api.post('/api/v2/organizations', { name: 'C', address: { value: '  ' } });
      assert.equal(empty.body.data.address, null);

      const id = full.body.data.id;
      const moved = await api.patch(`/api/v2/organizations/${id}`, { address: { value: '2 Side St', locality: 'Shelbyville' } });
      assert.equal(moved.body.data.address.value, '2 Side St');
      assert.equal(moved.body.data.address.country, null, 'an address replaces the stored one');
      const cleared = await api.patch(`/api/v2/organizations/${id}`, { address: null });
      assert.equal(cleared.body.data.address, null);
      await assertRejected(api.post('/api/v2/organizations', { name: 'D', address: { locality: 'x'.repeat(256) } }), /address\.locality/);
    });

    it('lists with paging, sorting and owner filter, leaving deleted ones out', async () => {
      const { api, addUser } = await newTenant(server);
      const ids = await createOrgs(api, 12);
      const colleague = await addUser();
      const theirs = (await api.post('/api/v2/organizations', { name: 'Theirs', owner_id: colleague.userId })).body.data.id;
      await api.delete(`/api/v2/organizations/${ids[3]}`);
      const live = [...ids.filter((id) => id !== ids[3]), theirs];

      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { status: number; body: any } = await api.get(`/api/v2/organizations?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(res.status, 200);
        assert.ok(res.body.data.length <= 5);
        seen.push(...res.body.data.map((o: { id: number }) => o.id));
        cursor = res.body.additional_data.next_cursor;
        pages += 1;
      } while (cursor !== null);
      assert.deepEqual(seen, live);
      assert.equal(pages, 3);

      const desc = await api.get('/api/v2/organizations?sort_by=id&sort_direction=desc&limit=3');
      assert.deepEqual(desc.body.data.map((o: { id: number }) => o.id), live.slice().reverse().slice(0, 3));
      const byOwner = await api.get(`/api/v2/organizations?owner_id=${colleague.userId}`);
      assert.deepEqual(byOwner.body.data.map((o: { id: number }) => o.id), [theirs]);
      const byIds = await api.get(`/api/v2/organizations?ids=${ids[0]},${ids[3]},${theirs}`);
      assert.deepEqual(byIds.body.data.map((o: { id: number }) => o.id), [ids[0], theirs]);
      assert.equal((await api.get('/api/v2/organizations?limit=501')).status, 400);
      const bad = await api.get(`/api/v2/organizations?sort_by=update_time&cursor=${encodeURIComponent(desc.body.additional_data.next_cursor)}`);
      assert.equal(bad.status, 400);
    });

    it('keeps persons linked to an organization listable by org_id', async () => {
      const { api } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id;
      const person = (await api.post('/api/v2/persons', { name: 'P', org_id: org })).body.data.id;
      const res = await api.get(`/api/v2/persons?org_id=${org}`);
      assert.deepEqual(res.body.data.map((p: { id: number }) => p.id), [person]);
    });
  });
}
