import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import pipedrive22 from 'pipedrive-v22';
import { v1 as v1of24 } from 'pipedrive-v24';
import { officialClientSuite } from '../helpers/client.ts';
import { type TestServer, newTenant, testBackends } from '../helpers/server.ts';

/*
 * The v1 organization and deal calls of the official client's older majors (the current major, 33.x, no longer
 * has v1 CRUD for either: its v1 OrganizationsApi and DealsApi keep followers, changelog, flow and merge only;
 * its mergeOrganizations is driven below).
 */
interface V1Calls {
  addOrg(body: Record<string, unknown>): Promise<any>;
  getOrg(id: number): Promise<any>;
  listOrgs(start: number, limit: number): Promise<any>;
  updateOrg(id: number, body: Record<string, unknown>): Promise<any>;
  removeOrg(id: number): Promise<any>;
  removeOrgs(ids: string): Promise<any>;
  searchOrgs(term: string): Promise<any>;
  orgPersons(id: number): Promise<any>;
  orgDeals(id: number): Promise<any>;
  addDeal(body: Record<string, unknown>): Promise<any>;
  getDeal(id: number): Promise<any>;
  listDeals(start: number, limit: number): Promise<any>;
  updateDeal(id: number, body: Record<string, unknown>): Promise<any>;
  removeDeal(id: number): Promise<any>;
  removeDeals(ids: string): Promise<any>;
  searchDeals(term: string): Promise<any>;
  dealPersons(id: number): Promise<any>;
}

/** 22.x: one ApiClient (superagent), the token in `api_token`, positional arguments. */
function client22(server: TestServer, token: string): V1Calls {
  const client = new pipedrive22.ApiClient();
  client.basePath = `${server.url}/v1`;
  client.authentications.api_key.apiKey = token;
  const orgs = new pipedrive22.OrganizationsApi(client);
  const deals = new pipedrive22.DealsApi(client);
  return {
    addOrg: (body) => orgs.addOrganization(body),
    getOrg: (id) => orgs.getOrganization(id),
    listOrgs: (start, limit) => orgs.getOrganizations({ start, limit }),
    updateOrg: (id, body) => orgs.updateOrganization(id, body),
    removeOrg: (id) => orgs.deleteOrganization(id),
    removeOrgs: (ids) => orgs.deleteOrganizations(ids),
    searchOrgs: (term) => orgs.searchOrganization(term, {}),
    orgPersons: (id) => orgs.getOrganizationPersons(id, {}),
    orgDeals: (id) => orgs.getOrganizationDeals(id, {}),
    addDeal: (body) => deals.addDeal(body),
    getDeal: (id) => deals.getDeal(id),
    listDeals: (start, limit) => deals.getDeals({ start, limit }),
    updateDeal: (id, body) => deals.updateDeal(id, body),
    removeDeal: (id) => deals.deleteDeal(id),
    removeDeals: (ids) => deals.deleteDeals(ids),
    searchDeals: (term) => deals.searchDeals(term, {}),
    dealPersons: (id) => deals.getDealPersons(id, {}),
  };
}

/** 24.x: the v1 namespace (axios), with request-parameter objects. */
function client24(server: TestServer, token: string): V1Calls {
  const configuration = new v1of24.Configuration({ apiKey: token, basePath: `${server.url}/api/v1` });
  const orgs = new v1of24.OrganizationsApi(configuration);
  const deals = new v1of24.DealsApi(configuration);
  return {
    addOrg: (body) => orgs.addOrganization({ AddOrganizationRequest: body as any }),
    getOrg: (id) => orgs.getOrganization({ id }),
    listOrgs: (start, limit) => orgs.getOrganizations({ start, limit }),
    updateOrg: (id, body) => orgs.updateOrganization({ id, UpdateOrganizationRequest: body as any }),
    removeOrg: (id) => orgs.deleteOrganization({ id }),
    removeOrgs: (ids) => orgs.deleteOrganizations({ ids }),
    searchOrgs: (term) => orgs.searchOrganization({ term }),
    orgPersons: (id) => orgs.getOrganizationPersons({ id }),
    orgDeals: (id) => orgs.getOrganizationDeals({ id }),
    addDeal: (body) => deals.addDeal({ AddDealRequest: body as any }),
    getDeal: (id) => deals.getDeal({ id }),
    listDeals: (start, limit) => deals.getDeals({ start, limit }),
    updateDeal: (id, body) => deals.updateDeal({ id, UpdateDealRequest: body as any }),
    removeDeal: (id) => deals.deleteDeal({ id }),
    removeDeals: (ids) => deals.deleteDeals({ ids }),
    searchDeals: (term) => deals.searchDeals({ term }),
    dealPersons: (id) => deals.getDealPersons({ id }),
  };
}

