import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { assignVisibilityGroup, createVisibilityGroup, usersWhoMaySeeRecord } from '../../src/domain/access/visibility.ts';
import { type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

/**
 * The visibility rule exists twice: userMaySee in code (permittedUsers, webhook receivers) and recordVisibleTo in
 * SQL (every read). For random group trees, memberships, owners and levels, each user's organization list (the
 * SQL form) must be exactly the organizations whose permitted users (the code form) include that user.
 */
const company = fc.record({
  // parents[i]: the parent of group i+1 among the groups before it (0: at the top).
  parents: fc.tuple(fc.constant(0), fc.nat(1), fc.nat(2)).map((picks) => picks.map((pick, i) => Math.min(pick, i))),
  // The group of each of four users: 0 is none (the top group), 1–3 a group.
  memberships: fc.array(fc.nat(3), { minLength: 4, maxLength: 4 }),
  records: fc.array(fc.record({ owner: fc.nat(3), level: fc.constantFrom(1, 3, 5, 7) }), { minLength: 1, maxLength: 6 }),
});

for (const backend of testBackends()) {
  describe(`visibility rule: code and SQL agree [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('lists to each user exactly the organizations whose permitted users name them', async () => {
      await fc.assert(
        fc.asyncProperty(company, async ({ parents, memberships, records }) => {
          const tenant = await newTenant(server);
          const db = server.store.db;
          const groups: number[] = [];
          for (const [i, parent] of parents.entries()) groups.push(await createVisibilityGroup(db, tenant.companyId, `G${i}`, parent === 0 ? null : groups[parent - 1]));
          const users = [];
          for (const group of memberships) {
            const user = await tenant.addUser();
            if (group > 0) await assignVisibilityGroup(db, tenant.companyId, user.userId, groups[group - 1]);
            users.push(user);
          }
          const orgs = [];
          for (const record of records) {
            const res = await tenant.api.post('/api/v2/organizations', { name: 'Agreement', owner_id: users[record.owner].userId, visible_to: record.level });
            assert.equal(res.status, 200);
            orgs.push(res.body.data);
          }
          const permitted = await Promise.all(orgs.map((o) => usersWhoMaySeeRecord(db, tenant.companyId, o)));
          for (const user of users) {
            const listed = (await user.api.get('/api/v2/organizations?limit=500')).body.data.map((o: { id: number }) => o.id).sort((a: number, b: number) => a - b);
            const expected = orgs.filter((_o, i) => permitted[i].includes(user.userId)).map((o) => o.id).sort((a, b) => a - b);
            assert.deepEqual(listed, expected, `user ${user.userId} (group ${memberships[users.indexOf(user)]}, parents ${parents})`);
          }
        }),
        { numRuns: 25 },
      );
    });
  });
}
