// The web console in a real browser: playwright-core driving Debian's Chromium (no browser download). Without
// Chromium this file runs no test and says so (the README and .ci/run install it: `apt-get install -y chromium`).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { withChromium } from '../helpers/chromium.ts';
import { type Tenant, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const PASSWORD = 'correct horse battery';
withChromium('the console browser tests', (browser) => {

  for (const backend of testBackends()) {
    describe(`web console in Chromium [${backend.name}]`, () => {
      let server: TestServer;
      before(async () => {
        server = await startTestServer(backend);
      });
      after(() => server.close());

      /** A user of the tenant with a console password, and the e-mail to sign in with. */
      async function withPassword(tenant: Tenant, userId: number): Promise<string> {
        await server.services.consoleAuth.setPassword(tenant.companyId, userId, PASSWORD);
        return (await tenant.api.get(`/v1/users/${userId}`)).body.data.email;
      }

      async function signedIn(email: string): Promise<Page> {
        const page = await (await browser().newContext({ viewport: { width: 1280, height: 900 } })).newPage();
        await page.goto(server.url + '/');
        await page.getByLabel('E-mail').fill(email);
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Persons', exact: true }).waitFor();
        return page;
      }

      it('signs in after a wrong password, creates a person (an invalid e-mail is shown at its field), edits it, signs out', async (t) => {
        const tenant = await newTenant(server);
        const email = await withPassword(tenant, tenant.userId);
        const context = await browser().newContext();
        t.after(() => context.close());
        const page = await context.newPage();
        await page.goto(server.url + '/');
        await page.getByLabel('E-mail').fill(email);
        await page.getByLabel('Password').fill('not the password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').filter({ hasText: 'Wrong e-mail or password' }).waitFor();
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Persons', exact: true }).waitFor();
        const cookies = await context.cookies();
        const cookie = cookies.find((c) => c.name === 'personsd_session');
        assert.ok(cookie?.httpOnly && cookie.sameSite === 'Lax', 'the session cookie is HTTP-only and SameSite=Lax');

        await page.getByRole('button', { name: 'New person' }).click();
        await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
        await page.getByRole('button', { name: 'Add e-mail' }).click();
        await page.getByLabel('E-mail 1', { exact: true }).fill('ada-at-example');
        await page.getByRole('button', { name: 'Create person' }).click();
        const emailInput = page.getByLabel('E-mail 1', { exact: true });
        await page.locator('#emails-0[aria-invalid="true"]').waitFor();
        const describedBy = await emailInput.getAttribute('aria-describedby');
        assert.match((await page.locator(`#${describedBy}`).textContent()) ?? '', /not a valid email address/);
        await emailInput.fill('ada@example.com');
        await page.getByRole('button', { name: 'Create person' }).click();
        await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
        const id = Number(new URL(page.url()).pathname.split('/').pop());
        const stored = (await tenant.api.get(`/api/v2/persons/${id}`)).body.data;
        assert.deepEqual(stored.emails, [{ value: 'ada@example.com', primary: true, label: 'work' }]);

        await page.getByRole('button', { name: 'Edit' }).click();
        await page.getByLabel('Job title').fill('Analyst');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByRole('button', { name: 'Edit' }).waitFor();
        await page.getByText('Analyst').first().waitFor();
        assert.equal((await tenant.api.get(`/api/v2/persons/${id}`)).body.data.job_title, 'Analyst');
        await page.getByRole('cell', { name: 'job_title' }).waitFor(); // the history lists the edit

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
      });

      it('searches as the user types, with the search API, and keeps hidden persons hidden from another user', async (t) => {
        const tenant = await newTenant(server);
        const other = await tenant.addUser();
        const otherEmail = await withPassword(tenant, other.userId);
        for (const name of ['Quentin Zebulon', 'Quinn Zeller', 'Rosa Parks']) assert.equal((await tenant.api.post('/api/v2/persons', { name, visible_to: 7 })).status, 200);
        const hidden = (await tenant.api.post('/api/v2/persons', { name: 'Secret Zebulon', visible_to: 1 })).body.data;

        const page = await signedIn(otherEmail);
        t.after(() => page.context().close());
        const table = page.getByRole('table', { name: 'Persons' });
        await table.getByRole('link', { name: 'Rosa Parks' }).waitFor();
        assert.equal(await table.getByRole('link', { name: 'Secret Zebulon' }).count(), 0, 'a person visible to its owner only is not listed');

        await page.getByLabel('Search').pressSequentially('zebu', { delay: 30 });
        await table.getByRole('link', { name: 'Quentin Zebulon' }).waitFor();
        await page.waitForFunction(() => !document.body.textContent?.includes('Rosa Parks'));
        const found = await table.getByRole('link').allTextContents();
        assert.ok(found.includes('Quentin Zebulon') && !found.includes('Secret Zebulon'), `the visible match, not the hidden one: ${found.join(', ')}`);

        await page.goto(`${server.url}/persons/${hidden.id}`);
        await page.getByRole('heading', { name: 'Person not found' }).waitFor();
      });

      it("shows a person's deals, activities and notes, marks an activity done and adds a note whose HTML stays text", async (t) => {
        const tenant = await newTenant(server);
        const email = await withPassword(tenant, tenant.userId);
        const person = (await tenant.api.post('/api/v2/persons', { name: 'Katherine Johnson' })).body.data;
        await tenant.api.post('/api/v2/deals', { title: 'Orbit contract', value: 1200, currency: 'EUR', person_id: person.id });
        const call = (await tenant.api.post('/api/v2/activities', { subject: 'Call Katherine', type: 'call', person_id: person.id, due_date: '2026-03-01' })).body.data;
        await tenant.api.post('/v1/notes', { content: '<p>Met at <b>NASA</b></p><img src=x onerror="alert(1)">', person_id: person.id });
        const page = await signedIn(email);
        t.after(() => page.context().close());
        const dialogs: string[] = [];
        page.on('dialog', (dialog) => void (dialogs.push(dialog.message()), dialog.dismiss()));

        await page.goto(`${server.url}/persons/${person.id}`);
        await page.getByRole('table', { name: 'Deals' }).getByRole('cell', { name: 'Orbit contract' }).waitFor();
        await page.getByRole('list', { name: 'Notes' }).getByText('Met at NASA').waitFor();
        await page.getByRole('checkbox', { name: 'Call Katherine done' }).check();
        for (let i = 0; i < 50 && !(await tenant.api.get(`/api/v2/activities/${call.id}`)).body.data.done; i++) await page.waitForTimeout(50);
        assert.equal((await tenant.api.get(`/api/v2/activities/${call.id}`)).body.data.done, true, 'marked done through the API');

        const png = await sharp({ create: { width: 400, height: 240, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toBuffer();
        await page.getByLabel('New picture').setInputFiles({ name: 'face.png', mimeType: 'image/png', buffer: png });
        await page.getByRole('group', { name: 'Crop' }).waitFor();
        await page.getByLabel('Size').fill('0.6');
        await page.getByLabel('Left to right').fill('0');
        await page.getByRole('button', { name: 'Upload picture' }).click();
        await page.getByRole('img', { name: 'Picture', exact: true }).waitFor();
        const picture = await tenant.api.get(`/api/v2/persons/${person.id}/picture`);
        assert.equal(picture.status, 200, 'the picture was uploaded');
        const stored = await sharp(Buffer.from(await (await fetch(picture.body.data.pictures['128'], { headers: { 'x-api-token': tenant.token } })).arrayBuffer())).metadata();
        assert.deepEqual([stored.width, stored.height], [128, 128]);

        await page.getByLabel('Note', { exact: true }).fill('Follow up <script>alert(2)</script> & <b>soon</b>');
        await page.getByRole('button', { name: 'Add note' }).click();
        await page.getByRole('list', { name: 'Notes' }).getByText('Follow up <script>alert(2)</script> & <b>soon</b>').waitFor();
        const notes = (await tenant.api.get(`/v1/notes?person_id=${person.id}`)).body.data;
        assert.equal(notes.length, 2);
        assert.equal(dialogs.length, 0, 'no script ran');
      });

      it("opens an organization's page from the list: its counts, persons and deals", async (t) => {
        const tenant = await newTenant(server);
        const email = await withPassword(tenant, tenant.userId);
        const org = (await tenant.api.post('/api/v2/organizations', { name: 'Initech' })).body.data;
        await tenant.api.post('/api/v2/persons', { name: 'Peter Gibbons', org_id: org.id, emails: [{ value: 'peter@initech.example' }] });
        await tenant.api.post('/api/v2/deals', { title: 'TPS reports', org_id: org.id, value: 300, currency: 'USD' });
        const page = await signedIn(email);
        t.after(() => page.context().close());
        await page.getByRole('link', { name: 'Organizations' }).click();
        await page.getByRole('table', { name: 'Organizations' }).getByRole('link', { name: 'Initech' }).click();
        await page.getByRole('heading', { name: 'Initech' }).waitFor();
        await page.getByRole('table', { name: 'Persons of the organization' }).getByRole('link', { name: 'Peter Gibbons' }).waitFor();
        await page.getByRole('table', { name: 'Deals' }).getByRole('cell', { name: 'TPS reports' }).waitFor();
        assert.match((await page.locator('dl.details').textContent()) ?? '', /Persons1.*Deals1 open, 0 won, 0 lost/s);
        await page.goto(`${server.url}/organizations/987654`);
        await page.getByRole('heading', { name: 'Organization not found' }).waitFor();
      });

      it('maps CSV columns to person fields before importing', async (t) => {
        const tenant = await newTenant(server);
        const email = await withPassword(tenant, tenant.userId);
        const page = await signedIn(email);
        t.after(() => page.context().close());
        await page.getByRole('link', { name: 'Import' }).click();
        await page.getByLabel('File').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from('Full Name,"Correo, principal",Legacy id\nDorothy Vaughan,dorothy@example.com,77\n') });
        await page.getByLabel('Field for Correo, principal').selectOption('email');
        await page.getByLabel('Field for Legacy id').selectOption('ignore');
        await page.getByRole('button', { name: 'Import' }).click();
        const report = page.getByRole('region', { name: 'Import report' });
        await report.getByText('1 created').waitFor();
        assert.doesNotMatch((await report.textContent()) ?? '', /Ignored columns/, 'every column was mapped or ignored on purpose');
        const found = (await tenant.api.get('/api/v2/persons/search?term=dorothy%40example.com')).body.data.items;
        assert.deepEqual(found.map((i: { item: { name: string } }) => i.item.name), ['Dorothy Vaughan']);
      });

      it('merges a duplicate after a side-by-side dry-run preview, undoes the merge, and imports a CSV with a bad row', async (t) => {
        const tenant = await newTenant(server);
        const email = await withPassword(tenant, tenant.userId);
        const kept = (await tenant.api.post('/api/v2/persons', { name: 'Grace Hopper', emails: [{ value: 'grace@navy.example' }], job_title: 'Admiral' })).body.data;
        const twin = (await tenant.api.post('/api/v2/persons', { name: 'Grace B. Hopper', emails: [{ value: 'grace@navy.example' }], phones: [{ value: '+1 212 555 0101' }] })).body.data;
        const page = await signedIn(email);
        t.after(() => page.context().close());

        await page.goto(`${server.url}/persons/${kept.id}`);
        const duplicates = page.getByRole('table', { name: 'Possible duplicates' });
        await duplicates.getByRole('row').filter({ hasText: 'Grace B. Hopper' }).getByRole('button', { name: 'Merge…' }).click();
        const preview = page.getByRole('region', { name: 'Merge preview' });
        await preview.getByRole('columnheader', { name: 'Grace B. Hopper (merged away)' }).waitFor();
        const phones = await preview.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'phones' }) }).textContent();
        assert.match(phones ?? '', /from Grace B\. Hopper/, 'the phone comes from the person merged away');
        assert.equal((await tenant.api.get(`/api/v2/persons/${twin.id}`)).status, 200, 'the preview changed nothing');
        await preview.getByRole('button', { name: 'Merge', exact: true }).click();
        await page.getByRole('status').filter({ hasText: 'was merged into' }).waitFor();
        assert.equal((await tenant.api.get(`/api/v2/persons/${twin.id}`)).status, 404);
        assert.equal((await tenant.api.get(`/api/v2/persons/${kept.id}`)).body.data.phones.length, 1);
        await page.getByRole('button', { name: 'Undo merge' }).click();
        await duplicates.getByRole('link', { name: 'Grace B. Hopper' }).waitFor();
        assert.equal((await tenant.api.get(`/api/v2/persons/${twin.id}`)).status, 200, 'the undo brought the person back');
        assert.equal((await tenant.api.get(`/api/v2/persons/${kept.id}`)).body.data.phones.length, 0);

        await page.getByRole('link', { name: 'Import' }).click();
        await page.getByLabel('File').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('name,email\nAlan Turing,alan@example.com\nBad Row,not-an-email\n') });
        await page.getByRole('button', { name: 'Import' }).click();
        const report = page.getByRole('region', { name: 'Import report' });
        await report.getByText('1 created').waitFor();
        assert.match((await report.textContent()) ?? '', /1 rejected/);
        assert.match((await report.getByRole('table', { name: 'Rows not imported' }).textContent()) ?? '', /rejected.*not-an-email/);
        const found = (await tenant.api.get('/api/v2/persons/search?term=alan%40example.com')).body.data.items;
        assert.equal(found.length, 1);
      });
    });
  }
});
