import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeContacts } from '../../../../src/domain/testing/fake-contacts.ts';

describe('fakeContacts', () => {
  it('makes one organization per ten persons, a deal per fifth person, unique e-mails, links in range', () => {
    const { persons, organizations, deals } = fakeContacts({ persons: 200, locale: 'fr', seed: 3 });
    assert.equal(persons.length, 200);
    assert.equal(organizations.length, 20);
    assert.equal(deals.length, 40);
    assert.equal(new Set(persons.map((p) => p.email)).size, 200);
    assert.ok(persons.every((p) => p.organization === null || (p.organization >= 0 && p.organization < 20)));
    const employed = persons.filter((p) => p.organization !== null).length;
    assert.ok(employed > 100 && employed < 180, `about seven in ten work somewhere, got ${employed}`);
    assert.ok(deals.every((d) => d.person % 5 === 0 && d.value >= 500));
  });

  it('is the same for the same seed, and the first persons do not depend on the count', () => {
    const a = fakeContacts({ persons: 50, seed: 9 });
    const b = fakeContacts({ persons: 7, seed: 9 });
    assert.deepEqual(b.persons.map((p) => p.name), a.persons.slice(0, 7).map((p) => p.name));
    assert.notDeepEqual(fakeContacts({ persons: 7, seed: 10 }).persons, b.persons);
  });

  it('refuses an unknown locale, naming it', () => {
    assert.throws(() => fakeContacts({ persons: 1, locale: 'klingon' }), /unknown locale "klingon"/);
  });
});
