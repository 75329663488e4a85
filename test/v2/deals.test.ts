import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`v2 deals [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('creates a deal linked to a person and an organization, reads, patches and deletes it', async () => {
      const { api, userId } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const person = (await api.post('/api/v2/persons', { name: 'Jane Doe', org_id: org.id })).body.data;
      const created = await api.post('/api/v2/deals', { title: 'Big one', value: 1500.5, currency: 'EUR', person_id: person.id, org_id: org.id });
      assert.equal(created.status, 200);
      const deal = created.body.data;
      assert.equal(deal.title, 'Big one');
      assert.equal(deal.value, 1500.5);
      assert.equal(deal.currency, 'EUR');
      assert.equal(deal.status, 'open');
      assert.equal(deal.person_id, person.id);
      assert.equal(deal.org_id, org.id);
      assert.equal(deal.owner_id, userId);
      assert.equal(deal.creator_user_id, userId);
      assert.equal(deal.is_deleted, false);
      assert.equal(deal.won_time, null);
      assert.equal(deal.close_time, null);
      assert.match(deal.add_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

      assert.deepEqual((await api.get(`/api/v2/deals/${deal.id}`)).body.data, deal);

      const won = await api.patch(`/api/v2/deals/${deal.id}`, { status: 'won' });
      assert.equal(won.status, 200);
      assert.equal(won.body.data.status, 'won');
      assert.ok(won.body.data.won_time, 'winning stamps won_time');
      assert.equal(won.body.data.close_time, won.body.data.won_time);
      const reopened = await api.patch(`/api/v2/deals/${deal.id}`, { status: 'open' });
      assert.equal(reopened.body.data.won_time, null);
      assert.equal(reopened.body.data.close_time, null);

      const deleted = await api.delete(`/api/v2/deals/${deal.id}`);
      assert.deepEqual(deleted.body, { success: true, data: { id: deal.id } });
      assert.equal((await api.get(`/api/v2/deals/${deal.id}`)).status, 404);
      assert.equal((await api.delete(`/api/v2/deals/${deal.id}`)).status, 404);
    });

    it("defaults the currency to the caller's and the value to 0", async () => {
      const { api } = await newTenant(server);
      const deal = (await api.post('/api/v2/deals', { title: 'Small' })).body.data;
      assert.equal(deal.currency, 'USD');
      assert.equal(deal.value, 0);
      assert.equal(deal.person_id, null);
    });

    it('filters by person, organization, owner and status, and pages with a cursor', async () => {
      const { api, addUser } = await newTenant(server);
      const other = await addUser();
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const jane = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const joe = (await api.post('/api/v2/persons', { name: 'Joe' })).body.data;
      const a = (await api.post('/api/v2/deals', { title: 'A', person_id: jane.id })).body.data;
      const b = (await api.post('/api/v2/deals', { title: 'B', person_id: jane.id, status: 'won' })).body.data;
      const c = (await api.post('/api/v2/deals', { title: 'C', person_id: joe.id, org_id: org.id, owner_id: other.userId, status: 'lost' })).body.data;
      const d = (await api.post('/api/v2/deals', { title: 'D', person_id: joe.id })).body.data;
      await api.delete(`/api/v2/deals/${d.id}`);

      const ids = async (query: string) => (await api.get(`/api/v2/deals${query}`)).body.data.map((x: { id: number }) => x.id);
      assert.deepEqual(await ids(''), [a.id, b.id, c.id]);
      assert.deepEqual(await ids(`?person_id=${jane.id}`), [a.id, b.id]);
      assert.deepEqual(await ids(`?org_id=${org.id}`), [c.id]);
      assert.deepEqual(await ids(`?owner_id=${other.userId}`), [c.id]);
      assert.deepEqual(await ids('?status=won,lost'), [b.id, c.id]);
      assert.deepEqual(await ids('?status=deleted'), [d.id]);
      assert.deepEqual(await ids('?status=open,deleted'), [a.id, d.id]);

      const first = await api.get('/api/v2/deals?limit=2');
      assert.deepEqual(first.body.data.map((x: { id: number }) => x.id), [a.id, b.id]);
      const second = await api.get(`/api/v2/deals?limit=2&cursor=${encodeURIComponent(first.body.additional_data.next_cursor)}`);
      assert.deepEqual(second.body.data.map((x: { id: number }) => x.id), [c.id]);
      assert.equal(second.body.additional_data.next_cursor, null);
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const { api } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const cases: [unknown, RegExp][] = [
        [{}, /title must be given/],
        [{ title: '  ' }, /title must not be empty/],
        [{ title: 'x', value: '12' }, /value must be a number/],
        [{ title: 'x', currency: 'euro' }, /currency must be a three-letter/],
        [{ title: 'x', status: 'deleted' }, /status must be one of/],
        [{ title: 'x', person_id: 999999 }, /person_id 999999 is not a person/],
        [{ title: 'x', org_id: 999999 }, /org_id 999999 is not an organization/],
        [{ title: 'x', owner_id: 999999 }, /owner_id 999999 is not an active user/],
        [{ title: 'x', probability: 101 }, /probability must be between 0 and 100/],
        [{ title: 'x', expected_close_date: '2024-02-30' }, /expected_close_date must be a real date/],
        [{ title: 'x', won_time: '2024-01-01T00:00:00Z' }, /won_time can only be set on a won deal/],
        [{ title: 'x', pipeline_id: 1 }, /unknown body property "pipeline_id"/],
        [{ title: 'x', custom_fields: { abc: 1 } }, /custom_fields.abc is not a custom field of deals/],
      ];
      for (const [body, message] of cases) {
        const res = await api.post('/api/v2/deals', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.error, message);
      }
      await api.delete(`/api/v2/persons/${person.id}`);
      const toDeleted = await api.post('/api/v2/deals', { title: 'x', person_id: person.id });
      assert.equal(toDeleted.status, 400, 'a deleted person cannot be linked');
      assert.equal((await api.get('/api/v2/deals?status=archived')).status, 400);
      assert.equal((await api.get('/api/v2/deals')).body.data.length, 0, 'nothing was created by the failed requests');
    });

    it("answers 404 for another company's deal and never lists it", async () => {
      const mine = await newTenant(server);
      const theirs = await newTenant(server);
      const deal = (await theirs.api.post('/api/v2/deals', { title: 'Secret' })).body.data;
      assert.equal((await mine.api.get(`/api/v2/deals/${deal.id}`)).status, 404);
      assert.equal((await mine.api.patch(`/api/v2/deals/${deal.id}`, { title: 'x' })).status, 404);
      assert.equal((await mine.api.delete(`/api/v2/deals/${deal.id}`)).status, 404);
      assert.deepEqual((await mine.api.get('/api/v2/deals')).body.data, []);
      const theirPerson = (await theirs.api.post('/api/v2/persons', { name: 'Them' })).body.data;
      assert.equal((await mine.api.post('/api/v2/deals', { title: 'x', person_id: theirPerson.id })).status, 400);
    });

    it("lists a deal's person with GET /api/v2/persons?deal_id=", async () => {
      const { api } = await newTenant(server);
      const jane = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      await api.post('/api/v2/persons', { name: 'Joe' });
      const deal = (await api.post('/api/v2/deals', { title: 'A', person_id: jane.id })).body.data;
      const orphan = (await api.post('/api/v2/deals', { title: 'B' })).body.data;
      const list = await api.get(`/api/v2/persons?deal_id=${deal.id}`);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.data.map((p: { id: number }) => p.id), [jane.id]);
      assert.deepEqual((await api.get(`/api/v2/persons?deal_id=${orphan.id}`)).body.data, []);
      assert.deepEqual((await api.get('/api/v2/persons?deal_id=999999')).body.data, []);
      assert.equal((await api.get('/api/v2/persons?deal_id=abc')).status, 400);
    });

    it('answers the deal and follower counts of include_fields, on one person and on lists', async () => {
      const { api, addUser } = await newTenant(server);
      const follower = await addUser();
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      const jane = (await api.post('/api/v2/persons', { name: 'Jane', org_id: org.id })).body.data;
      const joe = (await api.post('/api/v2/persons', { name: 'Joe', org_id: org.id })).body.data;
      const solo = (await api.post('/api/v2/persons', { name: 'Solo' })).body.data;
      await api.post('/api/v2/deals', { title: 'A', person_id: jane.id, org_id: org.id });
      await api.post('/api/v2/deals', { title: 'B', person_id: jane.id, status: 'won' });
      await api.post('/api/v2/deals', { title: 'C', person_id: jane.id, status: 'lost' });
      await api.post('/api/v2/deals', { title: 'D', person_id: joe.id, org_id: org.id, status: 'won' });
      const gone = (await api.post('/api/v2/deals', { title: 'E', person_id: jane.id })).body.data;
      await api.delete(`/api/v2/deals/${gone.id}`);
      await api.post(`/api/v2/persons/${jane.id}/followers`, { user_id: follower.userId });

      const fields = [
        'open_deals_count', 'closed_deals_count', 'won_deals_count', 'lost_deals_count', 'related_open_deals_count',
        'related_closed_deals_count', 'related_won_deals_count', 'related_lost_deals_count', 'followers_count',
      ];
      const one = await api.get(`/api/v2/persons/${jane.id}?include_fields=${fields.join(',')}`);
      assert.equal(one.status, 200);
      const counts = (p: Record<string, unknown>) => Object.fromEntries(fields.map((f) => [f, p[f]]));
      assert.deepEqual(counts(one.body.data), {
        open_deals_count: 1, closed_deals_count: 2, won_deals_count: 1, lost_deals_count: 1,
        related_open_deals_count: 1, related_closed_deals_count: 1, related_won_deals_count: 1, related_lost_deals_count: 0,
        followers_count: 1,
      });

      const list = await api.get(`/api/v2/persons?include_fields=open_deals_count,won_deals_count,followers_count,related_won_deals_count`);
      const byId = new Map(list.body.data.map((p: { id: number }) => [p.id, p]));
      assert.deepEqual(
        [jane.id, joe.id, solo.id].map((id) => {
          const p = byId.get(id) as Record<string, unknown>;
          return [p.open_deals_count, p.won_deals_count, p.followers_count, p.related_won_deals_count, 'lost_deals_count' in p];
        }),
        [[1, 1, 1, 1, false], [0, 1, 0, 1, false], [0, 0, 0, 0, false]],
      );
      const plain = await api.get(`/api/v2/persons/${jane.id}`);
      assert.equal('open_deals_count' in plain.body.data, false, 'counts only when asked for');

      const refused = await api.get(`/api/v2/persons/${jane.id}?include_fields=products_count`);
      assert.equal(refused.status, 400);
      assert.match(refused.body.error, /products_count/);
    });
  });
}
