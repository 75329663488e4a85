import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, testBackends } from '../helpers/server.ts';
import { webhookSuite } from '../helpers/webhooks.ts';
import { recorder } from '../../src/domain/write-events.ts';
import type { PersonRow } from '../../src/store/repositories/persons.repository.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

for (const backend of testBackends()) {
  describe(`webhook events commit with their write [${backend.name}]`, () => {
    const suite = webhookSuite(backend);

    it('writes no event when the write rolls back after the outbox listener ran', async () => {
      const tenant = await newTenant(suite.server);
      await tenant.api.post('/v1/webhooks', { subscription_url: suite.receiver.url, event_action: '*', event_object: '*' });
      // A listener registered after the outbox's fails: the write, and the event it queued, roll back together.
      const failing = async () => {
        throw new Error('a later listener failed');
      };
      suite.server.services.personListeners.push(failing);
      try {
        const res = await tenant.api.post('/api/v2/persons', { name: 'Rolled back' });
        assert.equal(res.status, 500);
      } finally {
        suite.server.services.personListeners.splice(suite.server.services.personListeners.indexOf(failing), 1);
      }
      const queued = await suite.server.store.db.selectFrom('webhook_outbox').select('id').where('company_id', '=', tenant.companyId).execute();
      assert.deepEqual(queued, []);
      assert.equal((await tenant.api.get('/api/v2/persons')).body.data.length, 0);
      await settle();
      assert.equal(suite.receiver.received.length, 0);

      const committed = (await tenant.api.post('/api/v2/persons', { name: 'Committed' })).body.data;
      const [delivered] = await suite.receiver.waitFor(1);
      assert.equal(delivered.body.data.id, committed.id);
    });

    it('keeps nothing of an edit when a recorder fails while the outbox, history and search index write beside it', async () => {
      const tenant = await newTenant(suite.server);
      const person = (await tenant.api.post('/api/v2/persons', { name: 'Before Edit' })).body.data;
      await tenant.api.post('/v1/webhooks', { subscription_url: suite.receiver.url, event_action: '*', event_object: '*' });
      // A recorder runs at once with the others (write-events.ts); it fails only after they have sent their writes.
      const failing = recorder<PersonRow>(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('a recorder failed');
      });
      suite.server.services.personListeners.push(failing);
      try {
        const res = await tenant.api.patch(`/api/v2/persons/${person.id}`, { name: 'After Edit' });
        assert.equal(res.status, 500);
      } finally {
        suite.server.services.personListeners.splice(suite.server.services.personListeners.indexOf(failing), 1);
      }
      assert.equal((await tenant.api.get(`/api/v2/persons/${person.id}`)).body.data.name, 'Before Edit');
      const queued = await suite.server.store.db.selectFrom('webhook_outbox').select('id').where('company_id', '=', tenant.companyId).execute();
      assert.deepEqual(queued, []);
      const history = await suite.server.store.db.selectFrom('person_changes').select('id').where('person_id', '=', person.id).execute();
      assert.deepEqual(history, []);
      assert.deepEqual((await tenant.api.get('/api/v2/persons/search?term=After')).body.data.items, []);
      assert.equal((await tenant.api.get('/api/v2/persons/search?term=Before')).body.data.items[0].item.id, person.id);
    });

    it('renders a merge as Pipedrive does: v2 change + delete with merged ids, v1 merged + deleted', async () => {
      const tenant = await newTenant(suite.server);
      const subscribe = (name: string, body: Record<string, unknown>) =>
        tenant.api.post('/v1/webhooks', { subscription_url: `${suite.receiver.url}?w=${name}`, event_object: 'person', ...body });
      const survivor = (await tenant.api.post('/api/v2/persons', { name: 'Keep Me' })).body.data;
      const merged = (await tenant.api.post('/api/v2/persons', { name: 'Merge Me', job_title: 'CTO' })).body.data;
      await subscribe('v2-all', { event_action: '*' });
      await subscribe('v1-all', { event_action: '*', version: '1.0' });
      await subscribe('v2-merged', { event_action: 'merged' });
      await subscribe('v1-updated', { event_action: 'updated', version: '1.0' });

      const res = await tenant.api.put(`/v1/persons/${merged.id}/merge`, { merge_with_id: survivor.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await suite.receiver.waitFor(5);
      await settle();
      const by = (name: string) => suite.receiver.received.filter((r) => r.path.endsWith(`w=${name}`)).map((r) => r.body);
      // Order is kept per entity, not across the two persons: the survivor's event first, for reading.
      const survivorFirst = (bodies: any[], isSurvivor: (b: any) => boolean) => [...bodies].sort((a, b) => Number(!isSurvivor(a)) - Number(!isSurvivor(b)));

      const v2 = survivorFirst(by('v2-all'), (b) => b.meta.entity_id === String(survivor.id));
      assert.deepEqual(v2.map((b) => [b.meta.action, b.meta.entity_id]), [['change', String(survivor.id)], ['delete', String(merged.id)]]);
      assert.equal(v2[0].meta.merged_from_id, String(merged.id));
      assert.equal(v2[0].data.job_title, 'CTO', 'the survivor took the empty field from the merged person');
      assert.equal(v2[0].previous.job_title, null);
      assert.equal('merged_to_id' in v2[0].meta, false);
      assert.equal(v2[1].meta.merged_to_id, String(survivor.id));
      assert.equal(v2[1].data, null);
      assert.equal(v2[1].previous.name, 'Merge Me');

      const v1 = survivorFirst(by('v1-all'), (b) => b.meta.id === survivor.id || b.current?.id === survivor.id);
      assert.deepEqual(v1.map((b) => b.event), ['merged.person', 'deleted.person']);
      assert.equal(v1[0].meta.action, 'merged');
      assert.equal(v1[0].current.id, survivor.id);
      assert.equal(v1[0].previous.job_title, null);

      assert.deepEqual(by('v2-merged').map((b) => [b.meta.action, b.meta.merged_from_id]), [['change', String(merged.id)]]);
      assert.deepEqual(by('v1-updated'), [], 'a v1 webhook for `updated` does not get merges');
      assert.equal(suite.receiver.received.length, 5);
    });

    it('tells organization and deal merges the same way, with merged_from_id and merged_to_id', async () => {
      const tenant = await newTenant(suite.server);
      const survivors = { organization: (await tenant.api.post('/api/v2/organizations', { name: 'Keep Org' })).body.data.id, deal: (await tenant.api.post('/api/v2/deals', { title: 'Keep Deal' })).body.data.id };
      const merged = { organization: (await tenant.api.post('/api/v2/organizations', { name: 'Gone Org' })).body.data.id, deal: (await tenant.api.post('/api/v2/deals', { title: 'Gone Deal' })).body.data.id };
      for (const object of ['organization', 'deal'] as const) {
        for (const version of ['2.0', '1.0']) {
          await tenant.api.post('/v1/webhooks', { subscription_url: `${suite.receiver.url}?w=${object}-${version}`, event_action: '*', event_object: object, version });
        }
      }
      assert.equal((await tenant.api.put(`/v1/organizations/${merged.organization}/merge`, { merge_with_id: survivors.organization })).status, 200);
      assert.equal((await tenant.api.put(`/v1/deals/${merged.deal}/merge`, { merge_with_id: survivors.deal })).status, 200);
      await suite.receiver.waitFor(8);
      await settle();
      for (const object of ['organization', 'deal'] as const) {
        const by = (version: string) => suite.receiver.received.filter((r) => r.path.endsWith(`w=${object}-${version}`)).map((r) => r.body);
        const v2 = by('2.0');
        const change = v2.find((b) => b.meta.action === 'change');
        const gone = v2.find((b) => b.meta.action === 'delete');
        assert.deepEqual([change.meta.entity_id, change.meta.merged_from_id], [String(survivors[object]), String(merged[object])], object);
        assert.deepEqual([gone.meta.entity_id, gone.meta.merged_to_id], [String(merged[object]), String(survivors[object])], object);
        assert.deepEqual(by('1.0').map((b) => b.event).sort(), [`deleted.${object}`, `merged.${object}`]);
      }
    });
  });
}
