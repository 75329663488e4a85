import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`v2 persons CRUD [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('answers include_fields for what personsd stores nothing of with what Pipedrive answers for none, and activity counts of a person without activities', async () => {
      const { api } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Nobody Mailed' })).body.data;
      const unstored = ['files_count', 'email_messages_count', 'participant_open_deals_count', 'participant_closed_deals_count', 'last_incoming_mail_time', 'last_outgoing_mail_time', 'doi_status', 'smart_bcc_email'];
      const read = await api.get(`/api/v2/persons/${person.id}?include_fields=${unstored.join(',')},notes_count`);
      assert.equal(read.status, 200, JSON.stringify(read.body));
      const picked = Object.fromEntries([...unstored, 'notes_count'].map((f) => [f, read.body.data[f]]));
      assert.deepEqual(picked, {
        files_count: 0, email_messages_count: 0, participant_open_deals_count: 0, participant_closed_deals_count: 0,
        last_incoming_mail_time: null, last_outgoing_mail_time: null, doi_status: null, smart_bcc_email: null, notes_count: 0,
      });
      const listed = (await api.get('/api/v2/persons?include_fields=files_count,doi_status')).body.data;
      assert.deepEqual(listed.map((p: any) => [p.files_count, p.doi_status]), [[0, null]]);
      const activities = await api.get(`/api/v2/persons/${person.id}?include_fields=activities_count,undone_activities_count,next_activity_id,last_activity_id`);
      assert.equal(activities.status, 200, JSON.stringify(activities.body));
      const { activities_count, undone_activities_count, next_activity_id, last_activity_id } = activities.body.data;
      assert.deepEqual({ activities_count, undone_activities_count, next_activity_id, last_activity_id }, { activities_count: 0, undone_activities_count: 0, next_activity_id: null, last_activity_id: null });
      assert.equal((await api.get(`/api/v2/persons/${person.id}?include_fields=products_count`)).status, 400);
    });

    it('creates a person with every field and reads it back', async () => {
      const { api, userId } = await newTenant(server);
      const org = await api.post('/api/v2/organizations', { name: 'Acme' });
      assert.equal(org.status, 200);
      const labels = (await api.get('/api/v2/personFields/label_ids')).body.data.options.map((o: { id: number }) => o.id);
      const created = await api.post('/api/v2/persons', {
        name: 'Jane Doe',
        org_id: org.body.data.id,
        emails: [{ value: 'jane@example.com', label: 'home' }, { value: 'jd@work.example', primary: true }],
        phones: [{ value: '+1 (415) 555-0100' }],
        im: [{ value: 'jane.skype', label: 'skype' }],
        visible_to: 7,
        label_ids: [labels[1], labels[1], labels[3]],
        postal_address: { value: '1 Main St, Springfield', locality: 'Springfield', country: 'US' },
        notes: 'Met at the fair',
        birthday: '1990-02-28',
        job_title: 'CTO',
      });
      assert.equal(created.status, 200);
      const person = created.body.data;
      assert.equal(created.body.success, true);
      assert.equal(person.name, 'Jane Doe');
      assert.equal(person.first_name, 'Jane');
      assert.equal(person.last_name, 'Doe');
      assert.equal(person.owner_id, userId);
      assert.equal(person.org_id, org.body.data.id);
      assert.deepEqual(person.emails, [
        { value: 'jane@example.com', primary: false, label: 'home' },
        { value: 'jd@work.example', primary: true, label: 'work' },
      ]);
      assert.deepEqual(person.phones, [{ value: '+1 (415) 555-0100', primary: true, label: 'work' }]);
      assert.deepEqual(person.im, [{ value: 'jane.skype', primary: true, label: 'skype' }]);
      assert.equal(person.visible_to, 7);
      assert.deepEqual(person.label_ids, [labels[1], labels[3]]);
      assert.equal(person.postal_address.locality, 'Springfield');
      assert.equal(person.postal_address.route, null);
      assert.equal(person.notes, 'Met at the fair');
      assert.equal(person.birthday, '1990-02-28');
      assert.equal(person.job_title, 'CTO');
      assert.equal(person.is_deleted, false);
      assert.match(person.add_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

      const read = await api.get(`/api/v2/persons/${person.id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.data, person);
    });

    it('accepts first_name and last_name instead of name', async () => {
      const { api } = await newTenant(server);
      const res = await api.post('/api/v2/persons', { first_name: 'Ada', last_name: 'Lovelace' });
      assert.equal(res.status, 200);
      assert.equal(res.body.data.name, 'Ada Lovelace');
      const single = await api.post('/api/v2/persons', { name: 'Madonna' });
      assert.equal(single.body.data.first_name, 'Madonna');
      assert.equal(single.body.data.last_name, null);
    });

    it('patches only the given fields and keeps names consistent', async () => {
      const { api } = await newTenant(server);
      const { body } = await api.post('/api/v2/persons', { name: 'Jane Doe', emails: [{ value: 'a@example.com' }], add_time: '2020-01-01T00:00:00Z' });
      const id = body.data.id;
      const patched = await api.patch(`/api/v2/persons/${id}`, { last_name: 'Smith', job_title: 'CEO' });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.data.name, 'Jane Smith');
      assert.equal(patched.body.data.first_name, 'Jane');
      assert.equal(patched.body.data.job_title, 'CEO');
      assert.deepEqual(patched.body.data.emails, body.data.emails);
      assert.ok(patched.body.data.update_time > '2020-01-01T00:00:00Z', 'update_time moves on change');
      const renamed = await api.patch(`/api/v2/persons/${id}`, { name: 'Mary Ann Jones' });
      assert.equal(renamed.body.data.first_name, 'Mary Ann');
      assert.equal(renamed.body.data.last_name, 'Jones');
      const cleared = await api.patch(`/api/v2/persons/${id}`, { emails: [], job_title: null });
      assert.deepEqual(cleared.body.data.emails, []);
      assert.equal(cleared.body.data.job_title, null);
    });

    it('soft-deletes: 404 afterwards, gone from lists, delete again is 404', async () => {
      const { api } = await newTenant(server);
      const { body } = await api.post('/api/v2/persons', { name: 'Temp' });
      const id = body.data.id;
      const deleted = await api.delete(`/api/v2/persons/${id}`);
      assert.equal(deleted.status, 200);
      assert.deepEqual(deleted.body, { success: true, data: { id } });
      assert.equal((await api.get(`/api/v2/persons/${id}`)).status, 404);
      assert.equal((await api.patch(`/api/v2/persons/${id}`, { name: 'x' })).status, 404);
      assert.equal((await api.delete(`/api/v2/persons/${id}`)).status, 404);
      const list = await api.get('/api/v2/persons');
      assert.deepEqual(list.body.data, []);
    });

    it('applies the marketing status rules', async () => {
      const { api } = await newTenant(server);
      const noEmail = await api.post('/api/v2/persons?include_fields=marketing_status', { name: 'A', marketing_status: 'subscribed' });
      const a = await api.get(`/api/v2/persons/${noEmail.body.data.id}?include_fields=marketing_status`);
      assert.equal(a.body.data.marketing_status, null, 'no email, no status');
      const p = await api.post('/api/v2/persons', { name: 'B', emails: [{ value: 'b@example.com' }] });
      const id = p.body.data.id;
      const get = () => api.get(`/api/v2/persons/${id}?include_fields=marketing_status`).then((r) => r.body.data.marketing_status);
      assert.equal(await get(), 'no_consent');
      await api.patch(`/api/v2/persons/${id}`, { marketing_status: 'subscribed' });
      assert.equal(await get(), 'subscribed');
      await api.patch(`/api/v2/persons/${id}`, { marketing_status: 'unsubscribed' });
      assert.equal(await get(), 'subscribed', 'only one change is allowed');
      assert.equal(p.body.data.marketing_status, undefined, 'only returned when asked for');
    });
  });
}
