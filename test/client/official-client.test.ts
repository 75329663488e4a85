import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import { clientError, clientUserAgent, officialClient, officialClientSuite } from '../helpers/client.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`official pipedrive client [${backend.name}]`, () => {
    const suite = officialClientSuite(backend);

    describe('v2 PersonsApi', () => {
      it('adds, reads, updates and deletes a person', async () => {
        const tenant = await newTenant(suite.server);
        const client = officialClient(suite.server, tenant.token);
        const persons = new v2.PersonsApi(client.v2);
        const { data: org } = await new v2.OrganizationsApi(client.v2).addOrganization({ AddOrganizationRequest: { name: 'Acme' } });

        const added = await persons.addPerson({
          AddPersonRequest: {
            name: 'Jane Doe',
            org_id: org!.id,
            emails: [
              { value: 'jane@example.com', primary: true, label: 'work' },
              { value: 'jane@home.example', label: 'home' },
            ],
            phones: [{ value: '+1 415 555 0100' }],
            visible_to: 3,
          },
        });
        const post = suite.traffic.last();
        assert.equal(post.method, 'POST');
        assert.equal(post.path, '/api/v2/persons');
        assert.equal(post.status, 200);
        assert.equal(post.headers['x-api-token'], tenant.token);
        assert.equal(post.headers['content-type'], 'application/json');
        assert.equal(post.headers['user-agent'], clientUserAgent);

        assert.equal(added.success, true);
        const person = added.data!;
        assert.equal(person.name, 'Jane Doe');
        assert.equal(person.first_name, 'Jane');
        assert.equal(person.last_name, 'Doe');
        assert.equal(person.org_id, org!.id);
        assert.equal(person.owner_id, tenant.userId);
        assert.deepEqual(person.emails, [
          { value: 'jane@example.com', primary: true, label: 'work' },
          { value: 'jane@home.example', primary: false, label: 'home' },
        ]);
        assert.deepEqual(person.phones, [{ value: '+1 415 555 0100', primary: true, label: 'work' }]);
        assert.equal(person.visible_to, 3);

        const read = await persons.getPerson({ id: person.id! });
        assert.deepEqual(read.data, person);

        const updated = await persons.updatePerson({
          id: person.id!,
          UpdatePersonRequest: { job_title: 'CTO', phones: [{ value: '+44 20 7946 0000', label: 'mobile' }] },
        });
        assert.equal(suite.traffic.last().method, 'PATCH');
        assert.equal(suite.traffic.last().headers['content-type'], 'application/json');
        assert.equal(updated.data!.job_title, 'CTO');
        assert.deepEqual(updated.data!.phones, [{ value: '+44 20 7946 0000', primary: true, label: 'mobile' }]);
        assert.deepEqual(updated.data!.emails, person.emails, 'fields left out of the PATCH stay as they were');
        assert.ok(updated.data!.update_time! >= person.update_time!);
        assert.deepEqual((await persons.getPerson({ id: person.id! })).data, updated.data);

        const deleted = await persons.deletePerson({ id: person.id! });
        assert.deepEqual(deleted, { success: true, data: { id: person.id } });
        assert.equal(suite.traffic.last().method, 'DELETE');
        assert.equal(suite.traffic.last().headers['content-type'], undefined, 'the client sends DELETE without a body');

        const gone = await clientError(persons.getPerson({ id: person.id! }));
        assert.equal(suite.traffic.last().status, 404);
        assert.equal(suite.traffic.last().path, `/api/v2/persons/${person.id}`);
        assert.match(gone.error, /not found/i);
        assert.equal(typeof gone.error_info, 'string');
        assert.equal(gone.data, null);
        assert.equal(gone.additional_data, null);
        assert.equal((await persons.getPersons()).data!.length, 0, 'a deleted person leaves the list');
      });

      it('follows additional_data.next_cursor through every page', async () => {
        const tenant = await newTenant(suite.server);
        const persons = new v2.PersonsApi(officialClient(suite.server, tenant.token).v2);
        const ids: number[] = [];
        for (let i = 1; i <= 7; i++) ids.push((await persons.addPerson({ AddPersonRequest: { name: `Person ${i}` } })).data!.id!);

        const pages: number[][] = [];
        let cursor: string | undefined;
        do {
          const page = await persons.getPersons({ limit: 3, cursor });
          const sent = suite.traffic.last().query;
          assert.equal(sent.get('limit'), '3');
          assert.equal(sent.get('cursor'), cursor ?? null, 'the client sends the cursor back untouched');
          pages.push(page.data!.map((p) => p.id!));
          cursor = page.additional_data!.next_cursor ?? undefined;
          assert.ok(pages.length <= 3, 'paging must end');
        } while (cursor);

        assert.deepEqual(pages.map((p) => p.length), [3, 3, 1]);
        assert.deepEqual(pages.flat(), ids);
      });

      it('pages filtered and sorted lists with the query names the client uses', async () => {
        const tenant = await newTenant(suite.server);
        const client = officialClient(suite.server, tenant.token);
        const persons = new v2.PersonsApi(client.v2);
        const { data: org } = await new v2.OrganizationsApi(client.v2).addOrganization({ AddOrganizationRequest: { name: 'Globex' } });
        const inOrg: number[] = [];
        for (let i = 1; i <= 5; i++) {
          const { data } = await persons.addPerson({ AddPersonRequest: { name: `Member ${i}`, org_id: i % 2 === 0 ? undefined : org!.id } });
          if (i % 2 === 1) inOrg.push(data!.id!);
        }

        const seen: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await persons.getPersons({ org_id: org!.id, sort_by: 'id', sort_direction: 'desc', limit: 2, cursor });
          seen.push(...page.data!.map((p) => p.id!));
          cursor = page.additional_data!.next_cursor ?? undefined;
        } while (cursor);
        const sent = suite.traffic.last().query;
        assert.equal(sent.get('org_id'), String(org!.id));
        assert.equal(sent.get('sort_direction'), 'desc');
        assert.deepEqual(seen, [...inOrg].reverse());

        const byIds = await persons.getPersons({ ids: `${inOrg[0]},${inOrg[2]}` });
        assert.deepEqual(byIds.data!.map((p) => p.id), [inOrg[0], inOrg[2]]);
      });

      it('accepts the boolean read switches as the client serialises them', async () => {
        const tenant = await newTenant(suite.server);
        const persons = new v2.PersonsApi(officialClient(suite.server, tenant.token).v2);
        const { data: person } = await persons.addPerson({ AddPersonRequest: { name: 'Flag Test' } });

        const read = await persons.getPerson({ id: person!.id!, include_option_labels: false, include_labels: false });
        assert.equal(suite.traffic.last().query.get('include_option_labels'), 'false');
        assert.equal(suite.traffic.last().query.get('include_labels'), 'false');
        assert.deepEqual(read.data, person);
        const list = await persons.getPersons({ include_labels: false, include_option_labels: false });
        assert.deepEqual(list.data!.map((p) => p.id), [person!.id]);

        const labelled = await persons.getPersons({ include_labels: true });
        assert.equal(suite.traffic.last().query.get('include_labels'), 'true');
        assert.deepEqual((labelled.data![0] as { labels?: unknown }).labels, [], 'true adds the label objects');
      });

      it('hands validation errors to the caller in Pipedrive\'s envelope', async () => {
        const tenant = await newTenant(suite.server);
        const persons = new v2.PersonsApi(officialClient(suite.server, tenant.token).v2);

        const badEmail = await clientError(persons.addPerson({ AddPersonRequest: { name: 'X', emails: [{ value: 'not-an-email' }] } }));
        assert.equal(suite.traffic.last().status, 400);
        assert.match(badEmail.error, /emails\[0\]\.value/);

        // Without a body the client still sends `{}` as JSON, so this is the missing-name rule, not a parse error.
        const noName = await clientError(persons.addPerson());
        assert.equal(suite.traffic.last().status, 400);
        assert.match(noName.error, /name/);

        const badOrg = await clientError(persons.addPerson({ AddPersonRequest: { name: 'Y', org_id: 987654321 } }));
        assert.equal(suite.traffic.last().status, 400);
        assert.match(badOrg.error, /org_id/);
        assert.equal((await persons.getPersons()).data!.length, 0, 'failed writes create nothing');
      });

      it('shows another company\'s person to the client as not found', async () => {
        const owner = await newTenant(suite.server);
        const stranger = await newTenant(suite.server);
        const { data: person } = await new v2.PersonsApi(officialClient(suite.server, owner.token).v2).addPerson({ AddPersonRequest: { name: 'Private' } });
        const theirs = new v2.PersonsApi(officialClient(suite.server, stranger.token).v2);

        await clientError(theirs.getPerson({ id: person!.id! }));
        assert.equal(suite.traffic.last().status, 404);
        await clientError(theirs.updatePerson({ id: person!.id!, UpdatePersonRequest: { name: 'Taken' } }));
        assert.equal(suite.traffic.last().status, 404);
        await clientError(theirs.deletePerson({ id: person!.id! }));
        assert.equal(suite.traffic.last().status, 404);
        assert.equal((await theirs.getPersons()).data!.length, 0);
        assert.equal((await owner.api.get(`/api/v2/persons/${person!.id}`)).body.data.name, 'Private');
      });

      it('authenticates an OAuth-style configuration (Bearer token) and refuses an unknown token with 401', async () => {
        const tenant = await newTenant(suite.server);
        const oauth = new v2.PersonsApi(new v2.Configuration({ accessToken: tenant.token, basePath: `${suite.server.url}/api/v2` }));
        await oauth.addPerson({ AddPersonRequest: { name: 'Via Bearer' } });
        assert.equal(suite.traffic.last().headers.authorization, `Bearer ${tenant.token}`);
        assert.equal(suite.traffic.last().headers['x-api-token'], undefined);
        assert.deepEqual((await oauth.getPersons()).data!.map((p) => p.name), ['Via Bearer']);

        const stranger = new v2.PersonsApi(officialClient(suite.server, 'not-a-real-token-0000').v2);
        const refused = await clientError(stranger.getPersons());
        assert.equal(suite.traffic.last().status, 401);
        assert.equal(refused.error, 'unauthorized access');
        assert.equal(refused.errorCode, 401);
      });
    });

    describe('v2 OrganizationsApi', () => {
      it('adds, reads, updates, lists and deletes organizations', async () => {
        const tenant = await newTenant(suite.server);
        const orgs = new v2.OrganizationsApi(officialClient(suite.server, tenant.token).v2);

        const { data: acme } = await orgs.addOrganization({
          AddOrganizationRequest: { name: 'Acme', visible_to: 3, address: { value: '1 Main St, Springfield', locality: 'Springfield', country: 'US' } },
        });
        assert.equal(suite.traffic.last().status, 200);
        assert.equal(suite.traffic.last().headers['content-type'], 'application/json');
        assert.equal(acme!.name, 'Acme');
        assert.equal(acme!.owner_id, tenant.userId);
        assert.equal(acme!.address!.value, '1 Main St, Springfield');
        assert.equal(acme!.address!.locality, 'Springfield');
        assert.deepEqual((await orgs.getOrganization({ id: acme!.id!, include_labels: false })).data, acme);

        const { data: renamed } = await orgs.updateOrganization({ id: acme!.id!, UpdateOrganizationRequest: { name: 'Acme Corp', visible_to: 7 } });
        assert.equal(renamed!.name, 'Acme Corp');
        assert.equal(renamed!.visible_to, 7);
        assert.equal(renamed!.address!.value, '1 Main St, Springfield', 'fields left out of the PATCH stay as they were');

        const created = [acme!.id!];
        for (const name of ['Beta', 'Gamma', 'Delta']) created.push((await orgs.addOrganization({ AddOrganizationRequest: { name } })).data!.id!);
        const pages: number[][] = [];
        let cursor: string | undefined;
        do {
          const page = await orgs.getOrganizations({ limit: 3, cursor, sort_by: 'id', sort_direction: 'asc' });
          pages.push(page.data!.map((o) => o.id!));
          cursor = page.additional_data!.next_cursor ?? undefined;
        } while (cursor);
        assert.deepEqual(pages, [created.slice(0, 3), created.slice(3)]);

        assert.deepEqual(await orgs.deleteOrganization({ id: acme!.id! }), { success: true, data: { id: acme!.id } });
        const gone = await clientError(orgs.getOrganization({ id: acme!.id! }));
        assert.equal(suite.traffic.last().status, 404);
        assert.match(gone.error, /not found/i);
        assert.deepEqual((await orgs.getOrganizations()).data!.map((o) => o.id), created.slice(1));

        const nameless = await clientError(orgs.addOrganization());
        assert.equal(suite.traffic.last().status, 400);
        assert.match(nameless.error, /name/);
      });
    });

    describe('v1 UsersApi', () => {
      it('reads the current user, all users and one user', async () => {
        const tenant = await newTenant(suite.server);
        const colleague = await tenant.addUser();
        const users = new v1.UsersApi(officialClient(suite.server, tenant.token).v1);

        const me = await users.getCurrentUser();
        assert.equal(suite.traffic.last().path, '/v1/users/me');
        assert.equal(suite.traffic.last().headers['x-api-token'], tenant.token);
        assert.equal(me.data!.id, tenant.userId);
        assert.equal(me.data!.company_id, tenant.companyId);
        assert.equal(me.data!.is_you, true);
        assert.match(me.data!.created!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

        const all = await users.getUsers();
        assert.deepEqual(all.data!.map((u) => u.id).sort((a, b) => a! - b!), [tenant.userId, colleague.userId].sort((a, b) => a - b));

        const other = await users.getUser({ id: colleague.userId });
        assert.equal(other.data!.id, colleague.userId);
        assert.equal(other.data!.is_you, false);
        assert.deepEqual(other.data, all.data!.find((u) => u.id === colleague.userId));

        const stranger = await newTenant(suite.server);
        const missing = await clientError(users.getUser({ id: stranger.userId }));
        assert.equal(suite.traffic.last().status, 404);
        assert.equal(missing.error, 'User not found or not accessible.');
      });

      it('works with the /api/v1 base path the client uses in OAuth mode', async () => {
        const tenant = await newTenant(suite.server);
        const users = new v1.UsersApi(new v1.Configuration({ apiKey: tenant.token, basePath: `${suite.server.url}/api/v1` }));
        assert.equal((await users.getCurrentUser()).data!.id, tenant.userId);
        assert.equal(suite.traffic.last().path, '/api/v1/users/me');
      });
    });
  });
}
