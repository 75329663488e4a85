import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

async function person(api: Api, body: Record<string, unknown>, query = ''): Promise<any> {
  const res = await api.post(`/api/v2/persons${query}`, body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

async function duplicates(api: Api, id: number): Promise<any[]> {
  const res = await api.get(`/api/v2/persons/${id}/duplicates`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

for (const backend of testBackends()) {
  describe(`GET /api/v2/persons/{id}/duplicates [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('finds each rule with the fields and keys that matched, scored, best first', async () => {
      const { api } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id;
      const subject = await person(api, {
        name: 'Jérôme Dupont',
        org_id: org,
        emails: [{ value: 'Jerome.Dupont@Acme-Corp.fr' }],
        phones: [{ value: '+33 6 28 23 04 55' }],
      });
      const sameEmail = await person(api, { name: 'Someone Else', emails: [{ value: 'jerome.dupont@acme-corp.fr' }] });
      const samePhone = await person(api, { name: 'Another', phones: [{ value: '+33628230455' }] });
      const sameNameSameOrg = await person(api, { name: 'jerome DUPONT', org_id: org });
      const similarNameSameDomain = await person(api, { name: 'Jerome A. Dupont', emails: [{ value: 'jd@acme-corp.fr' }] });
      const sameName = await person(api, { name: 'Dupont, Jérôme' });
      await person(api, { name: 'Unrelated', emails: [{ value: 'x@acme-corp.fr' }] });
      await person(api, { name: 'Jerome Dupont', emails: [{ value: 'jerome@gmail.com' }], visible_to: 7 });

      const found = await duplicates(api, subject.id);
      const byId = new Map(found.map((d) => [d.id, d]));
      const rule = (id: number) => byId.get(id)?.rule;
      assert.equal(rule(sameEmail.id), 'same_email');
      assert.equal(rule(samePhone.id), 'same_phone');
      assert.equal(rule(sameNameSameOrg.id), 'same_name_same_organization');
      assert.equal(rule(similarNameSameDomain.id), 'similar_name_shared_email_domain');
      assert.equal(rule(sameName.id), 'same_name');
      assert.deepEqual(byId.get(sameEmail.id).matches[0], { rule: 'same_email', score: 0.95, fields: ['emails'], keys: ['jerome.dupont@acme-corp.fr'] });
      assert.deepEqual(byId.get(samePhone.id).matches[0].keys, ['+33628230455']);
      assert.deepEqual(byId.get(sameNameSameOrg.id).matches[0].fields, ['name', 'org_id']);
      assert.deepEqual(byId.get(similarNameSameDomain.id).matches[0].keys, ['acme-corp.fr']);
      assert.equal(found.some((d) => d.name === 'Unrelated'), false, 'a shared domain alone is no match');
      assert.equal(found.some((d) => d.id === subject.id), false, 'a person is not its own duplicate');
      const scores = found.map((d) => d.score);
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best first');
      assert.equal(found[0].id, sameEmail.id);
    });

    it('adds up several rules into a higher score', async () => {
      const { api } = await newTenant(server);
      const a = await person(api, { name: 'Ann Lee', emails: [{ value: 'ann@lee.dev' }], phones: [{ value: '+44 20 7946 0958' }] });
      const both = await person(api, { name: 'A. Lee', emails: [{ value: 'ANN@lee.dev' }], phones: [{ value: '+442079460958' }] });
      const one = await person(api, { name: 'Other Lee', emails: [{ value: 'ann@lee.dev' }] });
      const found = await duplicates(api, a.id);
      assert.deepEqual(found.map((d) => d.id), [both.id, one.id]);
      assert.ok(found[0].score > found[1].score);
      assert.deepEqual(found[0].matches.map((m: any) => m.rule).slice(0, 2), ['same_email', 'same_phone']);
    });

    it('leaves out deleted persons and persons the caller may not see; 404 for an unknown or hidden person', async () => {
      const tenant = await newTenant(server);
      const other = await tenant.addUser();
      const mine = await person(other.api, { name: 'Mine', emails: [{ value: 'dup@corp.io' }], visible_to: 7 });
      const hidden = await person(tenant.api, { name: 'Hidden', emails: [{ value: 'dup@corp.io' }], visible_to: 1 });
      const gone = await person(other.api, { name: 'Gone', emails: [{ value: 'dup@corp.io' }], visible_to: 7 });
      await other.api.delete(`/api/v2/persons/${gone.id}`);
      assert.deepEqual(await duplicates(other.api, mine.id), []);
      assert.deepEqual((await duplicates(tenant.api, mine.id)).map((d) => d.id), [hidden.id], 'an admin sees it');
      assert.equal((await other.api.get(`/api/v2/persons/${hidden.id}/duplicates`)).status, 404);
      assert.equal((await tenant.api.get('/api/v2/persons/99999999/duplicates')).status, 404);
    });
  });

  describe(`duplicate policy on create, update and per company [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('allow (the default) creates duplicates as Pipedrive does', async () => {
      const { api } = await newTenant(server);
      const a = await person(api, { name: 'Jane', emails: [{ value: 'jane@x.io' }] });
      const b = await person(api, { name: 'Jane', emails: [{ value: 'jane@x.io' }] });
      assert.notEqual(a.id, b.id);
      const c = await person(api, { name: 'Jane', emails: [{ value: 'jane@x.io' }] }, '?duplicate_policy=allow');
      assert.notEqual(c.id, b.id);
    });

    it('reject answers 409 naming the existing person and the rule, and writes nothing', async () => {
      const { api } = await newTenant(server);
      const a = await person(api, { name: 'Jane', phones: [{ value: '+33 6 28 23 04 55' }] });
      const res = await api.post('/api/v2/persons?duplicate_policy=reject', { name: 'Other', phones: [{ value: '+33628230455' }] });
      assert.equal(res.status, 409);
      assert.equal(res.body.success, false);
      assert.match(res.body.error, new RegExp(`person ${a.id}`));
      assert.match(res.body.error, /phone/);
      assert.deepEqual(res.body.additional_data, { duplicate_of: a.id, name: 'Jane', rule: 'same_phone', matched_fields: ['phones'], matched_keys: ['+33628230455'] });
      assert.equal((await api.get('/api/v2/persons')).body.data.length, 1);
      const viaHeader = await api.post('/api/v2/persons', { name: 'Other', phones: [{ value: '+33628230455' }] }, { 'x-duplicate-policy': 'reject' });
      assert.equal(viaHeader.status, 409);
      const unrelated = await api.post('/api/v2/persons?duplicate_policy=reject', { name: 'Nobody', phones: [{ value: '+33 1 23 45 67 89' }] });
      assert.equal(unrelated.status, 200);
    });

    it('an edit of one contact list keeps the keys of the others and of the name, and replaces its own', async () => {
      const { api } = await newTenant(server);
      const subject = await person(api, { name: 'Grace Hopper', emails: [{ value: 'grace@navy.example' }], phones: [{ value: '+1 415 555 0101' }] });
      const sameEmail = await person(api, { name: 'Someone', emails: [{ value: 'GRACE@navy.example' }] });
      const sameDomain = await person(api, { name: 'G. Hopper', emails: [{ value: 'gh@navy.example' }] });
      const oldPhone = await person(api, { name: 'Old Phone', phones: [{ value: '+14155550101' }] });
      const newPhone = await person(api, { name: 'New Phone', phones: [{ value: '+14155550202' }] });
      const newEmail = await person(api, { name: 'New Email', emails: [{ value: 'hopper@cobol.example' }] });
      const rules = async () => new Map((await duplicates(api, subject.id)).map((d) => [d.id, d.rule]));

      assert.equal((await api.patch(`/api/v2/persons/${subject.id}`, { phones: [{ value: '+1 415 555 0202' }] })).status, 200);
      let found = await rules();
      assert.equal(found.get(sameEmail.id), 'same_email');
      assert.equal(found.get(sameDomain.id), 'similar_name_shared_email_domain');
      assert.equal(found.get(newPhone.id), 'same_phone');
      assert.equal(found.has(oldPhone.id), false, 'the replaced phone no longer matches');

      assert.equal((await api.patch(`/api/v2/persons/${subject.id}`, { emails: [{ value: 'hopper@cobol.example' }] })).status, 200);
      found = await rules();
      assert.equal(found.get(newPhone.id), 'same_phone', 'the phones kept their keys');
      assert.equal(found.get(newEmail.id), 'same_email');
      assert.equal(found.has(sameEmail.id), false, 'the replaced email no longer matches');
      assert.equal(found.has(sameDomain.id), false, 'nor its domain');
      const ofNewPhone = await duplicates(api, newPhone.id);
      assert.equal(ofNewPhone.find((d) => d.id === subject.id)?.rule, 'same_phone', 'found from the other side too');
    });

    it('reject on update: a change that makes a duplicate is a 409; other changes pass', async () => {
      const { api } = await newTenant(server);
      const a = await person(api, { name: 'A', emails: [{ value: 'a@corp.io' }] });
      const b = await person(api, { name: 'B', emails: [{ value: 'b@corp.io' }] });
      const res = await api.patch(`/api/v2/persons/${b.id}?duplicate_policy=reject`, { emails: [{ value: 'A@corp.io' }] });
      assert.equal(res.status, 409);
      assert.equal(res.body.additional_data.duplicate_of, a.id);
      assert.equal((await api.get(`/api/v2/persons/${b.id}`)).body.data.emails[0].value, 'b@corp.io');
      assert.equal((await api.patch(`/api/v2/persons/${b.id}?duplicate_policy=reject`, { job_title: 'CTO' })).status, 200);
      assert.equal((await api.patch(`/api/v2/persons/${b.id}?duplicate_policy=upsert`, { emails: [{ value: 'a@corp.io' }] })).status, 409, 'upsert guards an update like reject');
    });

    it('upsert updates the match instead of creating: given fields overwrite, contacts are added', async () => {
      const { api } = await newTenant(server);
      const a = await person(api, { name: 'Jane Doe', emails: [{ value: 'jane@corp.io', label: 'work' }], job_title: 'Dev' });
      const res = await api.post('/api/v2/persons?duplicate_policy=upsert', {
        name: 'Jane Doe',
        emails: [{ value: 'JANE@corp.io' }, { value: 'jane@home.io', label: 'home' }],
        job_title: 'CTO',
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-personsd-upserted'), String(a.id));
      assert.equal(res.body.data.id, a.id);
      assert.equal(res.body.data.job_title, 'CTO');
      assert.deepEqual(res.body.data.emails, [
        { value: 'jane@corp.io', primary: true, label: 'work' },
        { value: 'jane@home.io', primary: false, label: 'home' },
      ]);
      assert.equal((await api.get('/api/v2/persons')).body.data.length, 1);
      const fresh = await api.post('/api/v2/persons?duplicate_policy=upsert', { name: 'New Person' });
      assert.equal(fresh.headers.get('x-personsd-upserted'), null);
      assert.notEqual(fresh.body.data.id, a.id);
    });

    it('same name in the same organization is a duplicate for the policy; a weak rule alone is not', async () => {
      const { api } = await newTenant(server);
      const org = (await api.post('/api/v2/organizations', { name: 'Acme' })).body.data.id;
      await person(api, { name: 'Léa Martin', org_id: org });
      assert.equal((await api.post('/api/v2/persons?duplicate_policy=reject', { name: 'lea martin', org_id: org })).status, 409);
      assert.equal((await api.post('/api/v2/persons?duplicate_policy=reject', { name: 'Léa Martin' })).status, 200, 'same name elsewhere is only a hint');
    });

    it('a company policy applies when the request names none; the request overrides it', async () => {
      const { api } = await newTenant(server);
      assert.equal((await api.patch('/api/v2/identitySettings', { duplicate_policy: 'reject' })).status, 200);
      await person(api, { name: 'X', emails: [{ value: 'x@corp.io' }] });
      assert.equal((await api.post('/api/v2/persons', { name: 'Y', emails: [{ value: 'x@corp.io' }] })).status, 409);
      assert.equal((await api.post('/api/v2/persons?duplicate_policy=allow', { name: 'Y', emails: [{ value: 'x@corp.io' }] })).status, 200);
      const bad = await api.post('/api/v2/persons?duplicate_policy=maybe', { name: 'Z' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /duplicate_policy/);
    });

    it('a duplicate the caller may not see does not block or leak', async () => {
      const tenant = await newTenant(server);
      const user = await tenant.addUser();
      await person(tenant.api, { name: 'Secret', emails: [{ value: 's@corp.io' }], visible_to: 1 });
      const res = await user.api.post('/api/v2/persons?duplicate_policy=reject', { name: 'Mine', emails: [{ value: 's@corp.io' }] });
      assert.equal(res.status, 200);
    });
  });
}
