import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const ORG_FIELDS = [
  'next_activity_id', 'last_activity_id', 'open_deals_count', 'related_open_deals_count', 'closed_deals_count', 'related_closed_deals_count',
  'email_messages_count', 'people_count', 'activities_count', 'done_activities_count', 'undone_activities_count', 'files_count', 'notes_count',
  'followers_count', 'won_deals_count', 'related_won_deals_count', 'lost_deals_count', 'related_lost_deals_count', 'smart_bcc_email',
];
const DEAL_FIELDS = [
  'next_activity_id', 'last_activity_id', 'first_won_time', 'products_count', 'files_count', 'notes_count', 'followers_count', 'email_messages_count',
  'activities_count', 'done_activities_count', 'undone_activities_count', 'participants_count', 'last_incoming_mail_time', 'last_outgoing_mail_time',
  'smart_bcc_email', 'source_lead_id',
];

async function created(api: Api, path: string, body: Record<string, unknown>): Promise<number> {
  const res = await api.post(path, body);
  assert.ok(res.status === 200 || res.status === 201, `${path}: ${JSON.stringify(res.body)}`);
  return res.body.data.id;
}

/** How many items a v2 list answers (one page of up to 500 is enough here). */
const listed = async (api: Api, path: string) => (await api.get(path)).body.data.length as number;

