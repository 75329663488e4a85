import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { findPerson, livePersons } from '../../src/store/repositories/persons.repository.ts';
import { type Tenant, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/*
 * Reads of one person by id that start in the same turn of the event loop share one statement on PostgreSQL
 * (src/store/coalesced-reads.ts); each caller gets its own answer, and nothing of another company.
 */
for (const backend of testBackends()) {
  describe(`reads by id started together [${backend.name}]`, () => {
    let server: TestServer;
    let tenant: Tenant;
    let other: Tenant;
    const ids: number[] = [];
    let othersPerson: number;
    const sent: string[] = [];
    const query = pg.Query.prototype as unknown as { submit: (this: { text?: string }, ...args: unknown[]) => unknown };
    const originalSubmit = query.submit;

    before(async () => {
      server = await startTestServer(backend);
      tenant = await newTenant(server);
      other = await newTenant(server);
      for (const name of ['Ada Lovelace', 'Grace Hopper', 'Edsger Dijkstra']) ids.push((await tenant.api.post('/api/v2/persons', { name })).body.data.id);
      othersPerson = (await other.api.post('/api/v2/persons', { name: 'Someone Else' })).body.data.id;
      query.submit = function (...args) {
        if (this.text?.includes('from "persons"')) sent.push(this.text);
        return originalSubmit.apply(this, args);
      };
    });
    after(async () => {
      query.submit = originalSubmit;
      await server.close();
    });

    it('answers each caller with its own person, none for a missing id or another company’s, in one statement on PostgreSQL', async () => {
      sent.length = 0;
      const asked = [ids[0], ids[1], ids[2], ids[0], 999_999_999, othersPerson];
      const rows = await Promise.all(asked.map((id) => findPerson(server.store.db, tenant.companyId, id)));
      assert.deepEqual(
        rows.map((row) => row?.name),
        ['Ada Lovelace', 'Grace Hopper', 'Edsger Dijkstra', 'Ada Lovelace', undefined, undefined],
      );
      assert.notEqual(rows[0], rows[3], 'the same id asked twice: two objects, so one caller’s change is not the other’s');
      if (backend.name === 'postgres') {
        assert.equal(sent.length, 1, sent.join('\n'));
        assert.match(sent[0], /any\(/);
      }
    });

    it('gathers lists of ids (a search page’s persons) with single reads into the same statement', async () => {
      sent.length = 0;
      const [page, another, single] = await Promise.all([
        livePersons(server.store.db, tenant.companyId, [ids[2], ids[0], 999_999_999]),
        livePersons(server.store.db, tenant.companyId, [ids[0], othersPerson]),
        findPerson(server.store.db, tenant.companyId, ids[1]),
      ]);
      const names = (rows: Array<{ name: string }>) => rows.map((row) => row.name).sort();
      assert.deepEqual(names(page), ['Ada Lovelace', 'Edsger Dijkstra']);
      assert.deepEqual(names(another), ['Ada Lovelace']);
      assert.equal(single?.name, 'Grace Hopper');
      assert.deepEqual(await livePersons(server.store.db, tenant.companyId, []), []);
      if (backend.name === 'postgres') assert.equal(sent.length, 1, sent.join('\n'));
    });

    it('reads alone inside a transaction, and a person written before the call is found', async () => {
      const created = (await tenant.api.post('/api/v2/persons', { name: 'Barbara Liskov' })).body.data.id as number;
      sent.length = 0;
      const [fresh, inside] = await Promise.all([
        findPerson(server.store.db, tenant.companyId, created),
        server.store.db.transaction().execute((trx) => findPerson(trx, tenant.companyId, ids[1])),
      ]);
      assert.equal(fresh?.name, 'Barbara Liskov');
      assert.equal(inside?.name, 'Grace Hopper');
      if (backend.name === 'postgres') assert.equal(sent.filter((text) => text.includes('any(')).length, 0, sent.join('\n'));
    });

    it('answers concurrent GETs over HTTP with the right persons', async () => {
      const responses = await Promise.all([...ids, othersPerson].map((id) => tenant.api.get(`/api/v2/persons/${id}`)));
      assert.deepEqual(
        responses.map((r) => [r.status, r.body.data?.name]),
        [
          [200, 'Ada Lovelace'],
          [200, 'Grace Hopper'],
          [200, 'Edsger Dijkstra'],
          [404, undefined],
        ],
      );
    });
  });
}
