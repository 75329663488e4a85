import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Api, type Tenant, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const BIN = fileURLToPath(new URL('../../bin/personsd.js', import.meta.url));

async function upload(tenant: Tenant, body: string | Buffer, contentType = 'text/csv', query = ''): Promise<{ status: number; body: any }> {
  const res = await fetch(`${tenant.api.baseUrl}/api/v2/persons/import${query}`, {
    method: 'POST',
    headers: { 'x-api-token': tenant.token, 'content-type': contentType },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, body: await res.json() };
}

async function download(tenant: Tenant, path: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${tenant.api.baseUrl}${path}`, { headers: { 'x-api-token': tenant.token } });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function all(api: Api): Promise<any[]> {
  return (await api.get('/api/v2/persons?limit=500')).body.data;
}

/** A person as it should survive a round trip: everything but its id and the picture. */
function portable(person: any): any {
  const { id: _id, picture_id: _picture, org_id: _org, owner_id: _owner, ...rest } = person;
  return rest;
}

for (const backend of testBackends()) {
  describe(`import and export [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('imports a CSV with a mapping and reports each row: created, skipped, rejected with the reason', async () => {
      const tenant = await newTenant(server);
      const tier = (await tenant.api.post('/v1/personFields', { name: 'Tier', field_type: 'enum', options: [{ label: 'Gold' }, { label: 'Silver' }] })).body.data;
      const csv = [
        'Full Name,E-mail,Mobile,Firma,Tier,Kundennummer,Old id',
        'Jane Doe,jane@corp.io,+33 6 28 23 04 55,Acme,Gold,K-1,17',
        '"Doe, John",john@corp.io,,Acme,Silver,K-2,18',
        '',
        'No Email,not-an-email,,,,K-3,19',
        'Bad Tier,bad@corp.io,,,Platinum,K-4,20',
        'Jane Again,JANE@corp.io,,,,K-5,21',
        ',,,,,,',
        ' , ,,,,,  ',
        ',,,,,K-7,23',
        'Phone Twin,,0628230455,,,K-6,22',
      ].join('\n');
      const mapping = JSON.stringify({ Mobile: 'phone:mobile', Firma: 'org_name', Kundennummer: null, 'Old id': 'ignore' });
      const res = await upload(tenant, csv, 'text/csv', `?duplicate_policy=reject&mapping=${encodeURIComponent(mapping)}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const report = res.body.data;
      assert.deepEqual({ created: report.created, updated: report.updated, skipped: report.skipped, rejected: report.rejected }, { created: 3, updated: 0, skipped: 1, rejected: 3 });
      // Blank rows (an empty line, cells with nothing but spaces) are skipped and counted, not numbered as rows.
      assert.equal(report.blank_rows, 3);
      assert.deepEqual(report.rows.map((r: any) => [r.row, r.line]), [[1, 2], [2, 3], [3, 5], [4, 6], [5, 7], [6, 10], [7, 11]]);
      const byRow = new Map<number, any>(report.rows.map((r: any) => [r.row, r]));
      assert.equal(byRow.get(1).status, 'created');
      assert.equal(byRow.get(3).status, 'rejected');
      assert.match(byRow.get(3).reason, /row 3: emails\[0\]\.value "not-an-email" is not a valid email address/);
      assert.match(byRow.get(4).reason, /column "Tier": "Platinum" is not an option of "Tier"/);
      assert.equal(byRow.get(5).status, 'skipped');
      assert.match(byRow.get(5).reason, new RegExp(`duplicate of person ${byRow.get(1).id} \\(row 1\\): the same email address \\(jane@corp.io\\)`));
      assert.match(byRow.get(6).reason, /a person needs a name|name must be given/);
      assert.equal(byRow.get(7).status, 'created', 'without a region 0628230455 is not read as +33628230455');
      const persons = await all(tenant.api);
      assert.deepEqual(persons.map((p) => p.name).sort(), ['Doe, John', 'Jane Doe', 'Phone Twin']);
      const jane = persons.find((p) => p.name === 'Jane Doe');
      assert.deepEqual(jane.phones, [{ value: '+33 6 28 23 04 55', primary: true, label: 'mobile' }]);
      assert.equal(jane.custom_fields[tier.key], tier.options[0].id);
      assert.equal(jane.org_id, persons.find((p) => p.name === 'Doe, John').org_id, 'one organization, created once');
      const orgs = (await tenant.api.get('/api/v2/organizations')).body.data;
      assert.deepEqual(orgs.map((o: any) => o.name), ['Acme'], 'a rejected row created no organization');
    });

    it('reports unknown columns, upserts duplicates (of persons and of earlier rows) and keeps each row all or nothing', async () => {
      const tenant = await newTenant(server);
      const existing = (await tenant.api.post('/api/v2/persons', { name: 'Ann', emails: [{ value: 'ann@corp.io' }], job_title: 'Dev' })).body.data;
      const csv = 'name,email,job_title,Favourite colour\nAnn Lee,ANN@corp.io,CTO,blue\nBo,bo@corp.io,,red\nBo B,bo@corp.io,Boss,green\nCy,cy@corp.io,,\n';
      const res = await upload(tenant, csv, 'text/csv', '?duplicate_policy=upsert');
      assert.equal(res.status, 200);
      const report = res.body.data;
      assert.deepEqual(report.ignored_columns, ['Favourite colour']);
      assert.deepEqual(report.rows.map((r: any) => r.status), ['updated', 'created', 'updated', 'created']);
      assert.equal(report.rows[0].id, existing.id);
      assert.equal(report.rows[2].id, report.rows[1].id, 'the third row updated the person the second created');
      const ann = (await tenant.api.get(`/api/v2/persons/${existing.id}`)).body.data;
      assert.equal(ann.job_title, 'CTO');
      assert.equal(ann.name, 'Ann Lee');
      assert.equal((await all(tenant.api)).length, 3);
      const bo = (await tenant.api.get(`/api/v2/persons/${report.rows[1].id}`)).body.data;
      assert.equal(bo.job_title, 'Boss');
    });

    it('rejects malformed rows one by one: bad encoding, ragged rows, an unclosed quote', async () => {
      const tenant = await newTenant(server);
      const latin1 = Buffer.concat([
        Buffer.from('name,email\nGood One,one@corp.io\n'),
        Buffer.from([0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65]), // "Jérôme" in Latin-1
        Buffer.from(',j@corp.io\nRagged,r@corp.io,extra\nShort\nGood Two,two@corp.io\n'),
      ]);
      const res = await upload(tenant, latin1);
      assert.equal(res.status, 200);
      const rows = res.body.data.rows;
      assert.deepEqual(rows.map((r: any) => r.status), ['created', 'rejected', 'rejected', 'rejected', 'created']);
      assert.match(rows[1].reason, /row 2 \(line 3\) is not valid UTF-8/);
      assert.match(rows[2].reason, /row 3 \(line 4\) has 3 cells where the header has 2/);
      assert.match(rows[3].reason, /has 1 cells where the header has 2/);
      const quote = await upload(tenant, 'name,email\nFine,f@corp.io\n"Unclosed,u@corp.io\n');
      assert.equal(quote.status, 200);
      assert.equal(quote.body.data.created, 1);
      assert.equal(quote.body.data.rejected, 1);
      assert.match(quote.body.data.rows[1].reason, /cannot be read as CSV/);
    });

    it('reads a character whose bytes straddle two of the parser\'s 64 KiB slices of the body', async () => {
      const tenant = await newTenant(server);
      let text = 'name,email\n';
      let padding = 0;
      /** Pads with whole rows so that `name`'s character at `offset` starts `before` bytes ahead of `boundary`. */
      const straddling = (boundary: number, before: number, name: string, offset: number) => {
        const add = (row: string) => {
          text += row;
          padding += 1;
        };
        while (Buffer.byteLength(text) < boundary - 150) add(`Pad ${padding} ${'x'.repeat(50)},pad${padding}@corp.io\n`);
        const head = Buffer.byteLength(name.slice(0, offset));
        const bare = Buffer.byteLength(`${text}Pad ${padding} ,pad${padding}@corp.io\n`) + head;
        add(`Pad ${padding} ${'x'.repeat(boundary - before - bare)},pad${padding}@corp.io\n`);
        assert.equal(Buffer.byteLength(text) + head, boundary - before);
        text += `${name},${name.length}@split.example\n`;
      };
      straddling(64 * 1024, 1, 'Jérôme Split', 1); // é: 2 bytes
      straddling(128 * 1024, 2, 'Smile 😀 Halves', 6); // 😀: 4 bytes
      const res = await upload(tenant, Buffer.from(text));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual({ created: res.body.data.created, rejected: res.body.data.rejected }, { created: padding + 2, rejected: 0 });
      const names = (await tenant.api.get('/api/v2/persons/search?term=split.example&fields=email')).body.data.items.map((i: any) => i.item.name);
      assert.deepEqual(names.sort(), ['Jérôme Split', 'Smile 😀 Halves']);
    });

    it('refuses a file without a header, a body over the limit (413), and other content types (415)', async () => {
      const tenant = await newTenant(server);
      const empty = await upload(tenant, '');
      assert.equal(empty.status, 400);
      assert.match(empty.body.error, /no header row/);
      const json = await upload(tenant, '{"name":"x"}', 'application/json');
      assert.equal(json.status, 415);
      const latin = await upload(tenant, 'name\nx\n', 'text/csv; charset=latin1');
      assert.equal(latin.status, 415);
      const big = Buffer.alloc(50 * 1024 * 1024, 'a,b\n');
      const res = await fetch(`${tenant.api.baseUrl}/api/v2/persons/import`, {
        method: 'POST',
        headers: { 'x-api-token': tenant.token, 'content-type': 'text/csv' },
        body: new Uint8Array(big),
      }).catch((err: Error) => err);
      assert.ok(!(res instanceof Error), `the 413 arrives: ${res}`);
      assert.equal((res as Response).status, 413);
      const body = (await (res as Response).json()) as any;
      assert.equal(body.success, false);
      assert.match(body.error_info, /33554432 bytes/);
      assert.equal((await all(tenant.api)).length, 0);
    });

    it('round trip: a CSV export imports back into the same persons, custom fields and labels included', async () => {
      const tenant = await newTenant(server);
      const { api } = tenant;
      const fields = {
        text: (await api.post('/v1/personFields', { name: 'Nickname', field_type: 'varchar' })).body.data,
        number: (await api.post('/v1/personFields', { name: 'Score', field_type: 'double' })).body.data,
        money: (await api.post('/v1/personFields', { name: 'Budget', field_type: 'monetary' })).body.data,
        date: (await api.post('/v1/personFields', { name: 'Since', field_type: 'date' })).body.data,
        set: (await api.post('/v1/personFields', { name: 'Topics', field_type: 'set', options: [{ label: 'AI' }, { label: 'Cloud' }, { label: 'Data' }] })).body.data,
      };
      const labels = (await api.get('/api/v2/personFields/label_ids')).body.data.options.map((o: any) => o.id);
      await api.post('/api/v2/organizations', { name: 'Initech' });
      const org = (await api.get('/api/v2/organizations')).body.data[0].id;
      const bodies = [
        {
          name: 'Jérôme Dupont',
          org_id: org,
          emails: [{ value: 'jerome@initech.fr', label: 'work', primary: true }, { value: 'jd@home.fr', label: 'home' }],
          phones: [{ value: '+33 6 28 23 04 55', label: 'mobile' }],
          im: [{ value: 'jerome.d', label: 'skype' }],
          label_ids: [labels[0], labels[2]],
          postal_address: { value: '1 rue de la Paix, Paris', locality: 'Paris', postal_code: '75002', country: 'France' },
          notes: 'Line one\nline "two", with a comma',
          birthday: '1980-02-29',
          job_title: 'CTO',
          custom_fields: {
            [fields.text.key]: 'JD',
            [fields.number.key]: 4.5,
            [fields.money.key]: { value: 1200, currency: 'EUR' },
            [fields.date.key]: '2020-01-31',
            [fields.set.key]: [fields.set.options[0].id, fields.set.options[2].id],
          },
        },
        { name: 'Plain Person' },
        { first_name: 'Ünïcödé', last_name: 'Näme', emails: [{ value: 'u@bücher.de' }], visible_to: 7 },
      ];
      for (const body of bodies) assert.equal((await api.post('/api/v2/persons', body)).status, 200);
      const before = await all(api);

      const exported = await download(tenant, '/api/v2/persons/export?format=csv');
      assert.equal(exported.status, 200);
      assert.match(exported.type ?? '', /^text\/csv/);
      const header = exported.text.split('\n')[0];
      for (const column of ['Nickname', 'Score', 'Budget', 'Since', 'Topics', 'email_2', 'email_2_label', 'im', 'labels', 'org_name']) assert.ok(header.split(',').includes(column), `${column} in ${header}`);
      assert.ok(exported.text.includes('1200 EUR'));
      assert.ok(exported.text.includes('AI; Data'));

      for (const person of before) await api.delete(`/api/v2/persons/${person.id}`);
      const res = await upload(tenant, exported.text);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.data.created, 3, JSON.stringify(res.body.data.rows));
      const afterImport = await all(api);
      assert.deepEqual(afterImport.map(portable), before.map(portable));
      assert.deepEqual(afterImport.map((p) => [p.org_id, p.owner_id]), before.map((p) => [p.org_id, p.owner_id]));
    });

    it('round trip: vCards export and import into another company, keeping labels, IM, address, birthday, title, organization and notes', async () => {
      const source = await newTenant(server);
      await source.api.post('/api/v2/organizations', { name: 'Globex' });
      const org = (await source.api.get('/api/v2/organizations')).body.data[0].id;
      const created = (
        await source.api.post('/api/v2/persons', {
          name: 'Hank Scorpio',
          org_id: org,
          emails: [{ value: 'hank@globex.com', label: 'work', primary: true }, { value: 'hank@volcano.net', label: 'home' }],
          phones: [{ value: '+1 415 555 0100', label: 'mobile' }, { value: '+1 415 555 0199', label: 'work', primary: true }],
          im: [{ value: 'hank.s', label: 'skype' }],
          postal_address: { value: '1 Volcano Rd, Cypress Creek', locality: 'Cypress Creek', postal_code: '99999', country: 'US' },
          birthday: '1960-05-01',
          job_title: 'CEO',
          notes: 'Likes hammocks; semicolons, commas\nand lines',
        })
      ).body.data;
      const one = await download(source, `/api/v2/persons/${created.id}.vcf`);
      assert.equal(one.status, 200);
      assert.match(one.type ?? '', /^text\/vcard/);
      assert.match(one.text, /^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
      assert.match(one.text, /TEL;TYPE=cell:\+1 415 555 0100/);
      assert.match(one.text, /TEL;TYPE=work;PREF=1:\+1 415 555 0199/);
      await source.api.post('/api/v2/persons', { name: 'Second Card', emails: [{ value: 'second@globex.com' }] });
      const list = await download(source, '/api/v2/persons/export?format=vcf');
      assert.equal(list.text.match(/BEGIN:VCARD/g)?.length, 2);

      const target = await newTenant(server);
      const res = await upload(target, list.text, 'text/vcard');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.data.created, 2);
      const imported = (await all(target.api)).find((p) => p.name === 'Hank Scorpio');
      for (const key of ['emails', 'phones', 'im', 'birthday', 'job_title', 'notes', 'first_name', 'last_name'] as const) assert.deepEqual(imported[key], created[key], key);
      assert.equal(imported.postal_address.value, created.postal_address.value);
      assert.equal(imported.postal_address.locality, 'Cypress Creek');
      assert.equal(imported.postal_address.postal_code, '99999');
      const orgs = (await target.api.get('/api/v2/organizations')).body.data;
      assert.equal(orgs.find((o: any) => o.id === imported.org_id)?.name, 'Globex');
    });

    it('rejects a vCard with a broken line, and imports the other cards of the file', async () => {
      const tenant = await newTenant(server);
      const file = [
        'BEGIN:VCARD', 'VERSION:4.0', 'FN:First Card', 'EMAIL:first@corp.io', 'END:VCARD',
        'BEGIN:VCARD', 'VERSION:4.0', 'FN:Broken Card', 'THIS LINE IS BROKEN', 'END:VCARD',
        'BEGIN:VCARD', 'VERSION:3.0', 'N:Third;Card;;;', 'TEL;TYPE=HOME:+44 20 7946 0958', 'NOTE:folded', ' line', 'END:VCARD',
        'BEGIN:VCARD', 'VERSION:4.0', 'EMAIL:nameless@corp.io', 'END:VCARD',
        'BEGIN:VCARD', 'FN:Never Ends',
      ].join('\r\n');
      const res = await upload(tenant, file, 'text/vcard');
      assert.equal(res.status, 200);
      const rows = res.body.data.rows;
      assert.deepEqual(rows.map((r: any) => r.status), ['created', 'rejected', 'created', 'rejected', 'rejected']);
      assert.match(rows[1].reason, /card 2 \(line 6\) cannot be read: invalid line/);
      assert.match(rows[3].reason, /neither FN nor N/);
      assert.match(rows[4].reason, /has no END:VCARD/);
      const third = (await all(tenant.api)).find((p) => p.last_name === 'Third');
      assert.equal(third.name, 'Card Third');
      assert.deepEqual(third.phones, [{ value: '+44 20 7946 0958', primary: true, label: 'HOME' }]);
      assert.equal(third.notes, 'foldedline');
    });

    it('exports only what the caller may see, filtered like the list; a hidden person\'s vCard is a 404', async () => {
      const tenant = await newTenant(server);
      const user = await tenant.addUser();
      const hidden = (await tenant.api.post('/api/v2/persons', { name: 'Hidden', visible_to: 1 })).body.data.id;
      await user.api.post('/api/v2/persons', { name: 'Mine', visible_to: 1 });
      await tenant.api.post('/api/v2/persons', { name: 'Shared', visible_to: 7 });
      const asUser = await fetch(`${tenant.api.baseUrl}/api/v2/persons/export`, { headers: { 'x-api-token': user.token } });
      const names = (await asUser.text()).split('\n').slice(1).filter(Boolean).map((line) => line.split(',')[1]).sort();
      assert.deepEqual(names, ['Mine', 'Shared']);
      const filtered = await download(tenant, `/api/v2/persons/export?owner_id=${user.userId}`);
      assert.deepEqual(filtered.text.split('\n').slice(1).filter(Boolean).map((line) => line.split(',')[1]), ['Mine']);
      const vcf = await fetch(`${tenant.api.baseUrl}/api/v2/persons/${hidden}.vcf`, { headers: { 'x-api-token': user.token } });
      assert.equal(vcf.status, 404);
      assert.equal((await download(tenant, '/api/v2/persons/99999999.vcf')).status, 404);
    });

    it('personsd import: the same import from the command line, with a progress bar and the report', async () => {
      const tenant = await newTenant(server);
      const dir = mkdtempSync(join(tmpdir(), 'personsd-import-'));
      try {
        const file = join(dir, 'persons.csv');
        writeFileSync(file, 'Name,Mail\nCli One,one@cli.io\nCli Two,not-mail\n');
        const db = server.config.database;
        const url = db.dialect === 'sqlite' ? `sqlite:${db.path}` : db.url;
        const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
          const child = spawn(process.execPath, [BIN, 'import', file, '--user', String(tenant.userId), '--map', 'Mail=email', '--report', join(dir, 'report.json')], {
            env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stderr = '';
          child.stderr.on('data', (chunk) => (stderr += chunk));
          child.on('error', reject);
          child.on('close', (code) => resolve({ code, stderr }));
        });
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, /import \[#+\] 100%/);
        assert.match(result.stderr, /created 1, updated 0, skipped 0, rejected 1/);
        assert.match(result.stderr, /row 2: emails\[0\]\.value "not-mail" is not a valid email address/);
        assert.deepEqual((await all(tenant.api)).map((p) => p.name), ['Cli One']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
