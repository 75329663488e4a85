import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Tenant, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

// The rows the import writes a batch (BATCH in person-import.service.ts).
const ROWS_PER_BATCH = 2000;

/** A file whose second batch repeats, in its first row, the email of the first batch's second-to-last row. */
function csv(): string {
  const lines = ['name,email,job_title'];
  for (let n = 1; n <= ROWS_PER_BATCH; n++) lines.push(`Person ${n},person.${n}@batches.example,`);
  lines.push(`Person Again,PERSON.${ROWS_PER_BATCH - 1}@batches.example,Returner`, 'Person Last,last@batches.example,');
  return lines.join('\n');
}

async function importCsv(server: TestServer, tenant: Tenant, policy: string) {
  const actor = { userId: tenant.userId, companyId: tenant.companyId, isAdmin: true };
  return server.services.personImport.importCsv(actor, Buffer.from(csv()), { duplicatePolicy: policy });
}

for (const backend of testBackends()) {
  describe(`an import's batches [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('reject: a row repeating a row of an earlier batch is skipped, naming the person that row created', async () => {
      const tenant = await newTenant(server);
      const report = await importCsv(server, tenant, 'reject');
      assert.deepEqual({ created: report.created, skipped: report.skipped, rejected: report.rejected }, { created: ROWS_PER_BATCH + 1, skipped: 1, rejected: 0 });
      const original = report.rows[ROWS_PER_BATCH - 2];
      const again = report.rows[ROWS_PER_BATCH];
      assert.equal(original.status, 'created');
      assert.equal(again.status, 'skipped');
      assert.equal(again.id, original.id);
      assert.match(again.reason ?? '', new RegExp(`duplicate of person ${original.id} \\(row ${ROWS_PER_BATCH - 1}\\)`));
      assert.equal(report.rows[ROWS_PER_BATCH + 1].status, 'created');
      const person = (await tenant.api.get(`/api/v2/persons/${original.id}`)).body.data;
      assert.equal(person.name, `Person ${ROWS_PER_BATCH - 1}`);
      assert.equal(person.job_title, null);
    });

    it('upsert: a row repeating a row of an earlier batch updates the person that row created', async () => {
      const tenant = await newTenant(server);
      const report = await importCsv(server, tenant, 'upsert');
      assert.deepEqual({ created: report.created, updated: report.updated, rejected: report.rejected }, { created: ROWS_PER_BATCH + 1, updated: 1, rejected: 0 });
      const original = report.rows[ROWS_PER_BATCH - 2];
      const again = report.rows[ROWS_PER_BATCH];
      assert.equal(again.status, 'updated');
      assert.equal(again.id, original.id);
      const person = (await tenant.api.get(`/api/v2/persons/${original.id}`)).body.data;
      assert.equal(person.job_title, 'Returner');
    });
  });
}
