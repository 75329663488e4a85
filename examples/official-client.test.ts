// An integration's test suite against personsd, as the README shows: the official `pipedrive` client pointed at
// a personsd started in the test's own process, reset between tests, with a fault to check the retry path.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import { type Personsd, startPersonsd } from 'personsd/testing';

describe('my integration, against personsd', () => {
  let personsd: Personsd;
  let persons: v2.PersonsApi;
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${personsd.url}/_personsd${path}`, {
      method,
      headers: { 'x-personsd-admin-token': personsd.adminToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json());

  before(async () => {
    personsd = await startPersonsd();
    persons = new v2.PersonsApi(new v2.Configuration({ apiKey: personsd.token, basePath: personsd.apiUrl }));
  });
  after(() => personsd.stop());
  beforeEach(() => personsd.reset());

  it('creates a person and finds it again', async () => {
    const { data: created } = await persons.addPerson({ AddPersonRequest: { name: 'Ada Lovelace', emails: [{ value: 'ada@example.com', primary: true }] } });
    const { data: found } = await persons.searchPersons({ term: 'Lovelace' });
    assert.deepEqual(found?.items?.map((i) => i.item?.id), [created!.id]);
    const me = await new v1.UsersApi(new v1.Configuration({ apiKey: personsd.token, basePath: `${personsd.url}/v1` })).getCurrentUser();
    assert.equal(me.data?.company_id, personsd.companyId);
  });

  it('starts every test from an empty company', async () => {
    const { data } = await persons.getPersons();
    assert.deepEqual(data, []);
  });

  it('sees a rate limit as Pipedrive would answer it', async () => {
    await admin('POST', '/faults', { method: 'GET', path: '/api/v2/persons', status: 429, times: 1 });
    await assert.rejects(persons.getPersons(), (error: any) => error.error === 'Request over limit');
    const { data } = await persons.getPersons();
    assert.deepEqual(data, [], 'the next call goes through');
    const journal = await admin('GET', '/requests?path=/api/v2/persons');
    assert.deepEqual(journal.data.map((r: any) => r.status), [200, 429]);
  });
});
