import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

// The rows the import writes a batch (BATCH in person-import.service.ts).
const ROWS_PER_BATCH = 2000;

/** A file whose second batch repeats, in its first row, the email of the first batch's second-to-last row. */
function csv(): string {
  const lines = ['name,email,job_title'];
  for (let n = 1; n <= ROWS_PER_BATCH; n++) lines.push(`Person ${n},person.${n}@batches.example,`);
  lines.push(`Person Again,PERSON.${ROWS_PER_BATCH - 1}@batches.example,Returner`, 'Person Last,last@batches.example,');
  return lines.join('\n');
}

/** Imports the file into a new company: the report, the row the second batch repeats, the repeat, that row's person. */
async function importUnder(server: TestServer, policy: string) {
  const tenant = await newTenant(server);
  const actor = { userId: tenant.userId, companyId: tenant.companyId, isAdmin: true };
  const report = await server.services.personImport.importCsv(actor, Buffer.from(csv()), { duplicatePolicy: policy });
  const original = report.rows[ROWS_PER_BATCH - 2];
  const again = report.rows[ROWS_PER_BATCH];
  const person = (await tenant.api.get(`/api/v2/persons/${original.id}`)).body.data;
  return { report, original, again, person };
}

for (const backend of testBackends()) {
  describe(`an import's batches [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('reject: a row repeating a row of an earlier batch is skipped, naming the person that row created', async () => {
      const { report, original, again, person } = await importUnder(server, 'reject');
      assert.deepEqual({ created: report.created, skipped: report.skipped, rejected: report.rejected }, { created: ROWS_PER_BATCH + 1, skipped: 1, rejected: 0 });
      assert.equal(original.status, 'created');
      assert.equal(again.status, 'skipped');
      assert.equal(again.id, original.id);
      assert.match(again.reason ?? '', new RegExp(`duplicate of person ${original.id} \\(row ${ROWS_PER_BATCH - 1}\\)`));
      assert.equal(report.rows[ROWS_PER_BATCH + 1].status, 'created');
      assert.equal(person.name, `Person ${ROWS_PER_BATCH - 1}`);
      assert.equal(person.job_title, null);
    });

    it('upsert: a row repeating a row of an earlier batch updates the person that row created', async () => {
      const { report, original, again, person } = await importUnder(server, 'upsert');
      assert.deepEqual({ created: report.created, updated: report.updated, rejected: report.rejected }, { created: ROWS_PER_BATCH + 1, updated: 1, rejected: 0 });
      assert.equal(again.status, 'updated');
      assert.equal(again.id, original.id);
      assert.equal(person.job_title, 'Returner');
    });
  });
}
