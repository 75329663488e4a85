import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, testBackends } from '../helpers/server.ts';
import { webhookSuite } from '../helpers/webhooks.ts';

/** A webhook payload without what differs between two writes of the same values: ids, times, event ids. */
function comparable(body: any) {
  const { id: _id, add_time: _a, update_time: _u, ...data } = body.data;
  return { action: body.meta.action, entity: body.meta.entity, change_source: body.meta.change_source, data };
}

for (const backend of testBackends()) {
  describe(`v1 person writes send the webhooks v2 writes send [${backend.name}]`, () => {
    const suite = webhookSuite(backend);

    it('create, change and delete through v1 and v2 give the same v2.0 and v1.0 events', async () => {
      const { api } = await newTenant(suite.server);
      for (const version of ['2.0', '1.0']) {
        const res = await api.post('/v1/webhooks', { subscription_url: `${suite.receiver.url}?v=${version}`, event_action: '*', event_object: 'person', version });
        assert.equal(res.status, 201);
      }
      const viaV1 = (await api.post('/v1/persons', { name: 'Twin One', email: 'twin@example.com', visible_to: '7' })).body.data.id;
      await suite.receiver.waitFor(2);
      const viaV2 = (await api.post('/api/v2/persons', { name: 'Twin One', emails: [{ value: 'twin@example.com' }], visible_to: 7 })).body.data.id;
      await suite.receiver.waitFor(4);
      await api.put(`/v1/persons/${viaV1}`, { job_title: 'Pilot' });
      await suite.receiver.waitFor(6);
      await api.patch(`/api/v2/persons/${viaV2}`, { job_title: 'Pilot' });
      await suite.receiver.waitFor(8);
      await api.delete(`/v1/persons?ids=${viaV1}`);
      await api.delete(`/api/v2/persons/${viaV2}`);
      const received = await suite.receiver.waitFor(12);

      const events = (version: string, personId: number) =>
        received
          .filter((r) => new URL(r.path, 'http://x').searchParams.get('v') === version)
          .map((r) => r.body)
          .filter((b) => (version === '2.0' ? b.meta.entity_id === String(personId) : b.meta.id === personId));
      const v2Events = [events('2.0', viaV1), events('2.0', viaV2)];
      assert.deepEqual(v2Events.map((list) => list.map((b) => b.meta.action)), [['create', 'change', 'delete'], ['create', 'change', 'delete']]);
      assert.deepEqual(comparable(v2Events[0][0]), comparable(v2Events[1][0]));
      assert.deepEqual(v2Events[0][1].previous, v2Events[1][1].previous);
      const v1Events = [events('1.0', viaV1), events('1.0', viaV2)];
      assert.deepEqual(v1Events.map((list) => list.map((b) => b.meta.action)), [['added', 'updated', 'deleted'], ['added', 'updated', 'deleted']]);
      const { id: _a, add_time: _b, update_time: _c, ...one } = v1Events[0][1].current;
      const { id: _d, add_time: _e, update_time: _f, ...two } = v1Events[1][1].current;
      assert.deepEqual(one, two);
    });
  });
}
