import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupFiles, mayShare } from '../../../scripts/test-groups.js';

const API_TEST = `import { newTenant, startTestServer, testBackends } from '../helpers/server.ts';`;

describe('which test files share a process', () => {
  it('lets files that keep to the shared server helpers share', () => {
    assert.equal(mayShare('test/v2/persons-crud.test.ts', API_TEST), true);
    assert.equal(mayShare('test/unit/domain/cursor.test.ts', `import { encodeCursor } from '../../../src/domain/cursor.ts';`), true);
  });

  it('keeps alone files that start processes, open stores, receive webhooks or sit in a process-wide folder', () => {
    assert.equal(mayShare('test/v2/a.test.ts', `${API_TEST}\nimport { spawn } from 'node:child_process';`), false);
    assert.equal(mayShare('test/v2/a.test.ts', `${API_TEST}\nconst store = openStore(config);`), false);
    assert.equal(mayShare('test/v1/persons-webhooks.test.ts', `${API_TEST}\nawait startWebhookServer();`), false);
    assert.equal(mayShare('test/v2/a.test.ts', `${API_TEST}\nawait api.post('/_personsd/clock/freeze');`), false);
    assert.equal(mayShare('test/unit/store/once-per-turn.test.ts', `${API_TEST}\nawait new Promise((resolve) => setImmediate(resolve));`), false);
    assert.equal(mayShare('test/unit/domain/search/thread-busy.test.ts', `${API_TEST}\nconst until = performance.now() + 100;`), false);
    assert.equal(mayShare('test/admin/clock.test.ts', API_TEST), false);
    assert.equal(mayShare('test/scale/workers.test.ts', API_TEST), false);
  });
});

describe('packing files into runs', () => {
  const shares = (file: string) => !file.includes('alone');
  // The runner orders runs by their weight; here by their first file.
  const byFirstFile = (runs: string[][]) => [...runs].sort((x, y) => x[0].localeCompare(y[0]));

  it('packs sharing files in path order up to the file limit, and gives every other file a run of its own', () => {
    const files = ['d.test.ts', 'alone-1.test.ts', 'b.test.ts', 'a.test.ts', 'c.test.ts', 'e.test.ts'];
    assert.deepEqual(byFirstFile(groupFiles(files, () => 1, shares, 2)), [['a.test.ts', 'b.test.ts'], ['alone-1.test.ts'], ['c.test.ts', 'd.test.ts'], ['e.test.ts']]);
  });

  it('starts a new run before the seconds of the last run would pass the limit', () => {
    const seconds: Record<string, number> = { 'a.test.ts': 60, 'b.test.ts': 30, 'c.test.ts': 20, 'd.test.ts': 5 };
    assert.deepEqual(groupFiles(Object.keys(seconds), (file) => seconds[file], shares), [['a.test.ts', 'b.test.ts'], ['c.test.ts', 'd.test.ts']]);
  });

  it('runs every file alone with a group size of one', () => {
    assert.deepEqual(groupFiles(['b.test.ts', 'a.test.ts'], () => 1, shares, 1), [['a.test.ts'], ['b.test.ts']]);
  });
});
