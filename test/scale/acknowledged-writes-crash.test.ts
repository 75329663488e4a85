import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testBackends } from '../helpers/server.ts';
import { spawnedPersonsd } from '../helpers/spawned-personsd.ts';

/*
 * Many creates at once, the server killed with SIGKILL while some are still in flight: every create it answered is
 * there after a restart. On SQLite concurrent writes commit in groups (src/store/sqlite-driver.ts), and an answer
 * must never go out before its group's COMMIT.
 */
for (const backend of testBackends()) {
  describe(`acknowledged writes across a kill -9 under concurrent load [${backend.name}]`, () => {
    const processes = spawnedPersonsd(backend);

    it('keeps every create that was answered before the kill', async () => {
      const { spawnWith } = await processes.setUp();
      const first = await spawnWith();
      const answered: { id: number; name: string }[] = [];
      let enoughAnswered: () => void = () => {};
      const halfway = new Promise<void>((resolve) => (enoughAnswered = resolve));
      const creates = Array.from({ length: 120 }, (_, i) =>
        first.api
          .post('/api/v2/persons', { name: `Crash ${i}`, emails: [{ value: `crash${i}@example.com` }] })
          .then((response) => {
            if (response.status !== 200) return;
            answered.push({ id: response.body.data.id, name: response.body.data.name });
            if (answered.length === 40) enoughAnswered();
          })
          .catch(() => {}),
      );
      await halfway;
      const acknowledged = [...answered];
      await first.process.kill('SIGKILL');
      await Promise.all(creates);

      const second = await spawnWith();
      for (const { id, name } of acknowledged) {
        const read = await second.api.get(`/api/v2/persons/${id}`);
        assert.equal(read.status, 200, `person ${id} was answered before the kill`);
        assert.equal(read.body.data.name, name);
      }
      const listed = await second.api.get('/api/v2/persons?limit=500');
      assert.ok(listed.body.data.length >= acknowledged.length);
    });
  });
}
