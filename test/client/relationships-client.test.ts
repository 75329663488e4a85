import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import sharp from 'sharp';
import { clientError, officialClient, officialClientSuite } from '../helpers/client.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`official client: deals, followers, pictures, history, merge [${backend.name}]`, () => {
    const suite = officialClientSuite(backend);

    it('v2 DealsApi adds, lists by person, reads, updates and deletes deals', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const deals = new v2.DealsApi(client.v2);
      const { data: person } = await new v2.PersonsApi(client.v2).addPerson({ AddPersonRequest: { name: 'Jane' } });

      const { data: deal } = await deals.addDeal({ AddDealRequest: { title: 'Big', value: 250, currency: 'EUR', person_id: person!.id } });
      assert.equal(suite.traffic.last().path, '/api/v2/deals');
      assert.equal(deal!.title, 'Big');
      assert.equal(deal!.person_id, person!.id);
      const listed = await deals.getDeals({ person_id: person!.id, status: 'open', limit: 10 });
      assert.equal(suite.traffic.last().query.get('person_id'), String(person!.id));
      assert.deepEqual(listed.data!.map((d) => d.id), [deal!.id]);
      assert.equal(listed.additional_data!.next_cursor, null);
      assert.equal((await deals.getDeal({ id: deal!.id! })).data!.value, 250);
      const won = await deals.updateDeal({ id: deal!.id!, UpdateDealRequest: { status: 'won' } });
      assert.equal(suite.traffic.last().method, 'PATCH');
      assert.equal(won.data!.status, 'won');
      assert.ok(won.data!.won_time);
      const deleted = await deals.deleteDeal({ id: deal!.id! });
      assert.equal(deleted.data!.id, deal!.id);
      const missing = await clientError(deals.getDeal({ id: deal!.id! }));
      assert.equal(suite.traffic.last().status, 404);
      assert.match(missing.error, /Deal not found/);
    });

    it('v2 PersonsApi manages followers and reads the picture; v1 PersonsApi manages followers', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const colleague = await tenant.addUser();
      const persons = new v2.PersonsApi(client.v2);
      const { data: person } = await persons.addPerson({ AddPersonRequest: { name: 'Jane' } });
      const id = person!.id!;

      const added = await persons.addPersonFollower({ id, AddDealFollowerRequest: { user_id: colleague.userId } });
      assert.equal(suite.traffic.last().status, 201);
      assert.equal(added.data!.user_id, colleague.userId);
      const followers = await persons.getPersonFollowers({ id, limit: 10 });
      assert.deepEqual(followers.data!.map((f) => f.user_id), [colleague.userId]);
      const duplicate = await clientError(persons.addPersonFollower({ id, AddDealFollowerRequest: { user_id: colleague.userId } }));
      assert.equal(suite.traffic.last().status, 400);
      assert.match(duplicate.error, /already follows/);
      const removed = await persons.deletePersonFollower({ id, follower_id: colleague.userId });
      assert.equal(removed.data!.user_id, colleague.userId);
      const log = await persons.getPersonFollowersChangelog({ id });
      assert.deepEqual(log.data!.map((c) => c.action), ['removed', 'added']);

      const legacy = new v1.PersonsApi(client.v1);
      const relationship = await legacy.addPersonFollower({ id, AddPersonFollowerRequest: { user_id: colleague.userId } });
      assert.equal(suite.traffic.last().path, `/v1/persons/${id}/followers`);
      assert.equal(relationship.data!.person_id, id);
      const v1List = await legacy.getPersonFollowers({ id });
      assert.deepEqual(v1List.data!.map((f) => f.id), [relationship.data!.id]);
      const v1Removed = await legacy.deletePersonFollower({ id, follower_id: relationship.data!.id! });
      assert.equal(v1Removed.data!.id, relationship.data!.id);

      const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
      const uploaded = await legacy.addPersonPicture({ id, file: new File([new Uint8Array(png)], 'me.png', { type: 'image/png' }), crop_x: 0, crop_y: 0, crop_width: 256, crop_height: 256 });
      assert.equal(suite.traffic.last().status, 200);
      assert.match(suite.traffic.last().headers['content-type'], /^multipart\/form-data; boundary=/);
      const picture = uploaded.data as unknown as { id: number; item_id: number; pictures: Record<string, string> };
      assert.equal(picture.item_id, id);
      const read = await persons.getPersonPicture({ id });
      assert.equal(read.data!.id, picture.id);
      assert.equal(read.data!.pictures!['512'], picture.pictures['512']);
      assert.equal((await persons.getPerson({ id })).data!.picture_id, picture.id);
      const noPicture = await legacy.deletePersonPicture({ id });
      assert.equal(noPicture.data!.id, id);
      await clientError(persons.getPersonPicture({ id }));
      assert.equal(suite.traffic.last().status, 404);
    });

    it('v1 PersonsApi reads the changelog, the flow and the permitted users, and merges two persons', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const persons = new v2.PersonsApi(client.v2);
      const legacy = new v1.PersonsApi(client.v1);
      const { data: survivor } = await persons.addPerson({ AddPersonRequest: { name: 'Jane Doe', emails: [{ value: 'jane@example.com' }] } });
      const { data: merged } = await persons.addPerson({ AddPersonRequest: { name: 'J. Doe', emails: [{ value: 'jd@example.com' }] } });
      await persons.updatePerson({ id: survivor!.id!, UpdatePersonRequest: { name: 'Jane Q. Doe' } });

      const changelog = await legacy.getPersonChangelog({ id: survivor!.id!, limit: 10 });
      assert.equal(suite.traffic.last().path, `/v1/persons/${survivor!.id}/changelog`);
      const nameChange = changelog.data!.find((c) => c.field_key === 'name');
      assert.deepEqual([nameChange?.old_value, nameChange?.new_value], ['Jane Doe', 'Jane Q. Doe']);
      assert.equal(changelog.additional_data!.next_cursor, null);

      const flow = await legacy.getPersonUpdates({ id: survivor!.id!, start: 0, limit: 50, all_changes: '1', items: 'personChange' });
      assert.equal(suite.traffic.last().query.get('all_changes'), '1');
      assert.ok(flow.data!.length >= 1);
      assert.ok(flow.data!.every((item) => item.object === 'personChange'));

      const permitted = await legacy.getPersonUsers({ id: survivor!.id! });
      assert.deepEqual(permitted.data, [tenant.userId]);

      const result = await legacy.mergePersons({ id: merged!.id!, MergePersonsRequest: { merge_with_id: survivor!.id! } });
      assert.equal(suite.traffic.last().method, 'PUT');
      assert.equal(result.data!.id, survivor!.id);
      assert.equal(result.data!.merge_what_id, merged!.id);
      assert.deepEqual(result.data!.email!.map((e) => e.value), ['jane@example.com', 'jd@example.com']);
      const again = await clientError(legacy.mergePersons({ id: merged!.id!, MergePersonsRequest: { merge_with_id: survivor!.id! } }));
      assert.equal(suite.traffic.last().status, 404);
      assert.match(again.error, /Person not found/);
    });
  });
}
