import { after, before, describe, it } from 'node:test';
import { grantsAnyScope } from '../../src/domain/access/credential.ts';
import { assignVisibilityGroup, createVisibilityGroup } from '../../src/domain/access/visibility.ts';
import { KNOWN_SCOPES } from '../../src/domain/access/scopes.ts';
import { type Headers, MatrixFailures, type RouteOp, apiOperations, call, fillPath, oauthHeaders, routeName } from '../helpers/access-matrix.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/** Bodies that pass validation, so a write's answer shows the access decision and not a 400. */
function validBody(op: RouteOp, ids: Record<string, number>): unknown {
  const key = `${op.method} ${op.path.replace(/^\/(api\/v2|v1)/, '')}`;
  const bodies: Record<string, unknown> = {
    'PATCH /persons/{id}': { name: 'Renamed' },
    'POST /persons/{id}/followers': { user_id: ids.someUser },
    'PUT /persons/{id}/merge': { merge_with_id: ids.mergeTarget },
    'PATCH /organizations/{id}': { name: 'Renamed' },
    'PATCH /deals/{id}': { title: 'Renamed' },
    'PUT /personFields/{id}': { name: 'Renamed' },
    'PATCH /personFields/{field_code}': { field_name: 'Renamed' },
    'POST /personFields/{field_code}/options': [{ label: 'x' }],
    'PATCH /personFields/{field_code}/options': [{ id: 1, label: 'x' }],
    'DELETE /personFields/{field_code}/options': [{ id: 1 }],
  };
  // Organization and deal fields take the person fields' bodies (one engine).
  return bodies[key.replace(/\/(organization|deal)Fields\//, '/personFields/')];
}

for (const backend of testBackends()) {
  describe(`access matrix over every API route [${backend.name}]`, () => {
    let server: TestServer;
    let ops: RouteOp[];
    let headers: Record<'none' | 'admin' | 'wrongCompany' | 'readOnly' | 'fullScope' | 'owner' | 'other', Headers>;
    let persons: Record<number, number>;
    let owned: Record<'organizations' | 'deals', Record<number, number>>;
    let params: (op: RouteOp) => Record<string, number | string | undefined>;
    let ids: Record<string, number>;

    before(async () => {
      server = await startTestServer(backend);
      ops = await apiOperations(server);
      const a = await newTenant(server);
      const b = await newTenant(server);
      const owner = await a.addUser();
      const other = await a.addUser();
      const db = server.store.db;
      await assignVisibilityGroup(db, a.companyId, owner.userId, await createVisibilityGroup(db, a.companyId, 'Owners'));
      await assignVisibilityGroup(db, a.companyId, other.userId, await createVisibilityGroup(db, a.companyId, 'Others'));
      persons = {};
      for (const level of [1, 3, 5, 7]) persons[level] = (await owner.api.post('/api/v2/persons', { name: `Level ${level}`, visible_to: level })).body.data.id;
      owned = { organizations: {}, deals: {} };
      for (const level of [1, 3, 5, 7]) {
        owned.organizations[level] = (await owner.api.post('/api/v2/organizations', { name: `Level ${level}`, visible_to: level })).body.data.id;
        owned.deals[level] = (await owner.api.post('/api/v2/deals', { title: `Level ${level}`, visible_to: level })).body.data.id;
      }
      const org = (await a.api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id;
      const deal = (await a.api.post('/api/v2/deals', { title: 'Deal', person_id: persons[7] })).body.data.id;
      const field = (await a.api.post('/v1/personFields', { name: 'Matrix', field_type: 'varchar' })).body.data;
      const follower = (await a.api.post(`/v1/persons/${persons[7]}/followers`, { user_id: a.userId })).body.data.id;
      ids = { someUser: a.userId, mergeTarget: (await a.api.post('/api/v2/persons', { name: 'Target', visible_to: 7 })).body.data.id };
      params = (op) => {
        const p = op.path;
        const resource = (name: string) => p.includes(`/${name}/{id}`);
        return {
          id: resource('persons') ? persons[7] : resource('organizations') ? org : resource('deals') ? deal : resource('users') ? a.userId : resource('personFields') ? field.id : undefined,
          field_code: field.key,
          follower_id: op.version === 'v1' ? follower : a.userId,
          size: 128,
        };
      };
      headers = {
        none: {},
        admin: { 'x-api-token': a.token },
        wrongCompany: { 'x-api-token': b.token },
        readOnly: await oauthHeaders(server, a.token, 'contacts:read'),
        fullScope: await oauthHeaders(server, a.token, KNOWN_SCOPES.join(',')),
        owner: { 'x-api-token': owner.token },
        other: { 'x-api-token': other.token },
      };
    });
    after(() => server.close());

    it('answers 401 to every route without a token', async () => {
      const failures = new MatrixFailures();
      for (const op of ops) failures.expect((await call(server, op, fillPath(op.path, {}), headers.none)).status, 401, routeName(op));
      failures.assertNone();
    });

    it('answers 404 to another company\'s token on every route that names one of this company\'s records', async () => {
      const failures = new MatrixFailures();
      let checked = 0;
      for (const op of ops) {
        const values = params(op);
        const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        if (names.length === 0 || names.some((n) => values[n] === undefined)) continue;
        const body = validBody(op, ids);
        if (op.method !== 'GET' && op.method !== 'DELETE' && body === undefined) continue;
        checked++;
        failures.expect((await call(server, op, fillPath(op.path, values), headers.wrongCompany, body)).status, 404, routeName(op));
      }
      failures.check(checked >= 20, `only ${checked} routes were checked`);
      failures.assertNone();
    });

    it('refuses an OAuth token whose scopes the route does not list with 403, on every route; a full-scope token reads like an API token', async () => {
      const failures = new MatrixFailures();
      const readOnly = { kind: 'oauth' as const, id: 0, scopes: ['base', 'contacts:read'] };
      for (const op of ops) {
        const path = fillPath(op.path, params(op));
        const res = await call(server, op, path, headers.readOnly, op.method === 'GET' ? undefined : {});
        const url = op.path.replace(/\{([^}]+)\}/g, ':$1');
        const declared = server.app.operations.find((o) => o.method === op.method && o.url === url);
        if (!declared) {
          failures.check(false, `${routeName(op)}: no declared operation`);
          continue;
        }
        const allowed = grantsAnyScope(readOnly, declared.scopes);
        if (allowed) failures.check(res.status !== 403, `${routeName(op)}: read-only token refused (${res.body?.error})`);
        else {
          failures.expect(res.status, 403, `${routeName(op)} with contacts:read`);
          failures.check(res.body?.error === 'Scope and URL mismatch', `${routeName(op)}: 403 body ${JSON.stringify(res.body)}`);
        }
        if (op.method === 'GET') {
          const viaApiToken = await call(server, op, path, headers.admin);
          const viaFullScope = await call(server, op, path, headers.fullScope);
          failures.expect(viaFullScope.status, viaApiToken.status, `${routeName(op)} with every scope`);
        }
      }
      for (const [op, allowed] of [
        [{ method: 'GET', path: '/api/v2/persons', version: 'v2' }, true],
        [{ method: 'POST', path: '/api/v2/persons', version: 'v2' }, false],
        [{ method: 'GET', path: '/v1/users', version: 'v1' }, false],
      ] as const) {
        const status = (await call(server, op, op.path, headers.readOnly, op.method === 'POST' ? { name: 'x' } : undefined)).status;
        failures.check(allowed ? status === 200 : status === 403, `${routeName(op)} with contacts:read: ${status}`);
      }
      failures.assertNone();
    });

    it('lets the owner and hides from another user outside the owner\'s group each person below visible_to 7, on every person route', async () => {
      const failures = new MatrixFailures();
      const personRoutes = ops.filter((op) => /\/persons\/\{id\}/.test(op.path));
      for (const level of [1, 3, 5, 7]) {
        for (const op of personRoutes.filter((o) => o.method === 'GET')) {
          const path = fillPath(op.path, { ...params(op), id: persons[level] });
          const asOwner = (await call(server, op, path, headers.owner)).status;
          const asOther = (await call(server, op, path, headers.other)).status;
          const where = `${routeName(op)} on visible_to ${level}`;
          if (level === 7) failures.expect(asOther, asOwner, `${where}: other user like the owner`);
          else failures.expect(asOther, 404, `${where}: other user`);
          failures.check(asOwner < 500, `${where}: owner got ${asOwner}`);
        }
      }
      // Writes on a person the other user may not see: 404, and nothing changes.
      for (const op of personRoutes.filter((o) => o.method !== 'GET')) {
        const body = validBody(op, ids);
        if (op.method !== 'DELETE' && body === undefined) continue;
        const path = fillPath(op.path, { ...params(op), id: persons[1] });
        failures.expect((await call(server, op, path, headers.other, body)).status, 404, `${routeName(op)} on visible_to 1 by another user`);
      }
      const survivor = await call(server, { method: 'GET', path: '/api/v2/persons/{id}', version: 'v2' }, `/api/v2/persons/${persons[1]}`, headers.owner);
      failures.expect(survivor.status, 200, 'the hidden person survived');
      failures.check(survivor.body?.data?.name === 'Level 1', 'the hidden person is unchanged');
      failures.assertNone();
    });

    it('does the same for organizations and deals, on every organization and deal route', async () => {
      const failures = new MatrixFailures();
      let checked = 0;
      for (const resource of ['organizations', 'deals'] as const) {
        const routes = ops.filter((op) => op.path.includes(`/${resource}/{id}`));
        const ids = owned[resource];
        for (const op of routes) {
          const body = validBody(op, {});
          if (op.method !== 'GET' && op.method !== 'DELETE' && body === undefined) continue;
          for (const level of op.method === 'GET' ? [1, 3, 5, 7] : [1, 3, 5]) {
            const path = fillPath(op.path, { ...params(op), id: ids[level] });
            const asOther = (await call(server, op, path, headers.other, body)).status;
            failures.expect(asOther, level === 7 ? 200 : 404, `${routeName(op)} on visible_to ${level} by another user`);
            if (op.method === 'GET') failures.expect((await call(server, op, path, headers.owner)).status, 200, `${routeName(op)} on visible_to ${level} by the owner`);
            checked++;
          }
        }
        const survivor = await call(server, { method: 'GET', path: `/api/v2/${resource}/{id}`, version: 'v2' }, `/api/v2/${resource}/${ids[1]}`, headers.owner);
        failures.check(survivor.body?.data?.[resource === 'deals' ? 'title' : 'name'] === 'Level 1', `the hidden ${resource} record is unchanged`);
      }
      failures.check(checked >= 12, `only ${checked} calls were checked`);
      failures.assertNone();
    });
  });
}
