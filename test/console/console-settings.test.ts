// The console's settings in a real browser (playwright-core driving Debian's Chromium, as console-browser.test.ts):
// users and invite links, a new API token, webhooks and their delivery log, and the developer tab over the admin API. One server per
// backend, with the admin API on (the server without it is console-auth.test.ts's: no Developer tab there).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { withChromium } from '../helpers/chromium.ts';
import { type Tenant, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';
import { FAST_WEBHOOKS, Receiver, eventually } from '../helpers/webhooks.ts';

const PASSWORD = 'correct horse battery';
const ADMIN_TOKEN = 'console-settings-admin-token-0123456789';
withChromium('the console settings browser tests', (browser) => {

  for (const backend of testBackends()) {
    describe(`console settings in Chromium [${backend.name}]`, () => {
      let server: TestServer;
      before(async () => {
        server = await startTestServer(backend, { admin: { token: ADMIN_TOKEN, journalSize: 1000 }, webhooks: FAST_WEBHOOKS });
      });
      after(() => server.close());

      /** A page signed in as the tenant's admin, on a settings tab; confirm() dialogs are accepted. */
      async function settings(tenant: Tenant, tab: string): Promise<Page> {
        await server.services.consoleAuth.setPassword(tenant.companyId, tenant.userId, PASSWORD);
        const email = (await tenant.api.get('/v1/users/me')).body.data.email;
        const page = await (await browser().newContext({ viewport: { width: 1280, height: 900 } })).newPage();
        page.on('dialog', (dialog) => void dialog.accept());
        await page.goto(server.url + '/');
        await page.getByLabel('E-mail').fill(email);
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Persons', exact: true }).waitFor();
        await page.getByRole('link', { name: 'Settings' }).click();
        await page.getByRole('tab', { name: tab }).click();
        return page;
      }

      it('users: an admin adds a user and invites them by link; the invitee sets a password, is signed in, sees no Users tab; deactivated, their session ends', async (t) => {
        const tenant = await newTenant(server);
        const page = await settings(tenant, 'Users');
        t.after(() => page.context().close());

        const form = page.getByRole('form', { name: 'New user' });
        await form.getByLabel('Name').fill('Mary Jackson');
        await form.getByLabel('E-mail').fill(`mary-${tenant.companyId}@example.com`);
        await form.getByRole('button', { name: 'Add user' }).click();
        const users = page.getByRole('table', { name: 'Users' });
        assert.match((await users.getByRole('row').filter({ hasText: 'Mary Jackson' }).textContent()) ?? '', /user.*yes.*never/);
        await page.getByRole('button', { name: 'Invite link for Mary Jackson' }).click();
        const link = await page.getByLabel('Invite link').inputValue();
        assert.match(link, new RegExp(`^${server.url}/invite/[\\w-]{16,}$`));

        const invitee = await (await browser().newContext()).newPage();
        t.after(() => invitee.context().close());
        await invitee.goto(link);
        await invitee.getByRole('heading', { name: 'Welcome, Mary Jackson' }).waitFor();
        await invitee.getByLabel('New password').fill('mary has a password');
        await invitee.getByLabel('Repeat it').fill('mary has another');
        await invitee.getByRole('button', { name: 'Set password and sign in' }).click();
        await invitee.getByRole('alert').filter({ hasText: 'The two passwords differ' }).waitFor();
        await invitee.getByLabel('Repeat it').fill('mary has a password');
        await invitee.getByRole('button', { name: 'Set password and sign in' }).click();
        await invitee.getByRole('heading', { name: 'Persons', exact: true }).waitFor();
        assert.equal(await invitee.locator('.who').textContent(), 'Mary Jackson');
        // A regular user: no Users tab, even asked for by address; the Developer tab, since the admin API is on.
        await invitee.goto(`${server.url}/settings?tab=users`);
        await invitee.getByRole('tab', { name: 'Developer' }).waitFor();
        assert.deepEqual(await invitee.getByRole('tab').allTextContents(), ['Person fields', 'Webhooks', 'API token', 'Developer']);
        assert.equal(await invitee.getByRole('tab', { name: 'Person fields' }).getAttribute('aria-selected'), 'true');
        // The link worked once.
        await invitee.goto(link);
        await invitee.getByRole('alert').filter({ hasText: 'This invite link was used already' }).waitFor();

        await page.reload();
        const mary = users.getByRole('row').filter({ hasText: 'Mary Jackson' });
        assert.match((await mary.textContent()) ?? '', /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, 'her sign-in is shown');
        await page.getByRole('button', { name: 'Deactivate Mary Jackson' }).click();
        await page.getByRole('button', { name: 'Activate Mary Jackson', exact: true }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Invite link for Mary Jackson' }).count(), 0, 'no invite for a deactivated user');
        const stored = (await tenant.api.get('/v1/users')).body.data.find((u: { name: string }) => u.name === 'Mary Jackson');
        assert.equal(stored.active_flag, false);
        await invitee.goto(server.url + '/');
        await invitee.getByRole('button', { name: 'Sign in' }).waitFor();
        assert.equal(await page.getByRole('button', { name: `Deactivate ${(await tenant.api.get('/v1/users/me')).body.data.name}` }).count(), 0, 'an admin cannot deactivate themselves here');

        await page.getByRole('tab', { name: 'API token' }).click();
        await page.getByRole('button', { name: 'New API token' }).click();
        const token = await page.getByLabel('New API token').inputValue();
        assert.equal((await fetch(`${server.url}/v1/users/me`, { headers: { 'x-api-token': token } })).status, 200);
        assert.equal((await tenant.api.get('/v1/users/me')).status, 401, 'the old token stopped working');
      });

      it('webhooks: a bad URL is shown at its field; one with basic auth is added (its password never shown), its deliveries listed, then deleted', async (t) => {
        const tenant = await newTenant(server);
        const receiver = await Receiver.start();
        t.after(() => receiver.close());
        receiver.reply = (_request, index) => (index === 0 ? 500 : 200);
        const page = await settings(tenant, 'Webhooks');
        t.after(() => page.context().close());

        const form = page.getByRole('form', { name: 'New webhook' });
        const url = form.getByRole('textbox', { name: 'Receiver URL' });
        await url.fill('ftp://example.com/hook');
        await form.getByRole('button', { name: 'Add webhook' }).click();
        await page.locator('input[name="subscription_url"][aria-invalid="true"]').waitFor();
        assert.match((await page.locator(`#${await url.getAttribute('aria-describedby')}`).textContent()) ?? '', /scheme must be http or https/);

        await url.fill(receiver.url);
        await form.getByLabel('Object').selectOption('person');
        await form.getByLabel('Action').selectOption('create');
        await form.getByLabel('Basic auth user').fill('hookuser');
        await form.getByLabel('Basic auth password').fill('hook-password-s3cret');
        await form.getByRole('button', { name: 'Add webhook' }).click();
        const row = page.getByRole('table', { name: 'Webhooks' }).getByRole('row').filter({ hasText: receiver.url });
        await row.waitFor();
        assert.match((await row.textContent()) ?? '', /basic auth: hookuser.*create\.person \(v2\.0\)/);
        assert.equal(await page.locator('input[name="subscription_url"][aria-invalid="true"]').count(), 0, 'the error is gone');
        assert.ok(!(await page.content()).includes('hook-password-s3cret'), 'the password is not on the page');
        const [hook] = (await tenant.api.get('/v1/webhooks')).body.data;
        assert.equal(hook.http_auth_user, 'hookuser');

        await tenant.api.post('/api/v2/persons', { name: 'Hooked Person' });
        await receiver.waitFor(2);
        assert.equal(receiver.received[1].headers.authorization, `Basic ${Buffer.from('hookuser:hook-password-s3cret').toString('base64')}`);
        await eventually(async () => (await tenant.api.get(`/v1/webhooks/${hook.id}/deliveries`)).body.data.length === 2, 5000, 'both attempts logged');
        await page.getByRole('button', { name: `Deliveries to ${receiver.url}` }).click();
        const deliveries = page.getByRole('table', { name: 'Deliveries' }).getByRole('row');
        await deliveries.nth(2).waitFor();
        assert.match((await deliveries.nth(1).textContent()) ?? '', /create\.person.*2success200/, 'newest first: the retry succeeded');
        assert.match((await deliveries.nth(2).textContent()) ?? '', /create\.person.*1failure500/);

        await row.getByRole('button', { name: `Delete the webhook to ${receiver.url}` }).click();
        await page.getByText('No webhooks yet.').waitFor();
        assert.deepEqual((await tenant.api.get('/v1/webhooks')).body.data, []);
      });

      it("developer: with the admin token, the request journal (credentials masked) and fault rules, added, hit and removed", async (t) => {
        const tenant = await newTenant(server);
        const page = await settings(tenant, 'Developer');
        t.after(() => page.context().close());
        const developer = page.getByRole('tabpanel');

        await developer.getByLabel('Admin token').fill('not the admin token');
        await developer.getByRole('button', { name: 'Show journal and faults' }).click();
        await developer.getByRole('alert').filter({ hasText: 'Wrong admin token.' }).waitFor();

        // Requests carrying every kind of credential: the console's own write (cookie and CSRF token), an API token
        // in a header and in the query.
        const csrf = await page.evaluate(async () => (await (await fetch('/console/api/session')).json()).data.csrf_token as string);
        const status = await page.evaluate(async (token) => (await fetch('/api/v2/personFields', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token }, body: JSON.stringify({ field_name: 'Shoe size', field_type: 'double' }) })).status, csrf);
        assert.equal(status, 200);
        assert.equal((await tenant.api.get(`/v1/users/${tenant.userId}`)).status, 200);
        assert.equal((await fetch(`${server.url}/v1/users/${tenant.userId}?api_token=${tenant.token}`)).status, 200);
        const cookie = (await page.context().cookies()).find((c) => c.name === 'personsd_session')!.value;

        await developer.getByLabel('Admin token').fill(ADMIN_TOKEN);
        await developer.getByRole('button', { name: 'Show journal and faults' }).click();
        const journal = developer.getByRole('table', { name: 'Request journal' });
        await journal.waitFor();
        await developer.getByText('No fault rules.').waitFor();
        const filter = developer.getByRole('form', { name: 'Journal filter' });
        await filter.getByLabel('Path').fill('/api/v2/personFields');
        await filter.getByLabel('Method').fill('POST');
        await filter.getByRole('button', { name: 'Filter' }).click();
        await eventually(async () => (await journal.getByRole('row').count()) === 2, 3000, 'only the console write');
        await journal.getByText('POST /api/v2/personFields').click();
        const details = (await journal.locator('pre').textContent()) ?? '';
        assert.match(details, /"x-csrf-token": "\*\*\*"/);
        assert.match(details, /"cookie": "\*\*\*"/);
        assert.match(details, /"field_name": "Shoe size"/);

        await filter.getByLabel('Path').fill(`/v1/users/${tenant.userId}`);
        await filter.getByLabel('Method').fill('');
        await filter.getByRole('button', { name: 'Filter' }).click();
        await eventually(async () => (await journal.getByRole('row').count()) === 3, 3000, 'the two token requests');
        for (const summary of await journal.locator('summary').all()) await summary.click();
        const both = (await journal.textContent()) ?? '';
        assert.match(both, /"x-api-token": "\*\*\*"/);
        assert.match(both, /"api_token": "\*\*\*"/);
        const text = await page.content();
        for (const secret of [csrf, cookie, tenant.token, ADMIN_TOKEN]) assert.ok(!text.includes(secret), 'no credential is on the page');

        const rules = developer.getByRole('form', { name: 'New fault rule' });
        await rules.getByLabel('Rule').fill('{ "path": "/v1/nothing", ');
        await rules.getByRole('button', { name: 'Add fault rule' }).click();
        await rules.getByRole('alert').filter({ hasText: 'not JSON' }).waitFor();
        await rules.getByLabel('Rule').fill('{ "path": "/v1/users/me" }');
        await rules.getByRole('button', { name: 'Add fault rule' }).click();
        await rules.getByRole('alert').filter({ hasText: 'needs a status' }).waitFor();
        await rules.getByLabel('Rule').fill('{ "method": "GET", "path": "/v1/users/me", "status": 503, "times": 1 }');
        await rules.getByRole('button', { name: 'Add fault rule' }).click();
        const table = developer.getByRole('table', { name: 'Fault rules' });
        await table.waitFor();
        assert.equal(await rules.getByRole('alert').count(), 0);
        assert.equal((await tenant.api.get('/v1/users/me')).status, 503, 'the rule fires');
        assert.equal((await tenant.api.get('/v1/users/me')).status, 200, 'once');
        await developer.getByRole('button', { name: 'Show journal and faults' }).click();
        await eventually(async () => /"status":503.*"fired":1/.test((await table.textContent()) ?? ''), 3000, 'the hit counted');
        await developer.getByRole('button', { name: 'Remove all fault rules' }).click();
        await developer.getByText('No fault rules.').waitFor();

        await developer.getByRole('button', { name: 'Empty the journal' }).click();
        await filter.getByLabel('Path').fill('');
        await filter.getByRole('button', { name: 'Filter' }).click();
        await eventually(async () => (await journal.getByRole('row').count()) <= 2 || (await developer.getByText('No requests recorded.').count()) === 1, 3000, 'the journal emptied');
      });
    });
  }
});
