import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/db.ts';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { contactsVersusPersonRow } from '../helpers/consistency.ts';
import { type IsolatedDatabase, isolatedDatabase } from '../helpers/isolated-database.ts';
import { type ServeProcess, killLeftovers, startServeProcess } from '../helpers/personsd-process.ts';
import { Api, testBackends } from '../helpers/server.ts';

/*
 * The scaled-out deployment: separate personsd processes (on one machine or many, behind a load balancer) sharing
 * one PostgreSQL database. This is the one test that runs on PostgreSQL only, because that deployment exists only
 * there: an SQLite file cannot be shared by processes on different machines. (Several processes on one SQLite file
 * on one machine, `serve --workers N`, are covered on both backends in workers.test.ts.)
 */
const postgres = testBackends().find((backend) => backend.name === 'postgres');
const TOKEN = 'two-processes-bootstrap-token-0123456789';

if (postgres) {
  describe('two server processes on one PostgreSQL database', { timeout: 180_000 }, () => {
    let database: IsolatedDatabase;
    let first: ServeProcess;
    let second: ServeProcess;
    let a: Api;
    let b: Api;
    before(async () => {
      database = await isolatedDatabase(postgres);
      // Started at the same moment on an empty database: both migrate and try to bootstrap at once.
      const env = { DATABASE_URL: database.url, PERSONSD_BOOTSTRAP_TOKEN: TOKEN };
      [first, second] = await Promise.all([startServeProcess(env), startServeProcess(env)]);
      a = new Api(first.url, TOKEN);
      b = new Api(second.url, TOKEN);
    });
    after(async () => {
      await Promise.all([first?.stop(), second?.stop()]);
      killLeftovers();
      await database?.drop();
    });

    it('listens on two different ports and bootstraps one company between them', async () => {
      assert.notEqual(first.url, second.url);
      const [meA, meB] = await Promise.all([a.get('/v1/users/me'), b.get('/v1/users/me')]);
      assert.equal(meA.status, 200);
      assert.deepEqual(meB.body.data, meA.body.data);
      assert.equal([first, second].filter((p) => p.stdout().includes('created the first company')).length, 1);
      const store = openStore(parseDatabaseUrl(database.url, 1));
      try {
        const { n } = await store.db.selectFrom('companies').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(n), 1);
      } finally {
        await store.close();
      }
    });

    it('reads, lists, searches and pages through one process what was written through the other', async () => {
      const created = await a.post('/api/v2/persons', { name: 'Cross Process', emails: [{ value: 'cross@example.com' }], job_title: 'Bridge' });
      assert.equal(created.status, 200);
      const id = created.body.data.id;

      const read = await b.get(`/api/v2/persons/${id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.data, created.body.data);

      const listed = await b.get('/api/v2/persons?limit=500');
      assert.ok(listed.body.data.some((p: { id: number }) => p.id === id));

      const found = await b.get('/api/v2/persons/search?term=cross%40example.com');
      assert.equal(found.status, 200);
      assert.deepEqual(found.body.data.items.map((i: { item: { id: number } }) => i.item.id), [id]);

      const changed = await b.patch(`/api/v2/persons/${id}`, { job_title: 'Changed through B', emails: [{ value: 'moved@example.org' }] });
      assert.equal(changed.status, 200);
      assert.equal((await a.get(`/api/v2/persons/${id}`)).body.data.job_title, 'Changed through B');
      const refound = await a.get('/api/v2/persons/search?term=moved%40example.org');
      assert.deepEqual(refound.body.data.items.map((i: { item: { id: number } }) => i.item.id), [id]);
      assert.deepEqual((await a.get('/api/v2/persons/search?term=cross%40example.com')).body.data.items, []);

      // A cursor is signed with a secret kept in the database, so either process accepts the other's.
      await Promise.all([a.post('/api/v2/persons', { name: 'Page filler 1' }), a.post('/api/v2/persons', { name: 'Page filler 2' })]);
      const page1 = await a.get('/api/v2/persons?limit=1');
      const cursor = page1.body.additional_data.next_cursor;
      assert.equal(typeof cursor, 'string');
      const page2 = await b.get(`/api/v2/persons?limit=1&cursor=${encodeURIComponent(cursor)}`);
      assert.equal(page2.status, 200);
      assert.equal(page2.body.data.length, 1);
      assert.ok(page2.body.data[0].id > page1.body.data[0].id);

      assert.equal((await a.delete(`/api/v2/persons/${id}`)).status, 200);
      assert.equal((await b.get(`/api/v2/persons/${id}`)).status, 404);
      assert.deepEqual((await b.get('/api/v2/persons/search?term=moved%40example.org')).body.data.items, []);
    });

    it('gives unique ids to creates racing through both processes', async () => {
      const responses = await Promise.all(
        Array.from({ length: 80 }, (_, i) => (i % 2 ? a : b).post('/api/v2/persons', { name: `Racer ${i}`, phones: [{ value: `+1 212 555 ${1000 + i}` }] })),
      );
      assert.deepEqual(responses.map((r) => r.status), responses.map(() => 200));
      const ids = responses.map((r) => r.body.data.id);
      assert.equal(new Set(ids).size, ids.length);
    });

    it('keeps every field and the contact lookup rows consistent when both processes PATCH one person at once', async () => {
      const id = (await a.post('/api/v2/persons', { name: 'Shared' })).body.data.id;
      const store = openStore(parseDatabaseUrl(database.url, 1));
      try {
        for (let round = 1; round <= 8; round++) {
          const patches = [
            { job_title: `title ${round}` },
            { emails: [{ value: `round${round}@example.com` }] },
            { phones: [{ value: `+44 20 7946 ${String(round).padStart(4, '0')}` }] },
            { notes: `notes ${round}` },
          ];
          const responses = await Promise.all(patches.map((body, i) => (i % 2 ? a : b).patch(`/api/v2/persons/${id}`, body)));
          assert.deepEqual(responses.map((r) => r.status), patches.map(() => 200));
          const person = (await b.get(`/api/v2/persons/${id}`)).body.data;
          assert.equal(person.job_title, `title ${round}`);
          assert.equal(person.notes, `notes ${round}`);
          assert.deepEqual(person.emails.map((e: { value: string }) => e.value), [`round${round}@example.com`]);
          const { expected, stored } = await contactsVersusPersonRow(store.db, id);
          assert.deepEqual(stored, expected);
        }
      } finally {
        await store.close();
      }
    });
  });
}
