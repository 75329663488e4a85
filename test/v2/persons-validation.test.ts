import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/** A 400 in the error envelope whose message matches `message` (which names the field). */
async function assertRejected(request: Promise<{ status: number; body: any }>, message: RegExp): Promise<void> {
  const res = await request;
  assert.equal(res.status, 400, `expected 400, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.success, false);
  assert.equal(res.body.data, null);
  assert.equal(res.body.additional_data, null);
  assert.match(res.body.error, message);
}

async function listPersons(api: Api): Promise<unknown[]> {
  const res = await api.get('/api/v2/persons');
  assert.equal(res.status, 200);
  return res.body.data;
}

for (const backend of testBackends()) {
  describe(`v2 persons validation [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('refuses wrong types instead of coercing them, naming the field', async () => {
      const { api } = await newTenant(server);
      const cases: [unknown, RegExp][] = [
        [{ name: 'A', owner_id: '1' }, /owner_id must be an integer/],
        [{ name: 5 }, /name must be a string/],
        [{ name: 'A', emails: [{ value: 'a@example.com', primary: 'true' }] }, /emails\[0\]\.primary must be a boolean/],
        [{ name: 'A', phones: [{ value: 12345 }] }, /phones\[0\]\.value must be a string/],
        [{ name: 'A', emails: 'a@example.com' }, /emails must be an array/],
        [{ name: 'A', emails: ['a@example.com'] }, /emails\[0\] must be an object/],
        [{ name: 'A', org_id: '3' }, /org_id must be an integer/],
        [{ name: 'A', visible_to: '3' }, /visible_to must be an integer/],
        [{ name: 'A', label_ids: [1, '2'] }, /label_ids\[1\] must be an integer/],
        [{ name: 'A', owner_id: 1.5 }, /owner_id must be an integer/],
        [{ name: 'A', postal_address: 'Main St 1' }, /postal_address must be an object/],
        [{ name: 'A', postal_address: { locality: 7 } }, /postal_address\.locality must be a string/],
        [{ name: 'A', birthday: 19900101 }, /birthday must be a string/],
        [{ name: 'A', marketing_status: 'yes' }, /marketing_status must be one of/],
        [{ name: 'A', add_time: 1700000000 }, /add_time must be a string/],
      ];
      for (const [body, message] of cases) await assertRejected(api.post('/api/v2/persons', body), message);
      assert.deepEqual(await listPersons(api), []);
    });

    it('refuses unknown body properties, naming them', async () => {
      const { api } = await newTenant(server);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', email: 'a@example.com' }), /unknown body property "email"/);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', emails: [{ value: 'a@example.com', kind: 'x' }] }), /emails\[0\].*"kind"/);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', postal_address: { town: 'X' } }), /postal_address.*"town"/);
      const { body } = await api.post('/api/v2/persons', { name: 'B' });
      await assertRejected(api.patch(`/api/v2/persons/${body.data.id}`, { nmae: 'C' }), /unknown body property "nmae"/);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', custom_fields: { abc: 1 } }), /custom_fields\.abc/);
    });

    it('requires a non-empty name on create and refuses emptying it on update', async () => {
      const { api } = await newTenant(server);
      await assertRejected(api.post('/api/v2/persons', {}), /name/);
      await assertRejected(api.post('/api/v2/persons', { emails: [{ value: 'a@example.com' }] }), /name/);
      await assertRejected(api.post('/api/v2/persons', { name: '' }), /name must not be empty/);
      await assertRejected(api.post('/api/v2/persons', { name: '   ' }), /name must not be empty/);
      await assertRejected(api.post('/api/v2/persons', { first_name: '', last_name: '' }), /first_name and last_name/);
      await assertRejected(api.post('/api/v2/persons', { name: 'x'.repeat(256) }), /name is longer than 255/);
      const { body } = await api.post('/api/v2/persons', { name: 'Jane Doe' });
      await assertRejected(api.patch(`/api/v2/persons/${body.data.id}`, { name: '' }), /name must not be empty/);
      await assertRejected(api.patch(`/api/v2/persons/${body.data.id}`, { first_name: null, last_name: null }), /first_name and last_name/);
      assert.equal((await api.get(`/api/v2/persons/${body.data.id}`)).body.data.name, 'Jane Doe');
    });

    it('validates emails and the single primary of each list', async () => {
      const { api } = await newTenant(server);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', emails: [{ value: 'not-an-email' }] }), /emails\[0\]\.value .*not a valid email/);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', emails: [{ value: 'a@example.com' }, { value: 'b@' }] }), /emails\[1\]\.value/);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', emails: [{ value: 'a @example.com' }] }), /emails\[0\]\.value/);
      await assertRejected(
        api.post('/api/v2/persons', { name: 'A', emails: [{ value: 'a@example.com', primary: true }, { value: 'b@example.com', primary: true }] }),
        /emails has 2 items marked primary/,
      );
      await assertRejected(
        api.post('/api/v2/persons', { name: 'A', phones: [{ value: '1', primary: true }, { value: '2', primary: true }] }),
        /phones has 2 items marked primary/,
      );
      await assertRejected(api.post('/api/v2/persons', { name: 'A', phones: [{ value: 'call me' }] }), /phones\[0\]\.value/);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', emails: [{ primary: true }] }), /emails\[0\]\.value is required/);
      assert.deepEqual(await listPersons(api), []);
    });

    it('defaults labels and makes the first item primary when none is marked', async () => {
      const { api } = await newTenant(server);
      const res = await api.post('/api/v2/persons', {
        name: 'A',
        emails: [{ value: ' a@example.com ' }, { value: 'b@example.com', label: 'home' }, { value: '' }],
        phones: [{ value: '555 0100', label: 'mobile' }, { value: '555 0101', primary: true }],
      });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data.emails, [
        { value: 'a@example.com', primary: true, label: 'work' },
        { value: 'b@example.com', primary: false, label: 'home' },
      ]);
      assert.deepEqual(res.body.data.phones, [
        { value: '555 0100', primary: false, label: 'mobile' },
        { value: '555 0101', primary: true, label: 'work' },
      ]);
    });

    it('refuses a visible_to that is not 1, 3, 5 or 7', async () => {
      const { api } = await newTenant(server);
      for (const visible_to of [0, 2, 4, 8, -1]) {
        await assertRejected(api.post('/api/v2/persons', { name: 'A', visible_to }), /visible_to must be one of 1, 3, 5, 7/);
      }
      for (const visible_to of [1, 3, 5, 7]) {
        const res = await api.post('/api/v2/persons', { name: 'A', visible_to });
        assert.equal(res.body.data.visible_to, visible_to);
      }
      const fallback = await api.post('/api/v2/persons', { name: 'Default' });
      assert.equal(fallback.body.data.visible_to, 3);
    });

    it('refuses a birthday that is not a real YYYY-MM-DD date', async () => {
      const { api } = await newTenant(server);
      for (const birthday of ['2023-02-30', '2023-13-01', '2023-00-10', '1990-1-5', '05/01/1990', '2023-02-29', '']) {
        await assertRejected(api.post('/api/v2/persons', { name: 'A', birthday }), /birthday/);
      }
      const leap = await api.post('/api/v2/persons', { name: 'Leap', birthday: '2024-02-29' });
      assert.equal(leap.status, 200);
      assert.equal(leap.body.data.birthday, '2024-02-29');
      const cleared = await api.patch(`/api/v2/persons/${leap.body.data.id}`, { birthday: null });
      assert.equal(cleared.body.data.birthday, null);
    });

    it('refuses add_time and update_time that are not RFC 3339, and normalises offsets to UTC', async () => {
      const { api } = await newTenant(server);
      const invalidTimes = ['yesterday', '2024-02-30T10:00:00Z', '2024-01-01T25:00:00Z', '2024-01-01', '2024-01-01T10:00:00+2', '0001-01-01T00:00:00+01:00'];
      for (const add_time of invalidTimes) {
        await assertRejected(api.post('/api/v2/persons', { name: 'A', add_time }), /add_time/);
      }
      await assertRejected(api.post('/api/v2/persons', { name: 'A', update_time: 'now' }), /update_time/);
      const res = await api.post('/api/v2/persons', { name: 'A', add_time: '2024-03-10T12:30:00.250+02:00' });
      assert.equal(res.body.data.add_time, '2024-03-10T10:30:00Z');
      assert.equal(res.body.data.update_time, '2024-03-10T10:30:00Z');
    });

    it('requires owner_id to be an active user of the same company', async () => {
      const a = await newTenant(server);
      const b = await newTenant(server);
      await assertRejected(a.api.post('/api/v2/persons', { name: 'A', owner_id: 999_999_999 }), /owner_id 999999999/);
      await assertRejected(a.api.post('/api/v2/persons', { name: 'A', owner_id: b.userId }), new RegExp(`owner_id ${b.userId}`));
      const colleague = await a.addUser();
      const owned = await a.api.post('/api/v2/persons', { name: 'A', owner_id: colleague.userId });
      assert.equal(owned.status, 200);
      assert.equal(owned.body.data.owner_id, colleague.userId);
      await assertRejected(a.api.patch(`/api/v2/persons/${owned.body.data.id}`, { owner_id: b.userId }), /owner_id/);
      assert.equal((await a.api.get(`/api/v2/persons/${owned.body.data.id}`)).body.data.owner_id, colleague.userId);
      await server.store.db.updateTable('users').set({ active_flag: 0 }).where('id', '=', colleague.userId).execute();
      await assertRejected(a.api.post('/api/v2/persons', { name: 'A', owner_id: colleague.userId }), /not an active user/);
    });

    it('requires org_id to be a live organization of the same company', async () => {
      const a = await newTenant(server);
      const b = await newTenant(server);
      const otherOrg = await b.api.post('/api/v2/organizations', { name: 'B Corp' });
      const org = await a.api.post('/api/v2/organizations', { name: 'A Corp' });
      await assertRejected(a.api.post('/api/v2/persons', { name: 'A', org_id: 999_999_999 }), /org_id 999999999/);
      await assertRejected(a.api.post('/api/v2/persons', { name: 'A', org_id: otherOrg.body.data.id }), /org_id/);
      const linked = await a.api.post('/api/v2/persons', { name: 'Linked', org_id: org.body.data.id });
      assert.equal(linked.body.data.org_id, org.body.data.id);
      assert.equal((await a.api.delete(`/api/v2/organizations/${org.body.data.id}`)).status, 200);
      await assertRejected(a.api.post('/api/v2/persons', { name: 'A', org_id: org.body.data.id }), /org_id/);
      await assertRejected(a.api.patch(`/api/v2/persons/${linked.body.data.id}`, { org_id: otherOrg.body.data.id }), /org_id/);
      const unlinked = await a.api.patch(`/api/v2/persons/${linked.body.data.id}`, { org_id: null });
      assert.equal(unlinked.body.data.org_id, null);
    });

    it('refuses notes over 10000 characters and other over-long text', async () => {
      const { api } = await newTenant(server);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', notes: 'n'.repeat(10_001) }), /notes/);
      const ok = await api.post('/api/v2/persons', { name: 'A', notes: 'n'.repeat(10_000) });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.data.notes.length, 10_000);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', job_title: 'j'.repeat(256) }), /job_title/);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', emails: [{ value: `${'a'.repeat(250)}@example.com` }] }), /emails\[0\]\.value/);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', postal_address: { locality: 'l'.repeat(256) } }), /postal_address\.locality/);
    });

    it('changes nothing when a write fails', async () => {
      const { api } = await newTenant(server);
      const created = await api.post('/api/v2/persons', {
        name: 'Jane Doe',
        emails: [{ value: 'jane@example.com' }],
        job_title: 'CTO',
        add_time: '2024-01-01T00:00:00Z',
      });
      const id = created.body.data.id;
      const before = await api.get('/api/v2/persons');
      const failures = [
        api.patch(`/api/v2/persons/${id}`, { name: 'New Name', emails: [{ value: 'broken' }] }),
        api.patch(`/api/v2/persons/${id}`, { job_title: 'CEO', owner_id: 999_999_999 }),
        api.patch(`/api/v2/persons/${id}`, { job_title: 'CEO', org_id: 999_999_999 }),
        api.patch(`/api/v2/persons/${id}`, { job_title: 'CEO', birthday: '2023-02-30' }),
        api.post('/api/v2/persons', { name: 'Ghost', org_id: 999_999_999 }),
        api.post('/api/v2/persons', { name: 'Ghost', owner_id: 999_999_999 }),
      ];
      for (const res of await Promise.all(failures)) assert.equal(res.status, 400);
      const afterwards = await api.get('/api/v2/persons');
      assert.deepEqual(afterwards.body, before.body);
      assert.equal(afterwards.body.data[0].update_time, '2024-01-01T00:00:00Z');
      const contacts = await server.store.db.selectFrom('person_contacts').select(['value']).where('person_id', '=', id).execute();
      assert.deepEqual(contacts, [{ value: 'jane@example.com' }]);
    });

    it('refuses ids and numbers beyond 32 bits on both stores, instead of failing in the database', async () => {
      const a = await newTenant(server);
      const big = 99_999_999_999;
      const attempts: [Promise<{ status: number; body: any }>, RegExp][] = [
        [a.api.get(`/api/v2/persons/${big}`), /id must be <= 2147483647/],
        [a.api.get('/api/v2/persons/99999999999999999999999'), /id must be <= 2147483647/],
        [a.api.post('/api/v2/persons', { name: 'A', owner_id: big }), /owner_id must be <= 2147483647/],
        [a.api.post('/api/v2/persons', { name: 'A', org_id: big }), /org_id must be <= 2147483647/],
        [a.api.post('/api/v2/persons', { name: 'A', visible_to: big }), /visible_to/],
        [a.api.get(`/api/v2/persons?ids=1,${big}`), /ids/],
        [a.api.get(`/api/v2/persons?owner_id=${big}`), /owner_id/],
        [a.api.get(`/api/v2/persons?org_id=${big}`), /org_id/],
        [a.api.get(`/api/v2/organizations/${big}`), /id/],
        [a.api.get(`/api/v2/organizations?ids=${big}`), /ids/],
        [a.api.post('/api/v2/organizations', { name: 'O', owner_id: big }), /owner_id/],
        [a.api.get(`/v1/users/${big}`), /id/],
      ];
      for (const [request, message] of attempts) await assertRejected(request, message);
      const largest = await a.api.get('/api/v2/persons/2147483647');
      assert.equal(largest.status, 404, 'the largest id is simply not found');
    });

    it('refuses the NUL character, which PostgreSQL cannot store', async () => {
      const { api } = await newTenant(server);
      await assertRejected(api.post('/api/v2/persons', { name: 'Nul\u0000Byte' }), /name must not contain the NUL character/);
      await assertRejected(api.post('/api/v2/persons', { name: 'A', emails: [{ value: 'a@example.com', label: 'x\u0000' }] }), /emails\[0\]\.label/);
      await assertRejected(api.get('/api/v2/persons?cursor=%00'), /cursor/);
      assert.deepEqual(await listPersons(api), []);
    });

    it('refuses bad path and query parameters', async () => {
      const { api } = await newTenant(server);
      await assertRejected(api.get('/api/v2/persons/abc'), /id/);
      await assertRejected(api.get('/api/v2/persons/0'), /id/);
      await assertRejected(api.get('/api/v2/persons?include_fields=nonsense'), /include_fields/);
      await assertRejected(api.get('/api/v2/persons?limit=many&colour=red'), /limit/);
    });
  });
}
