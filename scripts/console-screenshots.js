#!/usr/bin/env node
// Makes the console screenshots in docs/ (docs/console-*.png) from a throwaway personsd: a temporary SQLite
// database with seeded persons, an admin with a password, and Debian's Chromium driven by playwright-core.
//   npm run build && node scripts/console-screenshots.js      (CHROMIUM_PATH picks another browser)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'personsd-shots-'));
const port = 18000 + Math.floor(Math.random() * 1000);
const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'shots.db')}`, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
const personsd = (...args) => execFileSync(process.execPath, ['bin/personsd.js', ...args], { cwd: root, env, stdio: ['pipe', 'pipe', 'inherit'], input: 'console demo password\n' });
const executablePath = process.env.CHROMIUM_PATH || execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();

const server = spawn(process.execPath, ['bin/personsd.js', 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
try {
  let printed = '';
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => (printed += chunk) && /\b[0-9a-f]{40}\b/.test(printed) && resolve());
    server.on('exit', () => reject(new Error('personsd stopped')));
  });
  const token = /\b([0-9a-f]{40})\b/.exec(printed)[1];
  personsd('seed', '--persons', '240', '--seed', '21');
  personsd('user', 'set-password', '--admin');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const base = `http://127.0.0.1:${port}`;
  const shoot = async (page, name, fullPage = false) => page.screenshot({ path: join(root, 'docs', `console-${name}.png`), fullPage });

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(base + '/');
  await page.getByLabel('E-mail').fill('admin@example.com');
  await shoot(page, 'sign-in');
  await page.getByLabel('Password').fill('console demo password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const table = page.getByRole('table', { name: 'Persons' });
  await table.waitFor();
  await shoot(page, 'persons');
  await page.getByLabel('Search').pressSequentially('mar', { delay: 40 });
  await page.getByText('Ranked by the search API').waitFor();
  await page.waitForTimeout(300);
  await shoot(page, 'search');
  await table.getByRole('link').first().click();
  await page.getByRole('button', { name: 'Edit' }).waitFor();
  await shoot(page, 'person', true);
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Add e-mail' }).click();
  await page.getByLabel('E-mail 2', { exact: true }).fill('not-an-address');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('[aria-invalid="true"]').waitFor();
  await shoot(page, 'edit-error', true);

  const post = async (body) => (await (await fetch(`${base}/api/v2/persons`, { method: 'POST', headers: { 'x-api-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()).data;
  const kept = await post({ name: 'Grace Hopper', emails: [{ value: 'grace@navy.example' }], job_title: 'Rear Admiral' });
  await post({ name: 'Grace B. Hopper', emails: [{ value: 'grace@navy.example' }], phones: [{ value: '+1 212 555 0101', label: 'mobile' }], birthday: '1906-12-09' });
  await page.goto(`${base}/persons/${kept.id}`);
  await page.getByRole('button', { name: 'Merge…' }).click();
  await page.getByRole('region', { name: 'Merge preview' }).waitFor();
  await page.getByRole('region', { name: 'Merge preview' }).scrollIntoViewIfNeeded();
  await shoot(page, 'merge-preview');
  await page.getByRole('link', { name: 'Import' }).click();
  await page.getByLabel('File').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('name,email,phone\nAlan Turing,alan@example.com,+44 20 7946 0018\nBad Row,not-an-email,\nKatherine Johnson,katherine@example.com,\n') });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByRole('region', { name: 'Import report' }).waitFor();
  await shoot(page, 'import');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('table', { name: 'Person fields' }).waitFor();
  await shoot(page, 'settings');
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('table', { name: 'Users' }).waitFor();
  await shoot(page, 'settings-users');

  const firstOrg = (await (await fetch(`${base}/api/v2/organizations?limit=1`, { headers: { 'x-api-token': token } })).json()).data[0];
  await post({ name: 'Ada Byron', org_id: firstOrg.id, emails: [{ value: 'ada@byron.example' }], job_title: 'Analyst' });
  await page.goto(`${base}/organizations/${firstOrg.id}`);
  await page.getByRole('table', { name: 'Persons of the organization' }).waitFor();
  await shoot(page, 'organization', true);
  const send = (path, body) => fetch(`${base}${path}`, { method: 'POST', headers: { 'x-api-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await send('/api/v2/deals', { title: 'Compiler licences', value: 48000, currency: 'USD', person_id: kept.id });
  await send('/api/v2/activities', { subject: 'Demo of the compiler', type: 'meeting', person_id: kept.id, due_date: '2026-12-14', due_time: '15:00' });
  await send('/api/v2/activities', { subject: 'Send the contract', type: 'email', person_id: kept.id, due_date: '2026-12-01', done: true });
  await page.goto(`${base}/persons/${kept.id}`);
  await page.getByRole('table', { name: 'Activities' }).waitFor();
  await page.getByLabel('Note', { exact: true }).fill('Called about the COBOL migration. Follow up next week.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.getByRole('list', { name: 'Notes' }).waitFor();
  await shoot(page, 'person-related', true);

  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 })).newPage();
  await phone.goto(base + '/');
  await phone.getByLabel('E-mail').fill('admin@example.com');
  await phone.getByLabel('Password').fill('console demo password');
  await phone.getByRole('button', { name: 'Sign in' }).click();
  await phone.getByRole('table', { name: 'Persons' }).waitFor();
  await shoot(phone, 'phone');
  await browser.close();
  console.log('wrote docs/console-{sign-in,persons,search,person,edit-error,merge-preview,import,settings,settings-users,organization,person-related,phone}.png');
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
