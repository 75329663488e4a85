import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../../src/store/db.ts';
import { type TestServer, newTenant, testBackends } from '../helpers/server.ts';
import { Receiver, startWebhookServer } from '../helpers/webhooks.ts';

/*
 * What a person write needs to know of its company (identity settings, whether a custom field is mandatory, whether
 * any webhook listens) is remembered between changes of the store's settings stamp. Each case warms that memory with
 * writes, then changes the setting through a second connection to the database, as another process would, and the
 * very next write must follow the change.
 */
for (const backend of testBackends()) {
  describe(`remembered company settings follow changes made elsewhere [${backend.name}]`, () => {
    let server: TestServer;
    let other: Store;
    before(async () => {
      server = await startWebhookServer(backend);
      other = openStore(server.config.database);
    });
    after(async () => {
      await other.close();
      await server.close();
    });

    it('keeps its stamp through person writes, so what it remembers outlives them, and moves it on a settings change', async () => {
      const tenant = await newTenant(server);
      const stamp = async () => {
        let value: string | undefined;
        // PostgreSQL's first call opens the listening connection: ask until it listens.
        for (let i = 0; i < 200 && value === undefined; i++) {
          value = await server.store.settingsStamp();
          if (value === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await new Promise((resolve) => setImmediate(resolve));
        return value;
      };
      const before = await stamp();
      assert.notEqual(before, undefined);
      const made = await tenant.api.post('/api/v2/persons', { name: 'Stamp Keeper', emails: [{ value: 'keeper@example.com' }] });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      assert.equal((await tenant.api.patch(`/api/v2/persons/${made.body.data.id}`, { job_title: 'Keeper' })).status, 200);
      assert.equal((await tenant.api.delete(`/api/v2/persons/${made.body.data.id}`)).status, 200);
      assert.equal(await stamp(), before);
      const field = await tenant.api.post('/v1/personFields', { name: 'Moves the stamp', field_type: 'varchar' });
      assert.equal(field.status, 200, JSON.stringify(field.body));
      // This process's own change counts at once (PostgreSQL: once its notification is in, behind the round trip).
      assert.notEqual(await server.store.settingsStamp(), before);
    });

    it('applies a duplicate policy set by another process to the next create', async () => {
      const tenant = await newTenant(server);
      const body = { name: 'Twice Known', emails: [{ value: 'twice@example.com' }] };
      for (let i = 0; i < 2; i++) assert.equal((await tenant.api.post('/api/v2/persons', body)).status, 200, 'duplicates allowed so far');
      await other.db.updateTable('companies').set({ duplicate_policy: 'reject' }).where('id', '=', tenant.companyId).execute();
      assert.equal((await tenant.api.post('/api/v2/persons', body)).status, 409);
    });

    it('requires a custom field made mandatory by another process on the next create', async () => {
      const tenant = await newTenant(server);
      const field = await tenant.api.post('/v1/personFields', { name: 'Region code', field_type: 'varchar' });
      assert.equal(field.status, 200, JSON.stringify(field.body));
      for (let i = 0; i < 2; i++) assert.equal((await tenant.api.post('/api/v2/persons', { name: `Before ${i}` })).status, 200);
      await other.db.updateTable('person_fields').set({ mandatory_flag: 1 }).where('id', '=', field.body.data.id).execute();
      const refused = await tenant.api.post('/api/v2/persons', { name: 'After' });
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.match(refused.body.error, /Region code/);
    });

    it('sends the next write to a webhook another process added, though this process had found none', async () => {
      const tenant = await newTenant(server);
      const receiver = await Receiver.start();
      try {
        // A webhook row as the API writes it (made in another company, before this one's writes), to copy.
        const stranger = await newTenant(server);
        const made = await stranger.api.post('/v1/webhooks', { subscription_url: receiver.url, event_action: '*', event_object: 'person' });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        for (let i = 0; i < 2; i++) assert.equal((await tenant.api.post('/api/v2/persons', { name: `Unheard ${i}` })).status, 200);
        const { id: _id, ...row } = await other.db.selectFrom('webhooks').selectAll().where('id', '=', made.body.data.id).executeTakeFirstOrThrow();
        await other.db.insertInto('webhooks').values({ ...row, company_id: tenant.companyId, owner_id: tenant.userId, user_id: tenant.userId }).execute();
        const heard = (await tenant.api.post('/api/v2/persons', { name: 'Heard' })).body.data;
        const [delivered] = await receiver.waitFor(1);
        assert.equal(delivered.body.data.id, heard.id);
      } finally {
        await receiver.close();
      }
    });

    it('filters by a custom field another process added, though this process remembered the fields without it', async () => {
      const tenant = await newTenant(server);
      const line = (field_id: string, value: string) => ({ object: 'person', field_id, operator: '=', value, extra_value: null });
      const conditions = (...lines: object[]) => ({ glue: 'and', conditions: [{ glue: 'and', conditions: lines }, { glue: 'or', conditions: [] }] });
      const kim = (await tenant.api.post('/api/v2/persons', { name: 'Kim' })).body.data;
      const byName = await tenant.api.post('/v1/filters', { name: 'Kims', type: 'people', conditions: conditions(line('name', 'Kim')) });
      assert.equal(byName.status, 200, JSON.stringify(byName.body));
      for (let i = 0; i < 2; i++) {
        const listed = await tenant.api.get(`/api/v2/persons?filter_id=${byName.body.data.id}`);
        assert.deepEqual(listed.body.data.map((p: { id: number }) => p.id), [kim.id]);
      }
      // A field row as the API writes it (made in another company), copied into this one as another process would.
      const stranger = await newTenant(server);
      const made = await stranger.api.post('/v1/personFields', { name: 'Tier', field_type: 'varchar' });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      const { id: _id, ...row } = await other.db.selectFrom('person_fields').selectAll().where('id', '=', made.body.data.id).executeTakeFirstOrThrow();
      const { id: tierId } = await other.db.insertInto('person_fields').values({ ...row, company_id: tenant.companyId }).returning('id').executeTakeFirstOrThrow();
      assert.equal((await tenant.api.patch(`/api/v2/persons/${kim.id}`, { custom_fields: { [row.field_key]: 'gold' } })).status, 200);
      const byTier = await tenant.api.post('/v1/filters', { name: 'Gold', type: 'people', conditions: conditions(line(String(tierId), 'gold')) });
      assert.equal(byTier.status, 200, JSON.stringify(byTier.body));
      const listed = await tenant.api.get(`/api/v2/persons?filter_id=${byTier.body.data.id}`);
      assert.deepEqual(listed.body.data.map((p: { id: number }) => p.id), [kim.id]);
    });
    for (const kind of [
      { fields: 'personFields', records: 'persons', body: { name: 'Sized' } },
      { fields: 'organizationFields', records: 'organizations', body: { name: 'Sized Ltd' } },
      { fields: 'dealFields', records: 'deals', body: { title: 'Sized deal' } },
    ]) {
      it(`leaves a custom field out of v1 ${kind.records} once another process deleted it, though this process remembered the fields`, async () => {
        const tenant = await newTenant(server);
        const field = await tenant.api.post(`/v1/${kind.fields}`, { name: 'Shoe size', field_type: 'varchar' });
        assert.equal(field.status, 200, JSON.stringify(field.body));
        const key: string = field.body.data.key;
        const made = await tenant.api.post(`/v1/${kind.records}`, { ...kind.body, [key]: '42' });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        for (let i = 0; i < 2; i++) assert.equal((await tenant.api.get(`/v1/${kind.records}/${made.body.data.id}`)).body.data[key], '42');
        await other.db.updateTable('person_fields').set({ deleted_time: '2026-01-01 00:00:00' }).where('id', '=', field.body.data.id).execute();
        const read = await tenant.api.get(`/v1/${kind.records}/${made.body.data.id}`);
        assert.equal(read.status, 200);
        assert.equal(key in read.body.data, false, 'the deleted field is no longer rendered');
      });
    }

    it('moves the stamp when another process adds, renames or deletes a field option', async () => {
      const tenant = await newTenant(server);
      const field = await tenant.api.post('/api/v2/personFields', { field_name: 'Kind', field_type: 'enum', options: [{ label: 'A' }] });
      assert.equal(field.status, 200, JSON.stringify(field.body));
      const [option] = await other.db.selectFrom('person_field_options').selectAll().where('company_id', '=', tenant.companyId).where('label', '=', 'A').execute();
      const { id: _id, ...copy } = option;
      const changes = [
        () => other.db.insertInto('person_field_options').values({ ...copy, label: 'B' }).execute(),
        () => other.db.updateTable('person_field_options').set({ label: 'A2' }).where('id', '=', option.id).execute(),
        () => other.db.deleteFrom('person_field_options').where('id', '=', option.id).execute(),
      ];
      for (const change of changes) {
        // SQLite reads the stamp once a turn of the event loop; PostgreSQL's round trip brings every notification sent before it.
        const stampNow = async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return server.store.settingsStamp();
        };
        const before = await stampNow();
        await change();
        assert.notEqual(await stampNow(), before);
      }
    });
  });
}
