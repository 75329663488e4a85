import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v1ActivityOwner } from '../../../../src/domain/activities/v1-activity-owner.ts';

/* Whose activities v1's GET /activities lists (no owner condition is `undefined`). */
describe("v1 GET /activities' owner", () => {
  const caller = 7;
  it("is the caller's own without user_id or a filter", () => assert.equal(v1ActivityOwner({}, caller), caller));
  it('is left to the saved filter when one is given without user_id', () => assert.equal(v1ActivityOwner({ filterId: 3 }, caller), undefined));
  it("is every user's for user_id=0, with or without a filter", () => {
    assert.equal(v1ActivityOwner({ userId: 0 }, caller), undefined);
    assert.equal(v1ActivityOwner({ userId: 0, filterId: 3 }, caller), undefined);
  });
  it('is the user named, with or without a filter', () => {
    assert.equal(v1ActivityOwner({ userId: 12 }, caller), 12);
    assert.equal(v1ActivityOwner({ userId: 12, filterId: 3 }, caller), 12);
  });
});
