import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const repoRoot = new URL('../../', import.meta.url);

/** The first ```js block under the README heading, exactly as users copy it. */
function readmeSnippet(heading: string): string {
  const readme = readFileSync(new URL('README.md', repoRoot), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  assert.ok(readme.includes(heading) && match, `README has no js example under "${heading}"`);
  return match[1];
}

for (const backend of testBackends()) {
  describe(`README example with the official client [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('runs as written against personsd', async () => {
      const tenant = await newTenant(server);
      const code = readmeSnippet('### The official `pipedrive` client');
      // Evaluated as a module from the repository root, so `import … from 'pipedrive'` resolves like in a user's project.
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
        cwd: repoRoot,
        env: { ...process.env, TOKEN: tenant.token, PERSONSD_URL: server.url },
        timeout: 30_000,
      });

      const me = await tenant.api.get('/v1/users/me');
      const persons = await tenant.api.get('/api/v2/persons');
      assert.equal(persons.body.data.length, 1);
      const jane = persons.body.data[0];
      assert.equal(jane.job_title, 'CTO');
      const lines = stdout.trimEnd().split('\n');
      assert.equal(lines[0], `${jane.id} Jane Doe CTO`);
      assert.match(lines[1], /not found/i);
      assert.equal(lines[2], me.body.data.name);
      assert.equal(lines.length, 3);
    });

    it('runs the search example as written against personsd', async () => {
      const tenant = await newTenant(server);
      const org = (await tenant.api.post('/api/v2/organizations', { name: 'Acme' })).body.data;
      await tenant.api.post('/api/v2/persons', { name: 'Jane Acme', org_id: org.id });
      await tenant.api.post('/api/v2/deals', { title: 'Acme renewal', org_id: org.id });
      await tenant.api.post('/api/v2/deals', { title: 'New Acme desks' });
      const code = readmeSnippet('### Searching with the official client');
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
        cwd: repoRoot,
        env: { ...process.env, TOKEN: tenant.token, PERSONSD_URL: server.url },
        timeout: 30_000,
      });
      assert.deepEqual(stdout.trimEnd().split('\n'), [
        '1 organization Acme',
        '0.75 person Jane Acme',
        '0.75 deal Acme renewal',
        '0.75 deal New Acme desks',
        'Acme renewal',
        'Test Admin',
      ]);
    });
  });
}
