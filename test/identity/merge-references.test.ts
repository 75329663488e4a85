import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, newTenant, testBackends } from '../helpers/server.ts';
import { Receiver, eventually, startWebhookServer } from '../helpers/webhooks.ts';

async function custom(api: Api, id: number): Promise<Record<string, unknown>> {
  return (await api.get(`/api/v2/persons/${id}`)).body.data.custom_fields;
}

for (const backend of testBackends()) {
  describe(`merges repoint person references [${backend.name}]`, () => {
    let server: Awaited<ReturnType<typeof startWebhookServer>>;
    let receiver: Receiver;
    before(async () => {
      server = await startWebhookServer(backend);
      receiver = await Receiver.start();
    });
    after(async () => {
      await receiver.close();
      await server.close();
    });

    it('people fields of other persons that named the merged person name the survivor, with history and webhooks; an unmerge points them back', async () => {
      const tenant = await newTenant(server);
      const { api } = tenant;
      const member = await tenant.addUser();
      const referredBy = (await api.post('/v1/personFields', { name: 'Referred by', field_type: 'people' })).body.data.key as string;
      const assistant = (await api.post('/v1/personFields', { name: 'Assistant', field_type: 'people' })).body.data.key as string;
      const note = (await api.post('/v1/personFields', { name: 'Nick', field_type: 'varchar' })).body.data.key as string;
      const person = async (name: string, body: Record<string, unknown> = {}) => (await api.post('/api/v2/persons', { name, visible_to: 7, ...body })).body.data.id as number;
      const survivor = await person('Survivor');
      const merged = await person('Merged');
      const other = await person('Other');
      const both = await person('Both', { custom_fields: { [referredBy]: merged, [assistant]: merged, [note]: `"${referredBy}":${merged},` } });
      const mixed = await person('Mixed', { custom_fields: { [referredBy]: merged, [assistant]: survivor } });
      const unrelated = await person('Unrelated', { custom_fields: { [referredBy]: other, [assistant]: survivor } });
      // Owned by the admin and visible to the admin only: the member merging cannot see it, its reference moves anyway.
      const hidden = await person('Hidden', { visible_to: 1, custom_fields: { [referredBy]: merged } });
      const selfRef = await person('Referrer of the merged', { custom_fields: { [assistant]: merged } });
      await api.patch(`/api/v2/persons/${survivor}`, { custom_fields: { [referredBy]: merged } });
      const untouched = await Promise.all([unrelated, other].map(async (id) => (await api.get(`/api/v2/persons/${id}`)).body.data));

      const hook = await api.post('/v1/webhooks', { subscription_url: receiver.url, event_action: 'change', event_object: 'person' });
      assert.equal(hook.status, 201);

      const merge = await member.api.put(`/v1/persons/${merged}/merge`, { merge_with_id: survivor });
      assert.equal(merge.status, 200, JSON.stringify(merge.body));
      assert.deepEqual(await custom(api, both), { [referredBy]: survivor, [assistant]: survivor, [note]: `"${referredBy}":${merged},` }, 'text that looks like a reference is left alone');
      assert.deepEqual(await custom(api, mixed), { [referredBy]: survivor, [assistant]: survivor });
      assert.deepEqual(await custom(api, hidden), { [referredBy]: survivor });
      assert.deepEqual(await custom(api, selfRef), { [assistant]: survivor });
      assert.deepEqual(await custom(api, survivor), { [referredBy]: survivor }, "the survivor's own reference to the merged person names itself now");
      for (const [i, id] of [unrelated, other].entries()) assert.deepEqual((await api.get(`/api/v2/persons/${id}`)).body.data, untouched[i], 'persons without a reference are not written');
      const bothRow = (await api.get(`/api/v2/persons/${both}`)).body.data;
      assert.ok(bothRow.update_time >= merge.body.data.update_time, 'update_time records the repoint, so incremental syncs see it');

      // History: the repointed values are field changes of each person, by the user who merged.
      const changelog = (await api.get(`/v1/persons/${both}/changelog`)).body.data as any[];
      const repointed = changelog.filter((c) => c.field_key === referredBy || c.field_key === assistant);
      assert.deepEqual(repointed.map((c) => [c.field_key, c.old_value, c.new_value, c.actor_user_id]).sort(), [
        [assistant, String(merged), String(survivor), member.userId],
        [referredBy, String(merged), String(survivor), member.userId],
      ].sort());
      // Webhooks: a change for each repointed person (the survivor's merge change too); the hidden person's goes
      // only to webhooks whose user may see it (the admin's here).
      const changes = await eventually(async () => {
        const got = receiver.bodies.filter((b) => b.meta.action === 'change');
        const ids = new Set(got.map((b) => Number(b.meta.entity_id)));
        return [both, mixed, hidden, selfRef, survivor].every((id) => ids.has(id)) && got;
      }, 5000, 'change webhooks of every repointed person');
      const ofBoth = changes.find((b) => Number(b.meta.entity_id) === both);
      assert.deepEqual(ofBoth.data.custom_fields[referredBy], { type: 'people', id: survivor });
      assert.deepEqual(ofBoth.previous.custom_fields[referredBy], { type: 'people', id: merged });
      assert.ok(!changes.some((b) => [unrelated, other].includes(Number(b.meta.entity_id))), 'no event for persons without a reference');

      // A reference edited after the merge stays as edited; the others go back to the restored person.
      await api.patch(`/api/v2/persons/${mixed}`, { custom_fields: { [referredBy]: other } });
      const unmerge = await api.post(`/api/v2/persons/${merged}/unmerge`);
      assert.equal(unmerge.status, 200, JSON.stringify(unmerge.body));
      assert.deepEqual(await custom(api, both), { [referredBy]: merged, [assistant]: merged, [note]: `"${referredBy}":${merged},` });
      assert.deepEqual(await custom(api, mixed), { [referredBy]: other, [assistant]: survivor });
      assert.deepEqual(await custom(api, hidden), { [referredBy]: merged });
      assert.deepEqual(await custom(api, selfRef), { [assistant]: merged });
      assert.deepEqual(await custom(api, survivor), { [referredBy]: merged });
      assert.deepEqual(unmerge.body.additional_data.not_restored, [
        { field: `person ${mixed} custom_fields.${referredBy}`, reason: 'edited since the merge; the edit is kept' },
      ]);
      const back = (await api.get(`/v1/persons/${both}/changelog`)).body.data as any[];
      assert.equal(back.filter((c) => c.field_key === referredBy && c.new_value === String(merged)).length, 1, 'the unmerge is history too');
      await eventually(async () => receiver.bodies.some((b) => Number(b.meta.entity_id) === both && b.data.custom_fields[referredBy]?.id === merged), 5000, "the unmerge's change webhook");
    });

    it('a merge without people fields, or without references, writes no other person; a failed merge repoints nothing', async () => {
      const tenant = await newTenant(server);
      const { api } = tenant;
      const a = (await api.post('/api/v2/persons', { name: 'A' })).body.data;
      const b = (await api.post('/api/v2/persons', { name: 'B' })).body.data;
      const c = (await api.post('/api/v2/persons', { name: 'C' })).body.data;
      assert.equal((await api.put(`/v1/persons/${a.id}/merge`, { merge_with_id: b.id })).status, 200);
      assert.deepEqual((await api.get(`/api/v2/persons/${c.id}`)).body.data, c);

      const field = (await api.post('/v1/personFields', { name: 'Mentor', field_type: 'people' })).body.data.key as string;
      const d = (await api.post('/api/v2/persons', { name: 'D', custom_fields: { [field]: b.id } })).body.data;
      // A merge into a deleted person fails as a whole: the reference to b stays.
      const gone = (await api.post('/api/v2/persons', { name: 'Gone' })).body.data.id;
      await api.delete(`/api/v2/persons/${gone}`);
      assert.equal((await api.put(`/v1/persons/${b.id}/merge`, { merge_with_id: gone })).status, 400);
      assert.deepEqual((await api.get(`/api/v2/persons/${d.id}`)).body.data, d);
      // A dry run shows the merge but leaves the reference as it is.
      assert.equal((await api.put(`/v1/persons/${b.id}/merge?dry_run=true`, { merge_with_id: c.id })).status, 200);
      assert.deepEqual((await api.get(`/api/v2/persons/${d.id}`)).body.data, d);
    });
  });
}
