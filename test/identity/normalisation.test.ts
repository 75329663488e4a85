import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { emailKey, phoneKey } from '../../src/domain/normalize/contact-keys.ts';
import { nameKey, nameSimilarity, surnameKey } from '../../src/domain/normalize/name-keys.ts';
import { type Api, type TestServer, newTenant, startTestServer, testBackends } from '../helpers/server.ts';

describe('canonical keys', () => {
  it('reads phone numbers of several countries as E.164, national ones in the given region', () => {
    const table: Array<[string, 'FR' | 'DE' | 'US' | 'GB' | 'IT' | 'JP' | 'BR' | 'IN' | undefined, string]> = [
      ['06 28 23 04 55', 'FR', '+33628230455'],
      ['0628230455', 'FR', '+33628230455'],
      ['+33628230455', undefined, '+33628230455'],
      ['+33 (0)6 28 23 04 55', undefined, '+33628230455'],
      ['0033 6 28 23 04 55', 'FR', '+33628230455'],
      ['030 1234567', 'DE', '+49301234567'],
      ['+49 30 1234567', 'FR', '+49301234567'],
      ['(415) 555-0100', 'US', '+14155550100'],
      ['+1 415-555-0100', 'DE', '+14155550100'],
      ['020 7946 0958', 'GB', '+442079460958'],
      ['06 6982 1234', 'IT', '+390669821234'],
      ['03-1234-5678', 'JP', '+81312345678'],
      ['(11) 91234-5678', 'BR', '+5511912345678'],
      ['098765 43210', 'IN', '+919876543210'],
    ];
    for (const [value, region, expected] of table) assert.equal(phoneKey(value, region), expected, `${value} in ${region}`);
  });

  it('falls back to the digits of a number it cannot read', () => {
    assert.equal(phoneKey('06 28 23 04 55', undefined), '0628230455');
    assert.equal(phoneKey('ext. 1234', 'FR'), '1234');
    assert.equal(phoneKey('112', 'FR'), '112');
  });

  it('lower-cases emails and writes unicode domains in IDNA form', () => {
    const table: Array<[string, string]> = [
      ['Jane.Doe@Example.COM', 'jane.doe@example.com'],
      ['jörg@Bücher.DE', 'jörg@xn--bcher-kva.de'],
      ['info@xn--bcher-kva.de', 'info@xn--bcher-kva.de'],
      ['ventas@españa.es', 'ventas@xn--espaa-rta.es'],
      ['user@例え.jp', 'user@xn--r8jz45g.jp'],
      ['  a@B.c  ', 'a@b.c'],
    ];
    for (const [value, expected] of table) assert.equal(emailKey(value), expected, value);
    assert.equal(emailKey('x@Bücher.de'), emailKey('X@bu\u0308cher.de'), 'NFC and NFD spellings are one key');
  });

  it('folds names into sorted tokens without case, accents or punctuation', () => {
    const table: Array<[string, string]> = [
      ['Jérôme Dupont', 'dupont jerome'],
      ['DUPONT, Jérôme', 'dupont jerome'],
      ["Seán O'Brien-Smith", 'brien o sean smith'],
      ['Łukasz Żółć', 'lukasz zolc'],
      ['Straße Groß', 'gross strasse'],
      ['  ', ''],
    ];
    for (const [value, expected] of table) assert.equal(nameKey(value), expected, value);
    assert.equal(surnameKey('Jérôme Dupont', null), 'dupont');
    assert.equal(surnameKey('Jérôme Dupont', 'Du-Pont'), 'pont');
    assert.equal(surnameKey('Cher', null), null);
    assert.ok(nameSimilarity('Jon Smith', 'John Smith') >= 0.6);
    assert.ok(nameSimilarity('Ann Smith', 'Robert Smith') < 0.6);
  });
});

for (const backend of testBackends()) {
  describe(`normalised contact data over HTTP [${backend.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    async function frenchTenant(): Promise<Api> {
      const { api } = await newTenant(server);
      const res = await api.patch('/api/v2/identitySettings', { default_region: 'fr' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.data.default_region, 'FR');
      return api;
    }

    const searchIds = async (api: Api, term: string) => {
      const res = await api.get(`/api/v2/persons/search?term=${encodeURIComponent(term)}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.items.map((i: any) => i.item.id).sort();
    };

    it('keeps the value as sent and finds one number by every spelling', async () => {
      const api = await frenchTenant();
      const national = (await api.post('/api/v2/persons', { name: 'National', phones: [{ value: '06 28 23 04 55' }] })).body.data;
      const international = (await api.post('/api/v2/persons', { name: 'International', phones: [{ value: '+33628230455' }] })).body.data;
      assert.equal(national.phones[0].value, '06 28 23 04 55', 'the value is stored as sent');
      for (const term of ['06 28 23 04 55', '0628230455', '+33628230455', '+33 6 28 23 04 55', '628230455']) {
        assert.deepEqual(await searchIds(api, term), [national.id, international.id].sort(), term);
      }
      const v1 = await api.get(`/v1/itemSearch?term=${encodeURIComponent('+33 6 28 23 04 55')}&item_types=person`);
      assert.equal(v1.body.data.items.length, 2);
    });

    it('still finds numbers by their digits, as before, in a company without a region', async () => {
      const { api } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Digits', phones: [{ value: '(415) 555-0100' }] })).body.data;
      assert.deepEqual(await searchIds(api, '4155550100'), [person.id]);
      assert.deepEqual(await searchIds(api, '555-0100'), [person.id]);
    });

    it('re-keys the company\'s numbers when its region changes', async () => {
      const { api } = await newTenant(server);
      const person = (await api.post('/api/v2/persons', { name: 'Later', phones: [{ value: '030 1234567' }] })).body.data;
      assert.deepEqual(await searchIds(api, '+49301234567'), []);
      assert.equal((await api.patch('/api/v2/identitySettings', { default_region: 'DE' })).status, 200);
      assert.deepEqual(await searchIds(api, '+49301234567'), [person.id]);
      const settings = await api.get('/api/v2/identitySettings');
      assert.deepEqual(settings.body.data, { default_region: 'DE', duplicate_policy: null, effective_region: 'DE', effective_duplicate_policy: 'allow' });
    });

    it('refuses an unknown region and lets only admins change the settings', async () => {
      const tenant = await newTenant(server);
      const res = await tenant.api.patch('/api/v2/identitySettings', { default_region: 'XX' });
      assert.equal(res.status, 400);
      assert.match(res.body.error, /default_region "XX"/);
      const user = await tenant.addUser();
      assert.equal((await user.api.patch('/api/v2/identitySettings', { duplicate_policy: 'reject' })).status, 403);
      assert.equal((await user.api.get('/api/v2/identitySettings')).status, 200);
    });

    it('treats emails with unicode domains and different case as one address', async () => {
      const { api } = await newTenant(server);
      const a = (await api.post('/api/v2/persons', { name: 'Jörg Müller', emails: [{ value: 'Jorg@Bücher.de' }] })).body.data;
      const b = (await api.post('/api/v2/persons', { name: 'J. Müller', emails: [{ value: 'jorg@xn--bcher-kva.de' }] })).body.data;
      assert.equal(a.emails[0].value, 'Jorg@Bücher.de');
      const dupes = await api.get(`/api/v2/persons/${a.id}/duplicates`);
      assert.equal(dupes.status, 200);
      assert.equal(dupes.body.data[0].id, b.id);
      assert.deepEqual(dupes.body.data[0].matches.find((m: any) => m.rule === 'same_email').keys, ['jorg@xn--bcher-kva.de']);
    });
  });
}
