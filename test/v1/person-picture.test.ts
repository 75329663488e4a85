import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { type TestServer, type Tenant, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/** A solid-colour image of the given size and format, made on the spot. */
function image(width: number, height: number, format: 'png' | 'jpeg' | 'gif' | 'webp', colour = { r: 200, g: 30, b: 30 }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).toFormat(format).toBuffer();
}

/** Left half red, right half blue: tells which part a crop kept. */
async function halves(width: number, height: number): Promise<Buffer> {
  const red = await sharp({ create: { width: width / 2, height, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 255 } } })
    .composite([{ input: red, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

async function meanColour(jpeg: Buffer): Promise<{ r: number; b: number }> {
  const { channels } = await sharp(jpeg).stats();
  return { r: channels[0].mean, b: channels[2].mean };
}

async function upload(tenant: Tenant, personId: number, file: Buffer | string | undefined, fields: Record<string, string> = {}, name = 'picture.png') {
  const form = new FormData();
  if (file !== undefined) form.append('file', new Blob([typeof file === 'string' ? file : new Uint8Array(file)]), name);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  const response = await fetch(`${tenant.api.baseUrl}/v1/persons/${personId}/picture`, { method: 'POST', headers: { 'x-api-token': tenant.token }, body: form });
  return { status: response.status, body: await response.json() };
}

async function fetchImage(url: string, token: string | undefined, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers: token ? { 'x-api-token': token, ...headers } : headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

for (const backend of testBackends()) {
  describe(`person picture [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('uploads a picture, serves 128 and 512 px JPEG squares behind auth, and sets picture_id', async () => {
      const tenant = await newTenant(server);
      const { api, userId } = tenant;
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const png = await image(300, 200, 'png');
      const res = await upload(tenant, person.id, png);
      assert.equal(res.status, 200);
      const picture = res.body.data;
      assert.equal(picture.item_type, 'person');
      assert.equal(picture.item_id, person.id);
      assert.equal(picture.active_flag, true);
      assert.equal(picture.added_by_user_id, userId);
      assert.match(picture.add_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.equal(picture.pictures['128'], `${server.url}/api/v2/persons/${person.id}/picture/128`);

      assert.equal((await api.get(`/api/v2/persons/${person.id}`)).body.data.picture_id, picture.id);
      const got = await api.get(`/api/v2/persons/${person.id}/picture`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body.data, {
        id: picture.id, item_type: 'person', item_id: person.id, added_by_user_id: userId, active_flag: true, file_size: png.length, pictures: picture.pictures,
      });

      for (const size of [128, 512]) {
        const served = await fetchImage(picture.pictures[String(size)], tenant.token);
        assert.equal(served.status, 200);
        assert.equal(served.headers.get('content-type'), 'image/jpeg');
        const meta = await sharp(served.bytes).metadata();
        assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', size, size]);
        assert.equal((await fetchImage(picture.pictures[String(size)], undefined)).status, 401, 'the image needs a token');
      }
      const other = await newTenant(server);
      assert.equal((await fetchImage(picture.pictures['128'], other.token)).status, 404, "another company's picture is not found");
      assert.equal((await other.api.get(`/api/v2/persons/${person.id}/picture`)).status, 404);
      assert.equal((await api.get(`/api/v2/persons/${person.id}/picture/256`)).status, 400);

      const log = (await api.get(`/v1/persons/${person.id}/changelog`)).body.data;
      assert.deepEqual([log[0].field_key, log[0].old_value, log[0].new_value], ['picture_id', null, String(picture.id)]);
    });

    it('crops to the given area, and honours EXIF orientation', async () => {
      const tenant = await newTenant(server);
      const person = (await tenant.api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const twoColours = await halves(400, 200);
      const left = await upload(tenant, person.id, twoColours, { crop_x: '0', crop_y: '0', crop_width: '200', crop_height: '200' });
      assert.equal(left.status, 200);
      const red = await meanColour((await fetchImage(left.body.data.pictures['512'], tenant.token)).bytes);
      assert.ok(red.r > 200 && red.b < 50, `the left (red) half was kept: ${JSON.stringify(red)}`);
      const right = await upload(tenant, person.id, twoColours, { crop_x: '200', crop_y: '0', crop_width: '200', crop_height: '200' });
      const blue = await meanColour((await fetchImage(right.body.data.pictures['128'], tenant.token)).bytes);
      assert.ok(blue.b > 200 && blue.r < 50, `the right (blue) half was kept: ${JSON.stringify(blue)}`);

      // Stored 300 wide and 200 high, but EXIF orientation 6 shows it 200 wide and 300 high.
      const turned = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 0, g: 200, b: 0 } } })
        .jpeg()
        .withMetadata({ orientation: 6 })
        .toBuffer();
      const tall = await upload(tenant, person.id, turned, { crop_x: '0', crop_y: '100', crop_width: '200', crop_height: '200' }, 'turned.jpg');
      assert.equal(tall.status, 200, JSON.stringify(tall.body));
    });

    it('replaces the picture on a second upload and removes it with DELETE', async () => {
      const tenant = await newTenant(server);
      const { api } = tenant;
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const first = (await upload(tenant, person.id, await image(200, 200, 'jpeg'), {}, 'a.jpg')).body.data;
      const firstImage = await fetchImage(first.pictures['128'], tenant.token);
      const etag = firstImage.headers.get('etag') as string;
      assert.ok(etag);
      assert.equal((await fetchImage(first.pictures['128'], tenant.token, { 'if-none-match': etag })).status, 304);

      const second = (await upload(tenant, person.id, await image(256, 256, 'gif', { r: 0, g: 0, b: 250 }), {}, 'b.gif')).body.data;
      assert.notEqual(second.id, first.id);
      assert.equal((await api.get(`/api/v2/persons/${person.id}`)).body.data.picture_id, second.id);
      const secondImage = await fetchImage(second.pictures['128'], tenant.token, { 'if-none-match': etag });
      assert.equal(secondImage.status, 200, 'the old tag no longer matches');
      assert.ok((await meanColour(secondImage.bytes)).b > 200);

      const removed = await api.delete(`/v1/persons/${person.id}/picture`);
      assert.deepEqual(removed.body, { success: true, data: { id: person.id } });
      assert.equal((await api.get(`/api/v2/persons/${person.id}`)).body.data.picture_id, null);
      assert.equal((await api.get(`/api/v2/persons/${person.id}/picture`)).status, 404);
      assert.equal((await fetchImage(second.pictures['512'], tenant.token)).status, 404);
      assert.equal((await api.delete(`/v1/persons/${person.id}/picture`)).status, 404);
    });

    it('refuses what is not a usable GIF, JPEG or PNG picture, and changes nothing', async () => {
      const tenant = await newTenant(server);
      const { api } = tenant;
      const person = (await api.post('/api/v2/persons', { name: 'Jane' })).body.data;
      const png = await image(300, 300, 'png');
      const cases: [Buffer | string | undefined, Record<string, string>, RegExp][] = [
        ['this is not an image at all, only text', {}, /file is not an image/],
        [await image(300, 300, 'webp'), {}, /only GIF, JPEG and PNG/],
        [await image(100, 300, 'png'), {}, /at least 128×128 pixels/],
        [png, { crop_x: '0', crop_y: '0', crop_width: '100', crop_height: '100' }, /at least 128×128/],
        [png, { crop_x: '200', crop_y: '0', crop_width: '200', crop_height: '200' }, /reaches outside/],
        [png, { crop_x: '0', crop_y: '0' }, /must be sent together/],
        [png, { crop_x: 'ten', crop_y: '0', crop_width: '200', crop_height: '200' }, /crop_x must be a whole number/],
        [png, { title: 'x' }, /unknown form field "title"/],
        [undefined, {}, /file is required/],
        [png.subarray(0, 200), {}, /not an image|could not be read/],
      ];
      for (const [file, fields, message] of cases) {
        const res = await upload(tenant, person.id, file, fields);
        assert.equal(res.status, 400, `${message}: ${JSON.stringify(res.body)}`);
        assert.match(res.body.error, message);
      }
      const json = await api.post(`/v1/persons/${person.id}/picture`, { file: 'x' });
      assert.equal(json.status, 400);
      assert.match(json.body.error, /multipart\/form-data/);

      const huge = Buffer.alloc(10 * 1024 * 1024 + 1, 1);
      const tooLarge = await upload(tenant, person.id, huge);
      assert.equal(tooLarge.status, 413);
      assert.match(tooLarge.body.error, /larger than 10485760 bytes/);

      assert.equal((await upload(tenant, 999999, png)).status, 404);
      const other = await newTenant(server);
      assert.equal((await upload(other, person.id, png)).status, 404);
      assert.equal((await api.get(`/api/v2/persons/${person.id}`)).body.data.picture_id, null, 'nothing was stored');
      assert.deepEqual((await api.get(`/v1/persons/${person.id}/changelog`)).body.data, []);
    });
  });
}
