import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/** Creates persons `count` at a time in parallel batches; returns their ids in creation order. */
async function seed(api: Api, bodies: Record<string, unknown>[], batch = 20): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < bodies.length; i += batch) {
    const created = await Promise.all(bodies.slice(i, i + batch).map((body) => api.post('/api/v2/persons', body)));
    for (const res of created) {
      assert.equal(res.status, 200, JSON.stringify(res.body));
      ids.push(res.body.data.id);
    }
  }
  return ids;
}

const named = (count: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: count }, (_, i) => ({ name: `Person ${i}`, ...extra(i) }));

/** Follows next_cursor from the first page to the last; returns every page's ids. */
async function allPages(api: Api, query: string): Promise<number[][]> {
  const pages: number[][] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: any } = await api.get(`/api/v2/persons?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    pages.push(res.body.data.map((p: { id: number }) => p.id));
    cursor = res.body.additional_data.next_cursor;
    assert.ok(pages.length < 1000, 'paging terminates');
  } while (cursor !== null);
  return pages;
}

const ids = (res: { body: any }) => res.body.data.map((p: { id: number }) => p.id);
const ascending = (a: number, b: number) => a - b;

for (const backend of testBackends()) {
  describe(`v2 persons list [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('returns 100 by default, up to 500 when asked, and refuses more', async () => {
      const { api } = await newTenant(server);
      const created = await seed(api, named(501));
      const first = await api.get('/api/v2/persons');
      assert.equal(first.body.data.length, 100);
      assert.deepEqual(ids(first), created.slice().sort(ascending).slice(0, 100));
      assert.equal(typeof first.body.additional_data.next_cursor, 'string');
      const big = await api.get('/api/v2/persons?limit=500');
      assert.equal(big.body.data.length, 500);
      assert.notEqual(big.body.additional_data.next_cursor, null);
      const rest = await api.get(`/api/v2/persons?limit=500&cursor=${encodeURIComponent(big.body.additional_data.next_cursor)}`);
      assert.deepEqual(ids(rest), [Math.max(...created)]);
      assert.equal(rest.body.additional_data.next_cursor, null);
      for (const limit of ['501', '0', '-1', 'ten', '1.5']) {
        const res = await api.get(`/api/v2/persons?limit=${limit}`);
        assert.equal(res.status, 400, `limit=${limit}`);
        assert.match(res.body.error, /limit/);
      }
    });

    it('pages through every row with next_cursor, null on the last page', async () => {
      const { api } = await newTenant(server);
      const created = await seed(api, named(23));
      for (const direction of ['asc', 'desc'] as const) {
        const pages = await allPages(api, `limit=5&sort_direction=${direction}`);
        assert.deepEqual(pages.map((p) => p.length), [5, 5, 5, 5, 3]);
        const expected = created.slice().sort(direction === 'asc' ? ascending : (a, b) => b - a);
        assert.deepEqual(pages.flat(), expected);
      }
      const exact = await allPages(api, 'limit=23');
      assert.deepEqual(exact.map((p) => p.length), [23]);
    });

    it('filters by ids, up to 100 of them', async () => {
      const a = await newTenant(server);
      const created = (await seed(a.api, named(6))).sort(ascending);
      const some = await a.api.get(`/api/v2/persons?ids=${created[4]},${created[1]}, ${created[2]}`);
      assert.deepEqual(ids(some), [created[1], created[2], created[4]]);
      const missing = await a.api.get(`/api/v2/persons?ids=${created[0]},999999999`);
      assert.deepEqual(ids(missing), [created[0]]);
      const hundred = Array.from({ length: 100 }, (_, i) => created[0] + i).join(',');
      assert.equal((await a.api.get(`/api/v2/persons?ids=${hundred}`)).status, 200);
      const tooMany = await a.api.get(`/api/v2/persons?ids=${hundred},999999999`);
      assert.equal(tooMany.status, 400);
      assert.match(tooMany.body.error, /ids/);
      const garbage = await a.api.get('/api/v2/persons?ids=1,x');
      assert.equal(garbage.status, 400);
      assert.match(garbage.body.error, /ids/);
    });

    it('filters by owner_id and org_id, and leaves deleted persons out', async () => {
      const { api, userId, addUser } = await newTenant(server);
      const colleague = await addUser();
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id;
      const other = (await api.post('/api/v2/organizations', { name: 'Other' })).body.data.id;
      const [mine, theirs, mineAtAcme, theirsAtAcme, atOther] = await seed(api, [
        { name: 'Mine' },
        { name: 'Theirs', owner_id: colleague.userId },
        { name: 'Mine at Acme', org_id: org },
        { name: 'Theirs at Acme', owner_id: colleague.userId, org_id: org },
        { name: 'At Other', org_id: other },
      ], 1);
      assert.deepEqual(ids(await api.get(`/api/v2/persons?owner_id=${userId}`)), [mine, mineAtAcme, atOther]);
      assert.deepEqual(ids(await api.get(`/api/v2/persons?owner_id=${colleague.userId}`)), [theirs, theirsAtAcme]);
      assert.deepEqual(ids(await api.get(`/api/v2/persons?org_id=${org}`)), [mineAtAcme, theirsAtAcme]);
      assert.deepEqual(ids(await api.get(`/api/v2/persons?org_id=${org}&owner_id=${colleague.userId}`)), [theirsAtAcme]);
      await api.delete(`/api/v2/persons/${theirsAtAcme}`);
      assert.deepEqual(ids(await api.get(`/api/v2/persons?org_id=${org}`)), [mineAtAcme]);
      assert.deepEqual(ids(await api.get(`/api/v2/persons?ids=${theirsAtAcme}`)), []);
      assert.deepEqual(ids(await api.get('/api/v2/persons?owner_id=999999999')), []);
      assert.equal((await api.get('/api/v2/persons?owner_id=abc')).status, 400);
    });

    it('filters by updated_since (inclusive) and updated_until (exclusive), with any offset', async () => {
      const { api } = await newTenant(server);
      const [jan, feb, mar] = await seed(api, [
        { name: 'Jan', update_time: '2024-01-15T10:00:00Z' },
        { name: 'Feb', update_time: '2024-02-15T10:00:00Z' },
        { name: 'Mar', update_time: '2024-03-15T10:00:00Z' },
      ], 1);
      const q = (query: string) => api.get(`/api/v2/persons?${query}`);
      assert.deepEqual(ids(await q('updated_since=2024-02-15T10:00:00Z')), [feb, mar]);
      assert.deepEqual(ids(await q('updated_until=2024-02-15T10:00:00Z')), [jan]);
      assert.deepEqual(ids(await q('updated_since=2024-02-01T00:00:00Z&updated_until=2024-03-01T00:00:00Z')), [feb]);
      // 12:00+02:00 is 10:00Z: inclusive lower bound; 11:59:59+02:00 is 09:59:59Z.
      assert.deepEqual(ids(await q(`updated_since=${encodeURIComponent('2024-02-15T12:00:00+02:00')}`)), [feb, mar]);
      assert.deepEqual(ids(await q(`updated_since=${encodeURIComponent('2024-03-15T05:00:01-05:00')}`)), []);
      assert.deepEqual(ids(await q(`updated_until=${encodeURIComponent('2024-01-15T05:00:01-05:00')}`)), [jan]);
      for (const bad of ['yesterday', '2024-02-30T00:00:00Z', '2024-02-15']) {
        const res = await q(`updated_since=${bad}`);
        assert.equal(res.status, 400, bad);
        assert.match(res.body.error, /updated_since/);
      }
      assert.match((await q('updated_until=soon')).body.error, /updated_until/);
      const unencodedPlus = await q('updated_since=2024-02-15T12:00:00+02:00');
      assert.equal(unencodedPlus.status, 400);
      assert.match(unencodedPlus.body.error_info, /%2B/);
    });

    it('sorts by id, update_time and add_time in both directions, id breaking ties', async () => {
      const { api } = await newTenant(server);
      // add_time runs opposite to creation order, update_time repeats so the id tiebreak matters.
      const created = await seed(api, named(9, (i) => ({
        add_time: `2024-01-${String(20 - i).padStart(2, '0')}T00:00:00Z`,
        update_time: `2024-06-0${1 + (i % 3)}T00:00:00Z`,
      })), 1);
      const byUpdate = created
        .map((id, i) => ({ id, key: i % 3 }))
        .sort((a, b) => a.key - b.key || a.id - b.id)
        .map((r) => r.id);
      const cases: [string, number[]][] = [
        ['sort_by=id', created],
        ['sort_by=id&sort_direction=desc', created.slice().reverse()],
        ['sort_by=add_time', created.slice().reverse()],
        ['sort_by=add_time&sort_direction=desc', created],
        ['sort_by=update_time', byUpdate],
        ['sort_by=update_time&sort_direction=desc', byUpdate.slice().reverse()],
      ];
      for (const [query, expected] of cases) {
        assert.deepEqual(ids(await api.get(`/api/v2/persons?${query}`)), expected, query);
        assert.deepEqual((await allPages(api, `${query}&limit=2`)).flat(), expected, `${query} paged`);
      }
      assert.equal((await api.get('/api/v2/persons?sort_by=name')).status, 400);
      assert.equal((await api.get('/api/v2/persons?sort_direction=up')).status, 400);
    });

    it('keeps the cursor stable while rows are inserted and deleted between pages', async () => {
      const { api } = await newTenant(server);
      const created = await seed(api, named(12, (i) => ({ add_time: `2024-05-${String(10 + i).padStart(2, '0')}T00:00:00Z` })));
      const first = await api.get('/api/v2/persons?sort_by=add_time&limit=5');
      assert.deepEqual(ids(first), created.slice(0, 5));
      // Rows that sort before the cursor (older add_time), one that sorts among the rest, and a deleted one.
      const [early] = await seed(api, [{ name: 'Early', add_time: '2024-05-01T00:00:00Z' }], 1);
      const [middle] = await seed(api, [{ name: 'Middle', add_time: '2024-05-17T12:00:00Z' }], 1);
      await api.delete(`/api/v2/persons/${created[6]}`);
      const seen = [...ids(first)];
      let cursor: string | null = first.body.additional_data.next_cursor;
      while (cursor !== null) {
        const page: { body: any } = await api.get(`/api/v2/persons?sort_by=add_time&limit=5&cursor=${encodeURIComponent(cursor)}`);
        seen.push(...ids(page));
        cursor = page.body.additional_data.next_cursor;
      }
      // Middle (05-17 12:00) sorts right after created[7] (05-17 00:00).
      const expected = [...created.slice(0, 8), middle, ...created.slice(8)].filter((id) => id !== created[6]);
      assert.deepEqual(seen, expected);
      assert.ok(!seen.includes(early));
    });

    it('refuses a tampered cursor and a cursor from another sort', async () => {
      const { api } = await newTenant(server);
      await seed(api, named(4));
      const page = await api.get('/api/v2/persons?limit=2');
      const cursor: string = page.body.additional_data.next_cursor;
      const [body, mac] = cursor.split('.');
      const decoded = JSON.parse(Buffer.from(body, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...decoded, id: decoded.id - 1 })).toString('base64url');
      const tampered = [
        `${forged}.${mac}`,
        `${body}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
        body,
        'not-a-cursor',
        `${cursor}x`,
        '.',
      ];
      for (const bad of tampered) {
        const res = await api.get(`/api/v2/persons?limit=2&cursor=${encodeURIComponent(bad)}`);
        assert.equal(res.status, 400, bad);
        assert.match(res.body.error, /cursor/);
      }
      for (const other of ['sort_direction=desc', 'sort_by=update_time', 'sort_by=add_time&sort_direction=asc']) {
        const res = await api.get(`/api/v2/persons?limit=2&${other}&cursor=${encodeURIComponent(cursor)}`);
        assert.equal(res.status, 400, other);
        assert.match(res.body.error, /cursor/);
      }
      assert.equal((await api.get(`/api/v2/persons?limit=2&cursor=${encodeURIComponent(cursor)}`)).status, 200);
    });

    it('never lets a cursor of one company page through another', async () => {
      const a = await newTenant(server);
      const b = await newTenant(server);
      await seed(a.api, named(3));
      const bIds = await seed(b.api, named(3));
      const cursor = (await a.api.get('/api/v2/persons?limit=1')).body.additional_data.next_cursor;
      const res = await b.api.get(`/api/v2/persons?limit=5&cursor=${encodeURIComponent(cursor)}`);
      assert.equal(res.status, 200);
      for (const id of ids(res)) assert.ok(bIds.includes(id));
    });
  });
}
