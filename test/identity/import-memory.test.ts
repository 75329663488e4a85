import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

// The collector on demand, so the heap is measured without the garbage a batch leaves behind.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

// The rows the import writes a batch (BATCH in person-import.service.ts): it reports its progress after each.
const ROWS_PER_BATCH = 2000;
const BATCHES = 5;

const PARTS = ['route', 'sublocality', 'locality', 'admin_area_level_2', 'admin_area_level_1', 'country'];

/** Rows with their own email and phone (so the duplicate checks remember keys for each) and 1.5 kB of address parts. */
function csv(tag: string): string {
  const lines = [`name,email,phone,${PARTS.map((part) => `postal_address.${part}`).join(',')}`];
  for (let n = 0; n < ROWS_PER_BATCH * BATCHES; n++) {
    const parts = PARTS.map((part) => `${part} ${n} `.padEnd(250, 'x'));
    lines.push(`Row ${n},row.${n}@${tag}.example,+1 415 ${String(100 + (n % 900))} ${String(n % 10000).padStart(4, '0')},${parts.join(',')}`);
  }
  return lines.join('\n');
}

for (const backend of testBackends()) {
  describe(`an import's memory [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it("lets a written batch's rows go: later batches keep their reports and keys, not their values", async () => {
      const tenant = await newTenant(server);
      const actor = { userId: tenant.userId, companyId: tenant.companyId, isAdmin: true };
      const heapAfterBatch: number[] = [];
      const report = await server.services.personImport.importCsv(actor, Buffer.from(csv(`t${tenant.companyId}`)), {
        duplicatePolicy: 'reject',
        onProgress() {
          collect();
          heapAfterBatch.push(process.memoryUsage().heapUsed);
        },
      });
      assert.equal(report.created, ROWS_PER_BATCH * BATCHES);
      assert.ok(heapAfterBatch.length >= BATCHES, 'told of every batch written');
      // Each row's values, columns and contact rows hold its 1.5 kB of text about twice over; its report and
      // remembered keys take a few hundred bytes. When every row was kept until the import ended, the heap grew by
      // about 6 kB a row; since, by under 0.5 kB. The lower of two readings: either may catch a passing allocation.
      const early = Math.min(heapAfterBatch[0], heapAfterBatch[1]);
      const late = Math.min(heapAfterBatch[BATCHES - 2], heapAfterBatch[BATCHES - 1]);
      const perRow = (late - early) / (ROWS_PER_BATCH * (BATCHES - 2));
      assert.ok(perRow < 3000, `the heap grew by ${Math.round(perRow)} bytes a row written`);
    });
  });
}
