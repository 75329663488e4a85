import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyPassword } from '../../../../src/domain/access/passwords.ts';

describe('console passwords', () => {
  it('hashes with scrypt and a salt of its own, verifies only the right password, and refuses malformed hashes and short passwords', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    assert.match(a, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.notEqual(a, b, 'a new salt each time');
    assert.equal(await verifyPassword('correct horse', a), true);
    assert.equal(await verifyPassword('correct horse', b), true);
    assert.equal(await verifyPassword('Correct horse', a), false);
    // Unicode is normalised: the same password typed as composed or decomposed characters matches.
    assert.equal(await verifyPassword('cafe\u0301 au lait', await hashPassword('caf\u00e9 au lait')), true);
    for (const broken of ['', 'plain', 'scrypt$x$8$1$aa$bb', 'scrypt$4194304$8$1$aa$bb', a.replace('scrypt', 'bcrypt')]) assert.equal(await verifyPassword('correct horse', broken), false, broken);
    await assert.rejects(hashPassword('short'), /at least 8 characters/);
  });
});
