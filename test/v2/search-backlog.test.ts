import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';
import { spawnedPersonsd } from '../helpers/spawned-personsd.ts';
import { eventually } from '../helpers/webhooks.ts';

/*
 * SQLite indexes writes for search in batches from a durable queue (search_backlog); a search takes the queue first.
 * On both backends: every acknowledged write is what the next search finds, also after a kill -9. On SQLite the
 * tests also look into the queue, to show the writes were still queued when the process died.
 */

/** Long enough that no timer indexes anything during a test: only searches (and restarts) take the queue. */
const NO_TIMER = { SEARCH_INDEX_INTERVAL_MS: '3600000' };

const namesOf = (response: { body: any }) => response.body.data.items.map((i: any) => i.item.name).sort();

function queuedRows(url: string): number {
  const db = new SqliteDatabase(url.slice('sqlite:'.length));
  try {
    return (db.prepare('select count(*) as n from search_backlog').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

for (const backend of testBackends()) {
  describe(`search index writes across a kill -9 [${backend.name}]`, () => {
    const processes = spawnedPersonsd(backend);
    const setUp = () => processes.setUp();

    it('finds what was acknowledged before the kill, and not what those writes replaced', async () => {
      const { url, spawnWith } = await setUp();
      const first = await spawnWith(NO_TIMER);
      const renamed = (await first.api.post('/api/v2/persons', { name: 'Ursula Firstname' })).body.data;
      const deleted = (await first.api.post('/api/v2/persons', { name: 'Vera Gonebefore' })).body.data;
      // A search takes the queue: both are indexed now, under their first names.
      assert.deepEqual(namesOf(await first.api.get('/api/v2/persons/search?term=Firstname')), ['Ursula Firstname']);
      assert.deepEqual(namesOf(await first.api.get('/api/v2/persons/search?term=Gonebefore')), ['Vera Gonebefore']);

      assert.equal((await first.api.patch(`/api/v2/persons/${renamed.id}`, { name: 'Ursula Secondname' })).status, 200);
      assert.equal((await first.api.delete(`/api/v2/persons/${deleted.id}`)).status, 200);
      assert.equal((await first.api.post('/api/v2/persons', { name: 'Quill Lastwritten', emails: [{ value: 'quill@example.com' }] })).status, 200);
      await first.process.kill('SIGKILL');
      if (backend.name === 'sqlite') assert.equal(queuedRows(url), 3, 'the three writes were queued, not indexed, when the process died');

      const second = await spawnWith(NO_TIMER);
      assert.deepEqual(namesOf(await second.api.get('/api/v2/persons/search?term=Secondname')), ['Ursula Secondname']);
      assert.deepEqual(namesOf(await second.api.get('/api/v2/persons/search?term=Firstname')), []);
      assert.deepEqual(namesOf(await second.api.get('/api/v2/persons/search?term=Gonebefore')), []);
      assert.deepEqual(namesOf(await second.api.get('/api/v2/persons/search?term=quill@example.com&fields=email')), ['Quill Lastwritten']);
      if (backend.name === 'sqlite') assert.equal(queuedRows(url), 0);
    });

    it('a write and its undoing before any search leave the index as it was', async () => {
      const { spawnWith } = await setUp();
      const { api } = await spawnWith(NO_TIMER);
      const person = (await api.post('/api/v2/persons', { name: 'Wanda Transient' })).body.data;
      await api.patch(`/api/v2/persons/${person.id}`, { name: 'Wanda Passing' });
      await api.delete(`/api/v2/persons/${person.id}`);
      assert.deepEqual(namesOf(await api.get('/api/v2/persons/search?term=Wanda')), []);
      const kept = (await api.post('/api/v2/persons', { name: 'Wanda Staying' })).body.data;
      assert.deepEqual(namesOf(await api.get('/api/v2/persons/search?term=Wanda')), ['Wanda Staying']);
      assert.equal((await api.get(`/api/v2/persons/search?term=Staying`)).body.data.items[0].item.id, kept.id);
    });

    // The queue and its timer are SQLite's; PostgreSQL writes index entries with the row and queues nothing.
    if (backend.name === 'sqlite') {
      it('indexes queued writes on its timer, without a search', async () => {
        const { url, spawnWith } = await setUp();
        const { api } = await spawnWith({ SEARCH_INDEX_INTERVAL_MS: '50' });
        for (const name of ['Xena Timed', 'Yusuf Timed']) assert.equal((await api.post('/api/v2/persons', { name })).status, 200);
        await eventually(async () => queuedRows(url) === 0, 5000, 'the timer to take the queue');
      });
    }
  });
}

/** A small deterministic generator, so a failing sequence of writes can be replayed. */
function generator(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

const NAMES = ['Kestrel Ombu', 'Kestrel Vantor', 'Lumen Ombu', 'Lumen Quaile', 'Marisol Vantor', 'Odile Quaile'];
const EMAILS = ['kestrel@ombu.example', 'lumen@vantor.example', 'odile@quaile.example', 'marisol@ombu.example'];
const PHONES = ['+14155550101', '+14155550102', '+14155550103', '+14155550104'];

for (const backend of testBackends()) {
  describe(`search after many queued writes [${backend.name}]`, () => {
    let server: TestServer;
    // No timer: only the searches take the queue, so one row often has several changes queued at once.
    before(async () => {
      server = await startTestServer(backend, { searchIndexIntervalMs: 3_600_000 });
    });
    after(() => server.close());

    it('finds exactly the live persons holding each value, after creates, edits and deletes in any order', async () => {
      const { api } = await newTenant(server);
      const pick = generator(19);
      const persons = new Map<number, { name: string; email: string; phone: string; alive: boolean }>();
      const check = async (round: string) => {
        for (const [field, values, of] of [
          ['name', NAMES, (p: { name: string }) => p.name],
          ['email', EMAILS, (p: { email: string }) => p.email],
          ['phone', PHONES, (p: { phone: string }) => p.phone],
        ] as const) {
          for (const value of values) {
            const found = await api.get(`/api/v2/persons/search?${new URLSearchParams({ term: value, fields: field, exact_match: 'true', limit: '100' })}`);
            assert.equal(found.status, 200);
            const ids = found.body.data.items.map((i: any) => i.item.id).sort((a: number, b: number) => a - b);
            const expected = [...persons].filter(([, p]) => p.alive && of(p as never) === value).map(([id]) => id).sort((a, b) => a - b);
            assert.deepEqual(ids, expected, `${round}: ${field} ${value}`);
          }
        }
      };
      for (let step = 0; step < 60; step++) {
        const alive = [...persons].filter(([, p]) => p.alive);
        const op = alive.length < 3 ? 0 : pick(5);
        if (op === 0) {
          const p = { name: NAMES[pick(NAMES.length)], email: EMAILS[pick(EMAILS.length)], phone: PHONES[pick(PHONES.length)], alive: true };
          const made = await api.post('/api/v2/persons', { name: p.name, emails: [{ value: p.email, primary: true }], phones: [{ value: p.phone, primary: true }] });
          assert.equal(made.status, 200);
          persons.set(made.body.data.id, p);
          continue;
        }
        const [id, p] = alive[pick(alive.length)];
        if (op === 1) p.name = NAMES[pick(NAMES.length)];
        if (op === 2) p.email = EMAILS[pick(EMAILS.length)];
        if (op === 3) p.phone = PHONES[pick(PHONES.length)];
        if (op === 4) {
          assert.equal((await api.delete(`/api/v2/persons/${id}`)).status, 200);
          p.alive = false;
        } else {
          const body = op === 1 ? { name: p.name } : op === 2 ? { emails: [{ value: p.email, primary: true }] } : { phones: [{ value: p.phone, primary: true }] };
          assert.equal((await api.patch(`/api/v2/persons/${id}`, body)).status, 200);
        }
        // Now and then the index catches up in the middle, so later changes start from an indexed row.
        if (step === 20 || step === 40) await check(`after step ${step}`);
      }
      await check('at the end');
    });
  });
}
