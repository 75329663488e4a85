import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import { clientError, officialClient } from '../helpers/client.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`official pipedrive client: organization and deal fields, followers [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('drives v2 OrganizationFieldsApi and DealFieldsApi with custom values on OrganizationsApi and DealsApi', async () => {
      const tenant = await newTenant(server);
      const client = officialClient(server, tenant.token);
      const orgFields = new v2.OrganizationFieldsApi(client.v2);
      const dealFields = new v2.DealFieldsApi(client.v2);
      const orgs = new v2.OrganizationsApi(client.v2);
      const deals = new v2.DealsApi(client.v2);

      const { data: size } = await orgFields.addOrganizationField({
        AddOrganizationFieldRequest: { field_name: 'Size', field_type: 'enum', options: [{ label: 'Small' }, { label: 'Large' }] },
      });
      const { data: added } = await orgFields.addOrganizationFieldOptions({ field_code: size!.field_code!, AddDealFieldOptionsRequestInner: [{ label: 'Huge' }] });
      assert.deepEqual(added!.map((o) => o.label), ['Huge']);
      const { data: renamed } = await orgFields.updateOrganizationField({ field_code: size!.field_code!, UpdateOrganizationFieldRequest: { field_name: 'Headcount' } });
      assert.equal(renamed!.field_name, 'Headcount');
      const { data: budget } = await dealFields.addDealField({ AddDealFieldRequest: { field_name: 'Budget', field_type: 'monetary' } });
      const { data: dealField } = await dealFields.getDealField({ field_code: budget!.field_code! });
      assert.deepEqual(dealField!.subfields!.map((s) => s.field_code), ['value', 'currency']);
      const { data: listed, additional_data } = await dealFields.getDealFields({ limit: 500 });
      assert.equal(additional_data!.next_cursor, null);
      assert.ok(listed!.some((f) => f.field_code === 'title') && listed!.some((f) => f.field_code === budget!.field_code));

      const small = size!.options![0].id as number;
      const { data: org } = await orgs.addOrganization({ AddOrganizationRequest: { name: 'Acme', custom_fields: { [size!.field_code!]: small } } });
      assert.deepEqual(org!.custom_fields, { [size!.field_code!]: small });
      const { data: shown } = await orgs.getOrganization({ id: org!.id!, include_option_labels: true });
      assert.deepEqual(shown!.custom_fields, { [size!.field_code!]: { id: small, label: 'Small' } });
      const { data: deal } = await deals.addDeal({ AddDealRequest: { title: 'Sale', org_id: org!.id!, custom_fields: { [budget!.field_code!]: { value: 900, currency: 'EUR' } } } });
      assert.deepEqual(deal!.custom_fields, { [budget!.field_code!]: { value: 900, currency: 'EUR' } });
      const { data: cleared } = await deals.updateDeal({ id: deal!.id!, UpdateDealRequest: { custom_fields: { [budget!.field_code!]: null } } });
      assert.deepEqual(cleared!.custom_fields, {});
      const refused = await clientError(deals.updateDeal({ id: deal!.id!, UpdateDealRequest: { custom_fields: { [budget!.field_code!]: 'lots' } } }));
      assert.match(refused.error, new RegExp(`custom_fields\\.${budget!.field_code}`));

      await orgFields.deleteOrganizationFieldOptions({ field_code: size!.field_code!, DeleteDealFieldOptionsRequestInner: [{ id: small }] });
      assert.deepEqual((await orgs.getOrganization({ id: org!.id! })).data!.custom_fields, {});
      const { data: deleted } = await dealFields.deleteDealField({ field_code: budget!.field_code! });
      assert.equal(deleted!.field_code, budget!.field_code);
    });

    it('drives v1 OrganizationFieldsApi and DealFieldsApi, and followers through v1 and v2', async () => {
      const tenant = await newTenant(server);
      const colleague = await tenant.addUser();
      const client = officialClient(server, tenant.token);
      const orgFieldsV1 = new v1.OrganizationFieldsApi(client.v1);
      const dealFieldsV1 = new v1.DealFieldsApi(client.v1);
      const { data: created } = await orgFieldsV1.addOrganizationField({ CreateFieldRequest: { name: 'Region', field_type: 'varchar' } });
      assert.equal(created!.edit_flag, true);
      const { data: one } = await orgFieldsV1.getOrganizationField({ id: created!.id! });
      assert.equal(one!.name, 'Region');
      const { data: dealField } = await dealFieldsV1.addDealField({ CreateFieldRequest: { name: 'Stage note', field_type: 'text' } });
      const { data: updated } = await dealFieldsV1.updateDealField({ id: dealField!.id!, UpdateFieldRequest: { name: 'Stage notes' } });
      assert.equal(updated!.name, 'Stage notes');
      const page = await dealFieldsV1.getDealFields({ start: 0, limit: 3 });
      assert.equal(page.data!.length, 3);
      const { data: bulk } = await dealFieldsV1.deleteDealFields({ ids: String(dealField!.id) });
      assert.deepEqual(bulk!.id, [dealField!.id]);

      const org = (await tenant.api.post('/api/v2/organizations', { name: 'Followed' })).body.data;
      const deal = (await tenant.api.post('/api/v2/deals', { title: 'Followed' })).body.data;
      const orgsV2 = new v2.OrganizationsApi(client.v2);
      const dealsV2 = new v2.DealsApi(client.v2);
      const { data: follower } = await orgsV2.addOrganizationFollower({ id: org.id, AddDealFollowerRequest: { user_id: colleague.userId } });
      assert.equal(follower!.user_id, colleague.userId);
      assert.deepEqual((await orgsV2.getOrganizationFollowers({ id: org.id })).data!.map((f) => f.user_id), [colleague.userId]);
      await orgsV2.deleteOrganizationFollower({ id: org.id, follower_id: colleague.userId });
      const { data: log } = await orgsV2.getOrganizationFollowersChangelog({ id: org.id });
      assert.deepEqual(log!.map((c) => c.action), ['removed', 'added']);
      await dealsV2.addDealFollower({ id: deal.id, AddDealFollowerRequest: { user_id: tenant.userId } });
      assert.deepEqual((await dealsV2.getDealFollowers({ id: deal.id })).data!.map((f) => f.user_id), [tenant.userId]);

      const dealsV1 = new v1.DealsApi(client.v1);
      const orgsV1 = new v1.OrganizationsApi(client.v1);
      const { data: relation } = await dealsV1.addDealFollower({ id: deal.id, AddDealFollowerRequest: { user_id: colleague.userId } });
      assert.equal(relation!.user_id, colleague.userId);
      const followers = await dealsV1.getDealFollowers({ id: deal.id });
      assert.deepEqual((followers.data as any[]).map((f) => f.user_id), [tenant.userId, colleague.userId]);
      await dealsV1.deleteDealFollower({ id: deal.id, follower_id: relation!.id! });
      const { data: orgRelation } = await orgsV1.addOrganizationFollower({ id: org.id, AddOrganizationFollowerRequest: { user_id: tenant.userId } });
      assert.equal(orgRelation!.org_id, org.id);
      const refused = await clientError(orgsV1.addOrganizationFollower({ id: org.id, AddOrganizationFollowerRequest: { user_id: 987654321 } }));
      assert.match(refused.error, /not an active user/);
    });
  });
}