/** Every page of a v1 list, by start and limit to the end. */
async function allPages(list: (start: number, limit: number) => Promise<any>): Promise<number[]> {
  const ids: number[] = [];
  let start = 0;
  for (;;) {
    const page = await list(start, 2);
    ids.push(...(page.data ?? []).map((item: { id: number }) => item.id));
    const pagination = page.additional_data.pagination;
    if (!pagination.more_items_in_collection) return ids;
    start = pagination.next_start;
  }
}

async function failure(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch {
    return;
  }
  assert.fail('the call was expected to fail');
}

for (const backend of testBackends()) {
  describe(`v1 OrganizationsApi and DealsApi of older official clients [${backend.name}]`, () => {
    const suite = officialClientSuite(backend);

    for (const make of [client22, client24]) {
      it(`pipedrive ${make === client22 ? '22.x' : '24.x'}: organizations and deals, create to bulk delete`, async () => {
        const tenant = await newTenant(suite.server);
        const calls = make(suite.server, tenant.token);

        const org = await calls.addOrg({ name: 'Initech', visible_to: '3' });
        assert.equal(suite.traffic.last().status, 201);
        const orgId = org.data.id as number;
        assert.equal(org.data.name, 'Initech');
        assert.equal((await calls.getOrg(orgId)).data.owner_id.value ?? (await calls.getOrg(orgId)).data.owner_id.id, tenant.userId);
        const more: number[] = [];
        for (const name of ['Hooli', 'Pied Piper', 'Aviato']) more.push((await calls.addOrg({ name })).data.id as number);
        assert.deepEqual(await allPages(calls.listOrgs), [orgId, ...more]);
        assert.equal((await calls.updateOrg(orgId, { name: 'Initech Corp' })).data.name, 'Initech Corp');
        assert.deepEqual((await calls.searchOrgs('Initech')).data.items.map((i: any) => i.item.id), [orgId]);

        const person = (await tenant.api.post('/v1/persons', { name: 'Peter Gibbons', org_id: orgId })).body.data.id;
        const deal = await calls.addDeal({ title: 'TPS reports', value: 250, currency: 'USD', person_id: person, org_id: orgId });
        assert.equal(suite.traffic.last().status, 201);
        const dealId = deal.data.id as number;
        assert.equal((await calls.getDeal(dealId)).data.title, 'TPS reports');
        const otherDeals: number[] = [];
        for (const title of ['Stapler', 'Flair', 'Jump to conclusions']) otherDeals.push((await calls.addDeal({ title })).data.id as number);
        assert.deepEqual(await allPages(calls.listDeals), [dealId, ...otherDeals]);
        const won = await calls.updateDeal(dealId, { status: 'won', value: 300 });
        assert.deepEqual([won.data.status, won.data.value], ['won', 300]);
        assert.deepEqual((await calls.searchDeals('TPS')).data.items.map((i: any) => i.item.id), [dealId]);
        assert.deepEqual((await calls.orgPersons(orgId)).data.map((p: any) => p.id), [person]);
        assert.deepEqual((await calls.orgDeals(orgId)).data.map((d: any) => d.id), [dealId]);
        assert.deepEqual((await calls.dealPersons(dealId)).data.map((p: any) => p.id), [person]);

        assert.equal((await calls.removeDeal(otherDeals[0])).data.id, otherDeals[0]);
        assert.deepEqual((await calls.removeDeals(`${otherDeals[1]},${otherDeals[2]}`)).data.id, [otherDeals[1], otherDeals[2]]);
        assert.deepEqual((await tenant.api.get('/api/v2/deals')).body.data.map((d: any) => d.id), [dealId]);
        assert.equal((await calls.removeOrg(more[0])).data.id, more[0]);
        assert.deepEqual((await calls.removeOrgs(`${more[1]},${more[2]}`)).data.id, [more[1], more[2]]);
        assert.deepEqual((await tenant.api.get('/api/v2/organizations')).body.data.map((o: any) => o.id), [orgId]);

        await failure(calls.getOrg(more[0]));
        assert.equal(suite.traffic.last().status, 404);
        await failure(calls.getDeal(otherDeals[0]));
        assert.equal(suite.traffic.last().status, 404);
        await failure(calls.addDeal({ title: 'Staged', stage_id: 987654321 }));
        assert.equal(suite.traffic.last().status, 400);
        await failure(calls.addOrg({ visible_to: '3' }));
        assert.equal(suite.traffic.last().status, 400);
      });
    }

    it('a record written through v1 (24.x) reads the same through v2 (33.x), and the other way round', async () => {
      const tenant = await newTenant(suite.server);
      const old = client24(suite.server, tenant.token);
      const configuration = new v2.Configuration({ apiKey: tenant.token, basePath: `${suite.server.url}/api/v2` });
      const orgsV2 = new v2.OrganizationsApi(configuration);
      const dealsV2 = new v2.DealsApi(configuration);

      const viaV1 = (await old.addOrg({ name: 'Umbrella', visible_to: '7', label_ids: [2], add_time: '2024-05-06 07:08:09' })).data;
      const readV2 = (await orgsV2.getOrganization({ id: viaV1.id })).data as any;
      assert.deepEqual([readV2.name, readV2.visible_to, readV2.label_ids, readV2.add_time], ['Umbrella', 7, [2], '2024-05-06T07:08:09Z']);
      const dealV1 = (await old.addDeal({ title: 'Vaccine', value: '12.5', currency: 'EUR', org_id: viaV1.id, status: 'lost', lost_reason: 'Recall' })).data;
      const dealReadV2 = (await dealsV2.getDeal({ id: dealV1.id })).data as any;
      assert.deepEqual([dealReadV2.title, dealReadV2.value, dealReadV2.currency, dealReadV2.org_id, dealReadV2.status, dealReadV2.lost_reason], ['Vaccine', 12.5, 'EUR', viaV1.id, 'lost', 'Recall']);

      const viaV2 = (await orgsV2.addOrganization({ AddOrganizationRequest: { name: 'Cyberdyne', visible_to: 3, label_ids: [4] } as any })).data as any;
      const readV1 = (await old.getOrg(viaV2.id)).data;
      assert.deepEqual([readV1.name, readV1.visible_to, readV1.label, readV1.label_ids, readV1.owner_id.value], ['Cyberdyne', '3', 4, [4], tenant.userId]);
      const dealV2 = (await dealsV2.addDeal({ AddDealRequest: { title: 'Skynet', value: 1000, org_id: viaV2.id, status: 'won' } as any })).data as any;
      const dealReadV1 = (await old.getDeal(dealV2.id)).data;
      assert.deepEqual([dealReadV1.title, dealReadV1.value, dealReadV1.org_id.value, dealReadV1.org_id.name, dealReadV1.status, dealReadV1.won_time !== null], ['Skynet', 1000, viaV2.id, 'Cyberdyne', 'won', true]);
      assert.equal((await old.getOrg(viaV2.id)).data.won_deals_count, 1);

      // 33.x still has v1 mergeOrganizations: the v1-written organization merges into the v2-written one.
      const current = new v1.OrganizationsApi(new v1.Configuration({ apiKey: tenant.token, basePath: `${suite.server.url}/v1` }));
      const merged = (await current.mergeOrganizations({ id: viaV1.id, MergeOrganizationsRequest: { merge_with_id: viaV2.id } })).data as any;
      assert.equal(merged.id, viaV2.id);
      assert.deepEqual(((await dealsV2.getDeal({ id: dealV1.id })).data as any).org_id, viaV2.id, 'the merged organization\'s deal moved');
      await failure(orgsV2.getOrganization({ id: viaV1.id }));
    });
  });
}
