import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { renderPersonV2 } from '../../src/domain/persons/person-render.ts';
import { writeMissingPersonDocs } from '../../src/store/migrations/032-postgres-person-docs-by-company.ts';
import { insertImportedPersons } from '../../src/store/repositories/person-transfer.repository.ts';
import { purgeDeletedPersons } from '../../src/store/repositories/persons.repository.ts';
import { type Tenant, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/*
 * A plain v2 list reads each person's stored document (person_docs, written by triggers: migration 027); every
 * other read renders in JavaScript (renderPersonV2). The two must be the same text for every person, whichever
 * path wrote the row.
 */

/** Every printable and control character JSON escapes, quotes, backslashes, and characters outside ASCII. */
const awkward = (() => {
  let text = '';
  for (let c = 1; c < 0x80; c++) text += String.fromCharCode(c);
  return `${text} é ß 中文 עברית 😀 \u2028\u2029 \u00a0 "quoted" \\back\\slash </script>`;
})();

for (const backend of testBackends()) {
  describe(`stored person documents [${backend.name}]`, () => {
    let server: TestServer;
    let tenant: Tenant;
    const ids: Record<string, number> = {};

    /** Each of the company's persons (deleted ones too) against its stored document; the documents of no others. */
    const assertDocsInStep = async () => {
      const db = server.store.db;
      const rows = await db.selectFrom('persons').selectAll().where('company_id', '=', tenant.companyId).orderBy('id').execute();
      const docs = await db.selectFrom('person_docs').selectAll().where('person_id', 'in', rows.map((r) => r.id)).orderBy('person_id').execute();
      assert.deepEqual(docs.map((d) => d.person_id), rows.map((r) => r.id));
      for (const [i, row] of rows.entries()) {
        assert.equal(docs[i].doc, renderPersonV2(row), `person ${row.id}`);
        // SQLite keys them by company and flags the live ones (migration 030): the plain list's page reads only them.
        if (backend.name === 'sqlite') assert.deepEqual([docs[i].company_id, docs[i].live], [row.company_id, row.deleted_time === null ? 1 : 0], `person ${row.id}`);
      }
      const orphans = await sql<{ n: number }>`select count(*) as n from person_docs where person_id not in (select id from persons)`.execute(db);
      assert.equal(Number(orphans.rows[0].n), 0);
      return rows;
    };

    before(async () => {
      server = await startTestServer(backend);
      tenant = await newTenant(server);
      const { api } = tenant;
      const text = (await api.post('/v1/personFields', { name: 'Nickname', field_type: 'varchar' })).body.data;
      const set = (await api.post('/v1/personFields', { name: 'Topics', field_type: 'set', options: [{ label: 'AI' }, { label: 'Data' }] })).body.data;
      const labels = (await api.get('/api/v2/personFields/label_ids')).body.data.options.map((o: { id: number }) => o.id);
      const org = (await api.post('/api/v2/organizations', { name: 'Initech' })).body.data.id;
      ids.doomedOrg = (await api.post('/api/v2/organizations', { name: 'Gone Inc' })).body.data.id;
      const bodies = {
        plain: { name: 'Plain Person' },
        awkward: {
          name: awkward,
          org_id: org,
          emails: [{ value: 'a@example.com', label: 'work', primary: true }, { value: 'b@example.com', label: 'home' }],
          phones: [{ value: '+33 6 28 23 04 55', label: 'mobile' }],
          im: [{ value: 'skype.name', label: 'skype' }],
          label_ids: [labels[0], labels[1]],
          postal_address: { value: awkward, locality: 'Paris', postal_code: '75002', country: 'France' },
          notes: `Line one\nline "two"\t${awkward}`,
          birthday: '1980-02-29',
          job_title: awkward,
          visible_to: 1,
          custom_fields: { [text.key]: awkward, [set.key]: [set.options[1].id, set.options[0].id] },
        },
        unlinked: { name: 'Linked Then Unlinked', org_id: ids.doomedOrg, job_title: '' },
        survivor: { name: 'Survivor', emails: [{ value: 'survivor@example.com' }] },
        mergedAway: { name: 'Merged Away', phones: [{ value: '+1 415 555 0100' }] },
        deleted: { name: 'Deleted Person' },
      };
      for (const [key, body] of Object.entries(bodies)) {
        const response = await api.post('/api/v2/persons', body);
        assert.equal(response.status, 200);
        ids[key] = response.body.data.id;
      }
    });
    after(() => server.close());

    it('stores each created person exactly as the JavaScript rendering writes it', async () => {
      const rows = await assertDocsInStep();
      assert.equal(rows.length, 6);
      const stored = await server.store.db.selectFrom('person_docs').select('doc').where('person_id', '=', ids.awkward).executeTakeFirstOrThrow();
      assert.equal(JSON.parse(stored.doc).name, awkward, 'valid JSON of the stored value');
    });

    it('keeps them in step through edits, a bulk unlink, a merge, deletes, a bulk import and a purge', async () => {
      const { api } = tenant;
      assert.equal((await api.patch(`/api/v2/persons/${ids.plain}`, { name: `Renamed ${awkward}`, job_title: null })).status, 200);
      assert.equal((await api.delete(`/api/v2/organizations/${ids.doomedOrg}`)).status, 200);
      assert.equal((await api.put(`/v1/persons/${ids.survivor}/merge`, { merge_with_id: ids.mergedAway })).status, 200);
      assert.equal((await api.delete(`/api/v2/persons/${ids.deleted}`)).status, 200);
      await server.store.db.transaction().execute((trx) =>
        insertImportedPersons(trx, [
          {
            company_id: tenant.companyId, name: 'Imported', first_name: 'Imported', last_name: null, owner_id: tenant.userId, org_id: null, visible_to: 3,
            label_ids: '[]', emails: '[]', phones: '[]', im: '[]', postal_address: null, notes: null, birthday: null, job_title: null, marketing_status: null,
            marketing_status_changed: 0, custom_fields: '{}', add_time: '2026-01-02T03:04:05Z', update_time: '2026-01-02T03:04:05Z',
          },
        ]),
      );
      const rows = await assertDocsInStep();
      const byId = new Map(rows.map((r) => [r.id, r]));
      assert.equal(byId.get(ids.unlinked)?.org_id, null, 'the unlink went through the bulk update');
      assert.notEqual(byId.get(ids.deleted)?.deleted_time, null);
      assert.equal(rows.length, 7);
      await purgeDeletedPersons(server.store.db, '9999-12-31T00:00:00Z');
      assert.equal((await assertDocsInStep()).length, 5, 'the purge took the merged-away and the deleted person with their documents');
    });

    it('writes the documents of persons stored before the migration', async () => {
      const db = server.store.db;
      const mine = db.selectFrom('persons').select('id').where('company_id', '=', tenant.companyId);
      await db.deleteFrom('person_docs').where('person_id', 'in', mine).execute();
      await writeMissingPersonDocs(db, server.store.dialect);
      assert.equal((await assertDocsInStep()).length, 5);
    });

    it('answers a plain list over HTTP as a list that asks for more, less what it asked for, page by page', async () => {
      const walk = async (extra: string) => {
        const items: Array<Record<string, unknown>> = [];
        let cursor: string | null = null;
        do {
          const query: string = `limit=2&sort_by=update_time&sort_direction=desc${extra}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const response = await tenant.api.get(`/api/v2/persons?${query}`);
          assert.equal(response.status, 200);
          items.push(...response.body.data);
          cursor = response.body.additional_data.next_cursor;
        } while (cursor);
        return items;
      };
      const plain = await walk('');
      const rendered = (await walk('&include_fields=marketing_status')).map(({ marketing_status, ...rest }) => rest);
      assert.equal(plain.length, 5);
      assert.deepEqual(plain, rendered);
    });
  });
}
