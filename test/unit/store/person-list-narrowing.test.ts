import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { narrowsList } from '../../../src/store/repositories/persons.repository.ts';

describe('narrowsList', () => {
  it('ignores the paging a list request carries beside its filter, so a plain page takes the compiled query', () => {
    assert.equal(narrowsList({}), false);
    const paging = { sortBy: 'update_time', direction: 'desc', limit: 100, cursor: 'abc', updatedSince: undefined };
    assert.equal(narrowsList(paging as never), false);
  });

  it('sees every filter key, the saved filter predicate included', () => {
    const narrowing = [
      { ids: [1] },
      { ownerId: 2 },
      { orgId: 3 },
      { dealId: 4 },
      { firstChars: ['a', 'A'] },
      { updatedSince: '2026-01-01 00:00:00' },
      { updatedUntil: '2026-01-01 00:00:00' },
      { predicate: { kind: 'and', parts: [] } },
    ];
    for (const filter of narrowing) assert.equal(narrowsList(filter as never), true, JSON.stringify(filter));
  });
});
