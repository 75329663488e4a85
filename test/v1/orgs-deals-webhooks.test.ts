import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, testBackends } from '../helpers/server.ts';
import { type Received, eventually, webhookSuite } from '../helpers/webhooks.ts';

/**
 * Each event once: delivery is at least once, so a slow acknowledgement under load can bring a retry of an event
 * already received (the same payload with \`retry\` / \`meta.attempt\` counted up).
 */
function distinct(received: Received[]): Received[] {
  const seen = new Set<string>();
  return received.filter((r) => {
    const { retry: _retry, meta, ...rest } = r.body;
    const { attempt: _attempt, ...keyMeta } = meta;
    const key = `${r.path} ${JSON.stringify({ ...rest, meta: keyMeta })}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A webhook payload without what differs between two writes of the same values: ids, times, event ids. */
function comparable(body: any) {
  const { id: _id, add_time: _a, update_time: _u, ...data } = body.data;
  return { action: body.meta.action, entity: body.meta.entity, change_source: body.meta.change_source, data };
}

const withoutIds = (object: any) => {
  const { id: _id, add_time: _a, update_time: _u, ...rest } = object;
  return rest;
};

for (const backend of testBackends()) {
  describe(`v1 organization and deal writes send the webhooks v2 writes send [${backend.name}]`, () => {
    const suite = webhookSuite(backend);

    it('create, change and delete through v1 and v2 give the same v2.0 and v1.0 events', async () => {
      const { api } = await newTenant(suite.server);
      for (const version of ['2.0', '1.0']) {
        const res = await api.post('/v1/webhooks', { subscription_url: `${suite.receiver.url}?v=${version}`, event_action: '*', event_object: '*', version });
        assert.equal(res.status, 201);
      }
      const twins = {
        organization: [
          (await api.post('/v1/organizations', { name: 'Twin Org', visible_to: '7', label_ids: ['3'] })).body.data.id,
          (await api.post('/api/v2/organizations', { name: 'Twin Org', visible_to: 7, label_ids: [3] })).body.data.id,
        ],
        deal: [
          (await api.post('/v1/deals', { title: 'Twin Deal', value: '10', currency: 'EUR', visible_to: '7' })).body.data.id,
          (await api.post('/api/v2/deals', { title: 'Twin Deal', value: 10, currency: 'EUR', visible_to: 7 })).body.data.id,
        ],
      };
      await eventually(async () => distinct(suite.receiver.received).length >= 8, 10_000, '8 events');
      await api.put(`/v1/organizations/${twins.organization[0]}`, { name: 'Twin Org Renamed' });
      await api.patch(`/api/v2/organizations/${twins.organization[1]}`, { name: 'Twin Org Renamed' });
      await api.put(`/v1/deals/${twins.deal[0]}`, { status: 'won', won_time: '2024-02-03 04:05:06' });
      await api.patch(`/api/v2/deals/${twins.deal[1]}`, { status: 'won', won_time: '2024-02-03T04:05:06Z' });
      await eventually(async () => distinct(suite.receiver.received).length >= 16, 10_000, '16 events');
      await api.delete(`/v1/organizations?ids=${twins.organization[0]}`);
      await api.delete(`/api/v2/organizations/${twins.organization[1]}`);
      await api.delete(`/v1/deals/${twins.deal[0]}`);
      await api.delete(`/api/v2/deals/${twins.deal[1]}`);
      const received = await eventually(async () => { const events = distinct(suite.receiver.received); return events.length >= 24 && events; }, 10_000, '24 events');

      for (const entity of ['organization', 'deal'] as const) {
        const events = (version: string, id: number) =>
          received
            .filter((r) => new URL(r.path, 'http://x').searchParams.get('v') === version)
            .map((r) => r.body)
            .filter((b) => (version === '2.0' ? b.meta.entity === entity && b.meta.entity_id === String(id) : b.meta.object === entity && b.meta.id === id));
        const v2Events = twins[entity].map((id) => events('2.0', id));
        assert.deepEqual(v2Events.map((list) => list.map((b) => b.meta.action)), [['create', 'change', 'delete'], ['create', 'change', 'delete']], entity);
        assert.deepEqual(comparable(v2Events[0][0]), comparable(v2Events[1][0]), entity);
        assert.deepEqual(comparable(v2Events[0][1]), comparable(v2Events[1][1]), entity);
        assert.deepEqual(withoutIds(v2Events[0][1].previous), withoutIds(v2Events[1][1].previous), entity);
        const v1Events = twins[entity].map((id) => events('1.0', id));
        assert.deepEqual(v1Events.map((list) => list.map((b) => b.meta.action)), [['added', 'updated', 'deleted'], ['added', 'updated', 'deleted']], entity);
        assert.deepEqual(withoutIds(v1Events[0][1].current), withoutIds(v1Events[1][1].current), entity);
      }
    });
  });
}
