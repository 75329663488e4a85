import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contactKey, emailDomain, emailKey, parseRegion, phoneKey } from '../../../../src/domain/normalize/contact-keys.ts';

describe('contact keys', () => {
  it('keys a national phone number by its E.164 form in the region, and an international one anywhere', () => {
    assert.equal(phoneKey('06 28 23 04 55', 'FR'), '+33628230455');
    assert.equal(phoneKey('+33 6 28 23 04 55', undefined), '+33628230455');
    assert.equal(phoneKey('+33 6 28 23 04 55', 'DE'), '+33628230455');
    assert.equal(phoneKey('(030) 123456', 'DE'), phoneKey('+49 30 123456', undefined));
  });

  it('keys e-mail addresses case-insensitively, with international domains in their ASCII form', () => {
    assert.equal(emailKey('Ada@Example.COM'), emailKey('ada@example.com'));
    assert.equal(emailDomain(emailKey('jürgen@bücher.de')), 'xn--bcher-kva.de');
    assert.equal(contactKey('email', ' ADA@example.com ', undefined), emailKey('ada@example.com'));
  });

  it('reads region codes in any case and refuses unknown ones, naming the field', () => {
    assert.equal(parseRegion('fr', 'region'), 'FR');
    assert.throws(() => parseRegion('XX', 'default_region'), /default_region/);
  });
});
