import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSize } from '../../../../src/domain/search/tier-collector.ts';

describe('candidates read for the rest of a page', () => {
  it('reads what the page still needs, at least fifty, on a tier not read yet', () => {
    assert.equal(readSize(100, 0, 0), 100);
    assert.equal(readSize(3, 0, 0), 50);
  });

  it('reads more where the check in code kept few of the candidates so far, within a bound', () => {
    // One kept in ten: ninety more hits need about nine hundred candidates.
    assert.equal(readSize(90, 100, 10), 900);
    assert.equal(readSize(95, 100, 5), 1000, 'at most a thousand');
    assert.equal(readSize(100, 100, 0), 1000, 'none kept: as many as allowed');
  });

  it('does not read more than the page needs where the candidates were hits', () => {
    assert.equal(readSize(20, 100, 80), 50);
    assert.equal(readSize(500, 500, 0), 1000);
    assert.equal(readSize(500, 1000, 1000), 500);
  });
});
