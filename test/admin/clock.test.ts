import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, type TestServer, testBackends } from '../helpers/server.ts';
import { adminTenant, startAdminServer } from './admin-server.ts';

for (const backend of testBackends()) {
  describe(`admin API: clock [${backend.name}]`, () => {
    let server: TestServer;
    let admin: Api;
    before(async () => ({ server, admin } = await startAdminServer(backend)));
    after(async () => {
      await admin.delete('/_personsd/clock');
      await server.close();
    });

    it('a frozen clock makes add_time and update_time exact, and advancing moves them by exactly that much', async () => {
      const { api } = await adminTenant(server, admin);
      const frozen = await admin.put('/_personsd/clock', { frozen_at: '2031-02-03T04:05:06Z' });
      assert.equal(frozen.status, 200);
      assert.deepEqual(frozen.body.data, { now: '2031-02-03T04:05:06.000Z', frozen: true, offset_seconds: 0 });
      const created = (await api.post('/api/v2/persons', { name: 'Ada Lovelace' })).body.data;
      assert.equal(created.add_time, '2031-02-03T04:05:06Z');
      assert.equal(created.update_time, '2031-02-03T04:05:06Z');
      await admin.put('/_personsd/clock', { advance_by_seconds: 90 });
      const updated = (await api.patch(`/api/v2/persons/${created.id}`, { job_title: 'Analyst' })).body.data;
      assert.equal(updated.add_time, '2031-02-03T04:05:06Z');
      assert.equal(updated.update_time, '2031-02-03T04:06:36Z');
      const v1 = (await api.get('/v1/users/me')).body;
      assert.equal(v1.success, true);
    });

    it('advancing past 30 days purges what was deleted, and not a day earlier', async () => {
      const { api, companyId } = await adminTenant(server, admin);
      await admin.put('/_personsd/clock', { frozen_at: '2032-01-01T00:00:00Z' });
      const id = (await api.post('/api/v2/persons', { name: 'Grace Hopper' })).body.data.id;
      assert.equal((await api.delete(`/api/v2/persons/${id}`)).status, 200);
      const stored = () => server.store.db.selectFrom('persons').select('id').where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
      await admin.put('/_personsd/clock', { advance_by_seconds: 29 * 86_400 });
      assert.ok(await stored(), 'kept for 30 days');
      await admin.put('/_personsd/clock', { advance_by_seconds: 2 * 86_400 });
      assert.equal(await stored(), undefined, 'purged once 30 days have passed');
    });

    it('returns to real time, and refuses what is not a clock setting', async () => {
      const real = await admin.delete('/_personsd/clock');
      assert.equal(real.body.data.frozen, false);
      assert.ok(Math.abs(Date.parse(real.body.data.now) - Date.now()) < 60_000);
      for (const body of [{}, { frozen_at: 'yesterday' }, { advance_by_seconds: -5 }, { rewind: 1 }]) {
        const res = await admin.put('/_personsd/clock', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.success, false);
      }
      assert.equal((await admin.get('/_personsd/clock')).body.data.frozen, false);
      assert.equal((await new Api(server.url, undefined).put('/_personsd/clock', { advance_by_seconds: 1 })).status, 401);
    });
  });
}
