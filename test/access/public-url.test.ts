import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { type Tenant, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

const FORGED = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

/** A request with headers fetch will not send (a forged Host), over real HTTP. */
function raw(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; body: any }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: body ? { ...headers, 'content-length': String(body.length) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Uploads a picture through `raw`, so the upload's own answer can be asked for with a forged Host too. */
async function uploadPicture(server: TestServer, tenant: Tenant, personId: number) {
  const form = new FormData();
  const png = await sharp({ create: { width: 200, height: 200, channels: 3, background: { r: 10, g: 200, b: 10 } } }).png().toBuffer();
  form.append('file', new Blob([new Uint8Array(png)]), 'p.png');
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  return raw(server, 'POST', `/v1/persons/${personId}/picture`, { ...FORGED, 'x-api-token': tenant.token, 'content-type': encoded.headers.get('content-type') as string }, body);
}

/** Every link a person response hands out: the v1 upload answer, v2 GET picture and the v1 merge answer. */
async function pictureLinks(server: TestServer) {
  const tenant = await newTenant(server);
  const headers = { ...FORGED, 'x-api-token': tenant.token };
  const keep = (await tenant.api.post('/api/v2/persons', { name: 'Keep' })).body.data.id;
  const gone = (await tenant.api.post('/api/v2/persons', { name: 'Gone' })).body.data.id;
  const upload = await uploadPicture(server, tenant, gone);
  assert.equal(upload.status, 200, JSON.stringify(upload.body));
  const get = await raw(server, 'GET', `/api/v2/persons/${gone}/picture`, headers);
  assert.equal(get.status, 200);
  const merged = await raw(server, 'PUT', `/v1/persons/${gone}/merge`, { ...headers, 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ merge_with_id: keep })));
  assert.equal(merged.status, 200, JSON.stringify(merged.body));
  return { tenant, keep, gone, links: [upload.body.data.pictures, get.body.data.pictures, merged.body.data.picture_id.pictures] as Record<string, string>[] };
}

for (const backend of testBackends()) {
  describe(`PUBLIC_URL: links personsd hands out to itself [${backend.name}]`, () => {
    let plain: TestServer;
    let configured: TestServer;
    before(async () => {
      plain = await startTestServer(backend);
      configured = await startTestServer(backend, { access: { ...DEFAULT_ACCESS, publicUrl: 'https://contacts.example.com/crm' } });
    });
    after(async () => {
      await plain.close();
      await configured.close();
    });

    it('with PUBLIC_URL, picture URLs use it whatever Host and X-Forwarded-Host the request carries', async () => {
      const { tenant, gone, keep, links } = await pictureLinks(configured);
      assert.deepEqual(links[0], {
        '128': `https://contacts.example.com/crm/api/v2/persons/${gone}/picture/128`,
        '512': `https://contacts.example.com/crm/api/v2/persons/${gone}/picture/512`,
      });
      assert.deepEqual(links[1], links[0]);
      assert.deepEqual(links[2], {
        '128': `https://contacts.example.com/crm/api/v2/persons/${keep}/picture/128`,
        '512': `https://contacts.example.com/crm/api/v2/persons/${keep}/picture/512`,
      });
      // The same path serves the image at personsd's own address.
      const image = await fetch(`${configured.url}${new URL(links[2]['128']).pathname.replace(/^\/crm/, '')}`, { headers: { 'x-api-token': tenant.token } });
      assert.equal(image.status, 200);
      assert.equal(image.headers.get('content-type'), 'image/jpeg');
    });

    it('without PUBLIC_URL, they follow the request (the documented fallback, which the client controls)', async () => {
      const { links } = await pictureLinks(plain);
      for (const urls of links) for (const url of Object.values(urls)) assert.match(url, /^http:\/\/evil\.example\/api\/v2\/persons\/\d+\/picture\/(128|512)$/);
    });
  });
}
