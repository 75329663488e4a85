import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Api, newTenant, testBackends } from '../helpers/server.ts';
import { eventually, webhookSuite } from '../helpers/webhooks.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const V1_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

async function subscribe(api: Api, body: Record<string, unknown>): Promise<any> {
  const res = await api.post('/v1/webhooks', body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data;
}

/** Waits a little past the point where a wrongly sent event would have arrived. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

for (const backend of testBackends()) {
  describe(`webhook payloads [${backend.name}]`, () => {
    const suite = webhookSuite(backend);

    it('v2: create, change (only changed fields in previous) and delete of a person', async () => {
      const { api, userId, companyId } = await newTenant(suite.server);
      const hook = await subscribe(api, { subscription_url: suite.receiver.url, event_action: '*', event_object: 'person' });
      const created = (await api.post('/api/v2/persons', { name: 'Jane Doe', emails: [{ value: 'jane@example.com' }], visible_to: 7 })).body.data;
      assert.equal((await api.patch(`/api/v2/persons/${created.id}`, { job_title: 'CTO', visible_to: 1 })).status, 200);
      await api.delete(`/api/v2/persons/${created.id}`);
      const [create, change, remove] = (await suite.receiver.waitFor(3)).map((r) => r.body);

      assert.deepEqual(Object.keys(create).sort(), ['data', 'meta', 'previous']);
      assert.equal(create.meta.action, 'create');
      assert.equal(create.meta.entity, 'person');
      assert.equal(create.meta.entity_id, String(created.id));
      assert.equal(create.meta.company_id, String(companyId));
      assert.equal(create.meta.user_id, String(userId));
      assert.equal(create.meta.webhook_id, String(hook.id));
      assert.equal(create.meta.webhook_owner_id, String(userId));
      assert.equal(create.meta.version, '2.0');
      assert.equal(create.meta.attempt, 1);
      assert.equal(create.meta.type, 'general');
      assert.equal(create.meta.change_source, 'api');
      assert.equal(create.meta.is_bulk_edit, false);
      assert.match(create.meta.id, UUID);
      assert.match(create.meta.correlation_id, UUID);
      assert.ok(!Number.isNaN(Date.parse(create.meta.timestamp)));
      assert.deepEqual(create.meta.permitted_user_ids, [String(userId)]);
      assert.equal(create.previous, null);
      assert.equal(create.data.id, created.id);
      assert.equal(create.data.name, 'Jane Doe');
      assert.equal(create.data.first_name, 'Jane');
      assert.deepEqual(create.data.emails, created.emails);
      assert.equal(create.data.visible_to, '7', 'webhook v2 renders visible_to as a string');
      assert.equal(create.data.label, null);
      assert.deepEqual(create.data.label_ids, []);
      assert.equal(create.data.owner_id, userId);
      assert.equal(create.data.add_time, created.add_time);
      assert.deepEqual(create.data.custom_fields, {});

      assert.equal(change.meta.action, 'change');
      assert.notEqual(change.meta.id, create.meta.id);
      assert.equal(change.data.job_title, 'CTO');
      assert.equal(change.data.visible_to, '1');
      assert.deepEqual(change.previous, { visible_to: '7', job_title: null });

      assert.equal(remove.meta.action, 'delete');
      assert.equal(remove.data, null);
      assert.equal(remove.previous.id, created.id);
      assert.equal(remove.previous.job_title, 'CTO');
      assert.equal(remove.previous.name, 'Jane Doe');
    });

    it('v1: added, updated and deleted person in the legacy shape', async () => {
      const { api, userId, companyId } = await newTenant(suite.server);
      const hook = await subscribe(api, { subscription_url: suite.receiver.url, event_action: '*', event_object: '*', version: '1.0' });
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const created = (await api.post('/api/v2/persons', { name: 'Jane Doe', org_id: org.id, phones: [{ value: '+1 415 555 0100', label: 'mobile' }] })).body.data;
      await api.patch(`/api/v2/persons/${created.id}`, { name: 'Janet Doe' });
      await api.delete(`/api/v2/persons/${created.id}`);
      const bodies = (await suite.receiver.waitFor(4)).map((r) => r.body);
      assert.deepEqual(bodies.map((b) => b.event), ['added.organization', 'added.person', 'updated.person', 'deleted.person']);
      const [, added, updated, deleted] = bodies;

      assert.equal(added.v, 1);
      assert.equal(added.retry, 0);
      assert.equal(added.previous, null);
      assert.deepEqual(added.matches_filters, { current: [], previous: [] });
      assert.equal(added.meta.action, 'added');
      assert.equal(added.meta.object, 'person');
      assert.equal(added.meta.id, created.id);
      assert.equal(added.meta.company_id, companyId);
      assert.equal(added.meta.user_id, userId);
      assert.equal(added.meta.webhook_id, String(hook.id));
      assert.equal(typeof added.meta.timestamp, 'number');
      assert.deepEqual(added.meta.permitted_user_ids, [userId]);
      const current = added.current;
      assert.equal(current.id, created.id);
      assert.equal(current.company_id, companyId);
      assert.equal(current.name, 'Jane Doe');
      assert.equal(current.org_id, org.id);
      assert.equal(current.org_name, 'Acme');
      assert.equal(current.owner_id, userId);
      assert.equal(current.owner_name, 'Test Admin');
      assert.deepEqual(current.phone, [{ value: '+1 415 555 0100', primary: true, label: 'mobile' }]);
      assert.deepEqual(current.email, []);
      assert.equal(current.active_flag, true);
      assert.equal(current.visible_to, '3');
      assert.match(current.add_time, V1_TIME);
      assert.equal(current.first_char, 'j');
      assert.equal('emails' in current, false, 'v1 names the lists email and phone');

      assert.equal(updated.meta.action, 'updated');
      assert.equal(updated.current.name, 'Janet Doe');
      assert.equal(updated.previous.name, 'Jane Doe', 'v1 previous is the whole previous object');
      assert.equal(updated.previous.org_name, 'Acme');

      assert.equal(deleted.meta.action, 'deleted');
      assert.equal(deleted.current, null);
      assert.equal(deleted.previous.name, 'Janet Doe');
    });

    it('v2 and v1: organization events', async () => {
      const { api } = await newTenant(suite.server);
      await subscribe(api, { subscription_url: `${suite.receiver.url}?v=2`, event_action: '*', event_object: 'organization' });
      await subscribe(api, { subscription_url: `${suite.receiver.url}?v=1`, event_action: '*', event_object: 'organization', version: '1.0' });
      const org = (await api.post('/api/v2/organizations', { name: 'Acme', address: { value: '1 Main St', locality: 'Springfield' } })).body.data;
      await api.patch(`/api/v2/organizations/${org.id}`, { name: 'Acme Corp' });
      await api.delete(`/api/v2/organizations/${org.id}`);
      const received = await suite.receiver.waitFor(6);
      const v2 = received.filter((r) => r.path.endsWith('v=2')).map((r) => r.body);
      const v1 = received.filter((r) => r.path.endsWith('v=1')).map((r) => r.body);
      assert.deepEqual(v2.map((b) => `${b.meta.action}.${b.meta.entity}`), ['create.organization', 'change.organization', 'delete.organization']);
      assert.deepEqual(v1.map((b) => b.event), ['added.organization', 'updated.organization', 'deleted.organization']);
      assert.equal(v2[0].data.name, 'Acme');
      assert.equal(v2[0].data.address.locality, 'Springfield');
      assert.equal(v2[0].data.visible_to, '3');
      assert.deepEqual(v2[1].previous, { name: 'Acme' });
      assert.equal(v2[2].data, null);
      assert.equal(v2[2].previous.name, 'Acme Corp');
      assert.equal(v1[0].current.address, '1 Main St');
      assert.equal(v1[0].current.address_locality, 'Springfield');
      assert.equal(v1[1].previous.name, 'Acme');
      assert.equal(v1[1].current.name, 'Acme Corp');
      assert.equal(v1[2].current, null);
    });

    it('v2 and v1: deal events', async () => {
      const { api } = await newTenant(suite.server);
      await subscribe(api, { subscription_url: `${suite.receiver.url}?v=2`, event_action: '*', event_object: 'deal' });
      await subscribe(api, { subscription_url: `${suite.receiver.url}?v=1`, event_action: '*', event_object: 'deal', version: '1.0' });
      const person = (await api.post('/api/v2/persons', { name: 'Buyer' })).body.data;
      const budget = (await api.post('/api/v2/dealFields', { field_name: 'Budget', field_type: 'monetary' })).body.data.field_code;
      const custom_fields = { [budget]: { value: 5, currency: 'EUR' } };
      const deal = (await api.post('/api/v2/deals', { title: 'Big one', person_id: person.id, value: 1000, currency: 'EUR', custom_fields })).body.data;
      assert.equal((await api.patch(`/api/v2/deals/${deal.id}`, { status: 'won' })).status, 200);
      await api.delete(`/api/v2/deals/${deal.id}`);
      const received = await suite.receiver.waitFor(6);
      const v2 = received.filter((r) => r.path.endsWith('v=2')).map((r) => r.body);
      const v1 = received.filter((r) => r.path.endsWith('v=1')).map((r) => r.body);
      assert.deepEqual(v2.map((b) => `${b.meta.action}.${b.meta.entity}`), ['create.deal', 'change.deal', 'delete.deal']);
      assert.deepEqual(v1.map((b) => b.event), ['added.deal', 'updated.deal', 'deleted.deal']);
      assert.equal(v2[0].data.title, 'Big one');
      assert.equal(v2[0].data.person_id, person.id);
      assert.equal(v2[0].data.value, 1000);
      assert.equal(v2[0].data.visible_to, '3');
      assert.equal(v2[1].previous.status, 'open');
      assert.equal(v2[1].data.status, 'won');
      assert.equal(v2[2].data, null);
      assert.equal(v1[0].current.title, 'Big one');
      assert.deepEqual(v2[0].data.custom_fields, { [budget]: { type: 'monetary', value: 5, currency: 'EUR' } }, 'typed as persons are');
      assert.deepEqual([v1[0].current[budget], v1[0].current[`${budget}_currency`]], [5, 'EUR'], 'flat v1 keys as persons have');
      assert.equal(v1[1].previous.status, 'open');
      assert.equal(v1[2].current, null);
    });

    it('custom fields: typed values in v2, flat keys with subfields in v1', async () => {
      const { api } = await newTenant(suite.server);
      const field = async (body: Record<string, unknown>) => (await api.post('/api/v2/personFields', body)).body.data;
      const money = await field({ field_name: 'Budget', field_type: 'monetary' });
      const size = await field({ field_name: 'Size', field_type: 'enum', options: [{ label: 'S' }, { label: 'L' }] });
      const tags = await field({ field_name: 'Tags', field_type: 'set', options: [{ label: 'a' }, { label: 'b' }] });
      const note = await field({ field_name: 'Note', field_type: 'varchar' });
      const period = await field({ field_name: 'Period', field_type: 'daterange' });
      await subscribe(api, { subscription_url: `${suite.receiver.url}?v=2`, event_action: 'create', event_object: 'person' });
      await subscribe(api, { subscription_url: `${suite.receiver.url}?v=1`, event_action: 'added', event_object: 'person', version: '1.0' });
      const [large] = size.options.slice(1);
      const created = await api.post('/api/v2/persons', {
        name: 'Custom',
        custom_fields: {
          [money.field_code]: { value: 200, currency: 'EUR' },
          [size.field_code]: large.id,
          [tags.field_code]: tags.options.map((o: any) => o.id),
          [note.field_code]: 'hello',
          [period.field_code]: { value: '2024-01-01', until: '2024-01-31' },
        },
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const received = await suite.receiver.waitFor(2);
      const v2 = received.find((r) => r.path.endsWith('v=2'))!.body.data.custom_fields;
      const v1 = received.find((r) => r.path.endsWith('v=1'))!.body.current;
      assert.deepEqual(v2, {
        [money.field_code]: { type: 'monetary', value: 200, currency: 'EUR' },
        [size.field_code]: { type: 'enum', id: large.id },
        [tags.field_code]: { type: 'set', values: tags.options.map((o: any) => ({ id: o.id })) },
        [note.field_code]: { type: 'varchar', value: 'hello' },
        [period.field_code]: { type: 'daterange', from: '2024-01-01', until: '2024-01-31' },
      });
      assert.equal(v1[money.field_code], 200);
      assert.equal(v1[`${money.field_code}_currency`], 'EUR');
      assert.equal(v1[size.field_code], String(large.id));
      assert.equal(v1[tags.field_code], tags.options.map((o: any) => o.id).join(','));
      assert.equal(v1[note.field_code], 'hello');
      assert.equal(v1[period.field_code], '2024-01-01');
      assert.equal(v1[`${period.field_code}_until`], '2024-01-31');
      assert.equal('custom_fields' in v1, false);
    });

    it('sends an event only to webhooks whose user may see the entity', async () => {
      const tenant = await newTenant(suite.server);
      const regular = await tenant.addUser();
      // Both webhooks are the admin's; one is authorised as the regular user.
      await subscribe(tenant.api, { subscription_url: `${suite.receiver.url}?as=admin`, event_action: 'create', event_object: 'person' });
      await subscribe(tenant.api, { subscription_url: `${suite.receiver.url}?as=regular`, event_action: 'create', event_object: 'person', user_id: regular.userId });
      const hidden = (await tenant.api.post('/api/v2/persons', { name: 'Owner only', visible_to: 1 })).body.data;
      const shared = (await tenant.api.post('/api/v2/persons', { name: 'Everyone', visible_to: 3 })).body.data;
      await suite.receiver.waitFor(3);
      await settle();
      const got = suite.receiver.received.map((r) => `${new URL(r.path, 'http://x').searchParams.get('as')} ${r.body.data.id}`).sort();
      assert.deepEqual(got, [`admin ${hidden.id}`, `admin ${shared.id}`, `regular ${shared.id}`].sort());
      const hiddenEvent = suite.receiver.bodies.find((b) => b.data.id === hidden.id);
      assert.deepEqual(hiddenEvent.meta.permitted_user_ids, [String(tenant.userId)]);
      const sharedEvent = suite.receiver.bodies.find((b) => b.data.id === shared.id);
      assert.deepEqual(sharedEvent.meta.permitted_user_ids, [tenant.userId, regular.userId].sort((a, b) => a - b).map(String));
    });

    it('sends organization and deal events only to webhooks whose user may see them, by the same visible_to rule', async () => {
      const tenant = await newTenant(suite.server);
      const regular = await tenant.addUser();
      for (const object of ['organization', 'deal']) {
        await subscribe(tenant.api, { subscription_url: `${suite.receiver.url}?as=admin`, event_action: 'create', event_object: object });
        await subscribe(tenant.api, { subscription_url: `${suite.receiver.url}?as=regular`, event_action: 'create', event_object: object, user_id: regular.userId });
      }
      const hiddenOrg = (await tenant.api.post('/api/v2/organizations', { name: 'Owner only', visible_to: 1 })).body.data;
      const sharedOrg = (await tenant.api.post('/api/v2/organizations', { name: 'Everyone', visible_to: 7 })).body.data;
      const hiddenDeal = (await tenant.api.post('/api/v2/deals', { title: 'Owner only', visible_to: 1 })).body.data;
      const regularsDeal = (await regular.api.post('/api/v2/deals', { title: 'Regular owns it', visible_to: 1 })).body.data;
      await suite.receiver.waitFor(6);
      await settle();
      const got = suite.receiver.received.map((r) => `${new URL(r.path, 'http://x').searchParams.get('as')} ${r.body.meta.entity} ${r.body.data.id}`).sort();
      assert.deepEqual(
        got,
        [
          `admin organization ${hiddenOrg.id}`,
          `admin organization ${sharedOrg.id}`,
          `regular organization ${sharedOrg.id}`,
          `admin deal ${hiddenDeal.id}`,
          `admin deal ${regularsDeal.id}`,
          `regular deal ${regularsDeal.id}`,
        ].sort(),
      );
      const permitted = (id: number, entity: string) => suite.receiver.bodies.find((b) => b.meta.entity === entity && b.data.id === id).meta.permitted_user_ids;
      assert.deepEqual(permitted(hiddenOrg.id, 'organization'), [String(tenant.userId)]);
      assert.deepEqual(permitted(regularsDeal.id, 'deal'), [tenant.userId, regular.userId].sort((a, b) => a - b).map(String));
    });

    it('v1: names an organization only to receivers who may see it', async () => {
      const tenant = await newTenant(suite.server);
      const regular = await tenant.addUser();
      const hiddenOrg = (await tenant.api.post('/api/v2/organizations', { name: 'Secret Corp', visible_to: 1 })).body.data;
      for (const as of ['admin', 'regular']) {
        const user_id = as === 'admin' ? tenant.userId : regular.userId;
        for (const object of ['person', 'deal']) {
          await subscribe(tenant.api, { subscription_url: `${suite.receiver.url}?as=${as}`, event_action: 'added', event_object: object, version: '1.0', user_id });
        }
      }
      const person = (await tenant.api.post('/api/v2/persons', { name: 'Seen by all', org_id: hiddenOrg.id, visible_to: 7 })).body.data;
      const deal = (await tenant.api.post('/api/v2/deals', { title: 'Seen by all', org_id: hiddenOrg.id, visible_to: 7 })).body.data;
      await suite.receiver.waitFor(4);
      const orgNames = Object.fromEntries(
        suite.receiver.received.map((r) => [`${new URL(r.path, 'http://x').searchParams.get('as')} ${r.body.meta.object} ${r.body.current.id}`, r.body.current.org_name]),
      );
      assert.deepEqual(orgNames, {
        [`admin person ${person.id}`]: 'Secret Corp',
        [`regular person ${person.id}`]: null,
        [`admin deal ${deal.id}`]: 'Secret Corp',
        [`regular deal ${deal.id}`]: null,
      });
      assert.ok(suite.receiver.received.every((r) => r.body.current.org_id === hiddenOrg.id), 'the link itself stays, as in the REST API');
    });

    it('sends each webhook only the actions and objects it subscribed to, in either vocabulary', async () => {
      const { api } = await newTenant(suite.server);
      await subscribe(api, { subscription_url: `${suite.receiver.url}?w=create-person`, event_action: 'create', event_object: 'person' });
      await subscribe(api, { subscription_url: `${suite.receiver.url}?w=added-org`, event_action: 'added', event_object: 'organization' });
      await subscribe(api, { subscription_url: `${suite.receiver.url}?w=v1-change-any`, event_action: 'change', event_object: '*', version: '1.0' });
      await subscribe(api, { subscription_url: `${suite.receiver.url}?w=v2-deleted-any`, event_action: 'deleted', event_object: '*' });
      await subscribe(api, { subscription_url: `${suite.receiver.url}?w=deal`, event_action: '*', event_object: 'deal' });
      const person = (await api.post('/api/v2/persons', { name: 'A' })).body.data;
      const org = (await api.post('/api/v2/organizations', { name: 'O' })).body.data;
      await api.patch(`/api/v2/persons/${person.id}`, { name: 'B' });
      await api.delete(`/api/v2/organizations/${org.id}`);
      await suite.receiver.waitFor(4);
      await settle();
      const got = suite.receiver.received.map((r) => {
        const body = r.body;
        return `${new URL(r.path, 'http://x').searchParams.get('w')} ${body.event ?? `${body.meta.action}.${body.meta.entity}`}`;
      });
      assert.deepEqual(got.sort(), [
        'added-org create.organization',
        'create-person create.person',
        'v1-change-any updated.person',
        'v2-deleted-any delete.organization',
      ]);
    });

    it('sends no event for a write that changed nothing or failed', async () => {
      const { api } = await newTenant(suite.server);
      await subscribe(api, { subscription_url: suite.receiver.url, event_action: '*', event_object: '*' });
      const person = (await api.post('/api/v2/persons', { name: 'Same' })).body.data;
      assert.equal((await api.patch(`/api/v2/persons/${person.id}`, { name: 'Same' })).status, 200);
      assert.equal((await api.patch(`/api/v2/persons/${person.id}`, { owner_id: 999999 })).status, 400);
      assert.equal((await api.post('/api/v2/persons', { emails: [{ value: 'nameless@example.com' }] })).status, 400);
      await api.patch(`/api/v2/persons/${person.id}`, { name: 'Different' });
      await suite.receiver.waitFor(2);
      await settle();
      assert.deepEqual(suite.receiver.bodies.map((b) => b.meta.action), ['create', 'change']);
      assert.deepEqual(suite.receiver.bodies[1].previous, { name: 'Same', first_name: 'Same' });
    });

    it('sends basic auth when the webhook has credentials, and JSON always', async () => {
      const { api } = await newTenant(suite.server);
      await subscribe(api, { subscription_url: `${suite.receiver.url}?auth=1`, event_action: 'create', event_object: 'person', http_auth_user: 'hook', http_auth_password: 'p@ss:word' });
      await subscribe(api, { subscription_url: `${suite.receiver.url}?auth=0`, event_action: 'create', event_object: 'person' });
      await api.post('/api/v2/persons', { name: 'Authed' });
      const received = await suite.receiver.waitFor(2);
      const withAuth = received.find((r) => r.path.endsWith('auth=1'));
      const without = received.find((r) => r.path.endsWith('auth=0'));
      assert.equal(withAuth?.headers.authorization, `Basic ${Buffer.from('hook:p@ss:word').toString('base64')}`);
      assert.equal(without?.headers.authorization, undefined);
      for (const r of received) assert.match(String(r.headers['content-type']), /^application\/json/);
    });

    it('records each attempt, newest first, with a cursor over pages', async () => {
      const { api } = await newTenant(suite.server);
      const hook = await subscribe(api, { subscription_url: suite.receiver.url, event_action: 'create', event_object: 'person' });
      for (let i = 0; i < 3; i++) await api.post('/api/v2/persons', { name: `P${i}` });
      await suite.receiver.waitFor(3);
      const all = await eventually(async () => {
        const res = await api.get(`/v1/webhooks/${hook.id}/deliveries`);
        return res.body.data.length === 3 && res.body.data;
      });
      assert.deepEqual(all.map((d: any) => d.event), ['create.person', 'create.person', 'create.person']);
      for (const d of all) {
        assert.equal(d.result, 'success');
        assert.equal(d.status_code, 200);
        assert.equal(d.attempt, 1);
        assert.equal(d.error, null);
        assert.equal(typeof d.latency_ms, 'number');
        assert.match(d.event_id, UUID);
      }
      assert.deepEqual(all.map((d: any) => d.event_id).reverse(), suite.receiver.bodies.map((b) => b.meta.id));
      const first = await api.get(`/v1/webhooks/${hook.id}/deliveries?limit=2`);
      assert.equal(first.body.data.length, 2);
      const second = await api.get(`/v1/webhooks/${hook.id}/deliveries?limit=2&cursor=${encodeURIComponent(first.body.additional_data.next_cursor)}`);
      assert.deepEqual([...first.body.data, ...second.body.data], all);
      assert.equal(second.body.additional_data.next_cursor, null);

      const listed = (await api.get('/v1/webhooks')).body.data[0];
      assert.equal(listed.last_http_status, 200);
      assert.match(listed.last_delivery_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    });

    it('stops sending once the webhook is deleted', async () => {
      const { api } = await newTenant(suite.server);
      const hook = await subscribe(api, { subscription_url: suite.receiver.url, event_action: '*', event_object: 'person' });
      await api.post('/api/v2/persons', { name: 'Before' });
      await suite.receiver.waitFor(1);
      assert.equal((await api.delete(`/v1/webhooks/${hook.id}`)).status, 200);
      await api.post('/api/v2/persons', { name: 'After' });
      await settle();
      assert.equal(suite.receiver.received.length, 1);
    });
  });
}