for (const backend of testBackends()) {
  describe(`include_fields on organizations and deals [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it("answers every value the spec lists for organizations, equal to what the lists say, counting only what the caller sees", async () => {
      const tenant = await newTenant(server);
      const { api } = tenant;
      const member = await tenant.addUser();
      const acme = await created(api, '/api/v2/organizations', { name: 'Acme', visible_to: 7 });
      const other = await created(api, '/api/v2/organizations', { name: 'Other', visible_to: 7 });
      const seen = await created(api, '/api/v2/persons', { name: 'Seen', org_id: acme, visible_to: 7 });
      await created(api, '/api/v2/persons', { name: 'Hidden', org_id: acme, visible_to: 1 });
      await created(api, '/api/v2/deals', { title: 'Own open', org_id: acme, visible_to: 7 });
      const won = await created(api, '/api/v2/deals', { title: 'Own won', org_id: acme, visible_to: 7 });
      assert.equal((await api.patch(`/api/v2/deals/${won}`, { status: 'won' })).status, 200);
      // Related: deals of Acme's persons that name another organization or none.
      await created(api, '/api/v2/deals', { title: 'Via person, elsewhere', person_id: seen, org_id: other, visible_to: 7 });
      const lost = await created(api, '/api/v2/deals', { title: 'Via person, no org', person_id: seen, visible_to: 7 });
      assert.equal((await api.patch(`/api/v2/deals/${lost}`, { status: 'lost' })).status, 200);
      await created(api, '/api/v2/deals', { title: 'Via person, at Acme', person_id: seen, org_id: acme, visible_to: 7 });
      await created(api, '/v1/notes', { content: 'one', org_id: acme });
      await created(api, '/v1/notes', { content: 'two', org_id: acme });
      await api.post(`/api/v2/organizations/${acme}/followers`, { user_id: member.userId });
      const done = await created(api, '/api/v2/activities', { org_id: acme, due_date: '2026-01-01', done: true });
      const next = await created(api, '/api/v2/activities', { org_id: acme, due_date: '2026-03-01', due_time: '09:30' });

      const one = (await api.get(`/api/v2/organizations/${acme}?include_fields=${ORG_FIELDS.join(',')}`)).body.data;
      const expected = {
        people_count: 2,
        open_deals_count: 2,
        won_deals_count: 1,
        lost_deals_count: 0,
        closed_deals_count: 1,
        related_open_deals_count: 1,
        related_won_deals_count: 0,
        related_lost_deals_count: 1,
        related_closed_deals_count: 1,
        notes_count: 2,
        activities_count: 2,
        done_activities_count: 1,
        undone_activities_count: 1,
        next_activity_id: next,
        last_activity_id: done,
        email_messages_count: 0,
        files_count: 0,
        smart_bcc_email: null,
      };
      assert.deepEqual(Object.fromEntries(Object.keys(expected).map((k) => [k, one[k]])), expected);
      assert.deepEqual(Object.keys(one).filter((k) => ORG_FIELDS.includes(k)).sort(), [...ORG_FIELDS].sort(), 'every value asked for is there');
      // The same numbers as the lists answer.
      assert.equal(one.people_count, await listed(api, `/api/v2/persons?org_id=${acme}&limit=500`));
      assert.equal(one.open_deals_count, await listed(api, `/api/v2/deals?org_id=${acme}&status=open&limit=500`));
      assert.equal(one.notes_count, (await api.get(`/v1/notes?org_id=${acme}`)).body.data.length);
      assert.equal(one.followers_count, await listed(api, `/api/v2/organizations/${acme}/followers`));
      assert.equal(one.activities_count, await listed(api, `/api/v2/activities?org_id=${acme}`));

      const page = (await api.get('/api/v2/organizations?include_fields=people_count,notes_count,related_open_deals_count')).body.data;
      assert.deepEqual(
        page.map((o: Record<string, unknown>) => [o.id, o.people_count, o.notes_count, o.related_open_deals_count, 'activities_count' in o]),
        [[acme, 2, 2, 1, false], [other, 0, 0, 0, false]],
      );
      const asMember = (await member.api.get(`/api/v2/organizations/${acme}?include_fields=people_count`)).body.data;
      assert.equal(asMember.people_count, 1, 'a person hidden from the caller is not counted');
      assert.equal('people_count' in (await api.get(`/api/v2/organizations/${acme}`)).body.data, false, 'only when asked for');

      // v1 shows the same counts, with the activities' dates.
      const v1 = (await api.get(`/v1/organizations/${acme}`)).body.data;
      for (const key of Object.keys(expected)) if (key !== 'smart_bcc_email') assert.deepEqual(v1[key], one[key], `v1 ${key}`);
      assert.equal(v1.followers_count, one.followers_count);
      assert.deepEqual([v1.next_activity_date, v1.next_activity_time, v1.last_activity_date], ['2026-03-01', '09:30', '2026-01-01']);
      assert.equal((await member.api.get(`/v1/organizations/${acme}`)).body.data.people_count, 1);

      for (const bad of ['nonsense', 'people_count,products_count']) {
        const refused = await api.get(`/api/v2/organizations?include_fields=${bad}`);
        assert.equal(refused.status, 400);
        assert.match(refused.body.error, /unknown field/);
      }
    });

    it('answers every value the spec lists for deals', async () => {
      const tenant = await newTenant(server);
      const { api } = tenant;
      const member = await tenant.addUser();
      const person = await created(api, '/api/v2/persons', { name: 'Contact', visible_to: 1 });
      const deal = await created(api, '/api/v2/deals', { title: 'With contact', person_id: person, visible_to: 7 });
      const bare = await created(api, '/api/v2/deals', { title: 'Bare', visible_to: 7 });
      await created(api, '/v1/notes', { content: 'on the deal', deal_id: deal });
      await api.post(`/api/v2/deals/${deal}/followers`, { user_id: member.userId });
      const planned = await created(api, '/api/v2/activities', { deal_id: deal, due_date: '2026-05-01' });
      assert.equal((await api.patch(`/api/v2/deals/${deal}`, { status: 'won' })).status, 200);
      const wonTime = (await api.get(`/api/v2/deals/${deal}`)).body.data.won_time;

      const one = (await api.get(`/api/v2/deals/${deal}?include_fields=${DEAL_FIELDS.join(',')}`)).body.data;
      assert.deepEqual(
        Object.fromEntries(DEAL_FIELDS.map((k) => [k, one[k]])),
        {
          next_activity_id: planned,
          last_activity_id: null,
          first_won_time: wonTime,
          products_count: 0,
          files_count: 0,
          notes_count: 1,
          followers_count: await listed(api, `/api/v2/deals/${deal}/followers`),
          email_messages_count: 0,
          activities_count: 1,
          done_activities_count: 0,
          undone_activities_count: 1,
          participants_count: 1,
          last_incoming_mail_time: null,
          last_outgoing_mail_time: null,
          smart_bcc_email: null,
          source_lead_id: null,
        },
      );
      assert.notEqual(wonTime, null);
      const page = (await api.get('/api/v2/deals?include_fields=participants_count,notes_count,first_won_time')).body.data;
      assert.deepEqual(page.map((d: Record<string, unknown>) => [d.id, d.participants_count, d.notes_count, d.first_won_time]), [[deal, 1, 1, wonTime], [bare, 0, 0, null]]);
      const asMember = (await member.api.get(`/api/v2/deals/${deal}?include_fields=participants_count`)).body.data;
      assert.equal(asMember.participants_count, 0, 'a contact person hidden from the caller is not counted');
    });
  });
}
