import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CursorCodec } from '../../../src/domain/cursor.ts';

const codec = new CursorCodec('a-secret-for-tests');

describe('cursor codec', () => {
  it('decodes what it encoded, for any sort value and id', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer()), fc.nat(), fc.constantFrom('asc' as const, 'desc' as const), (value, id, direction) => {
        const cursor = codec.encode({ field: 'update_time', direction, value, id });
        assert.deepEqual(codec.decode(cursor, 'update_time', direction), { field: 'update_time', direction, value, id });
      }),
    );
  });

  it('refuses an edited cursor, one made with another secret, and one issued for another sort', () => {
    const cursor = codec.encode({ field: 'id', direction: 'asc', value: 5, id: 5 });
    const [body, mac] = cursor.split('.');
    const edited = Buffer.from(JSON.stringify({ field: 'id', sortDirection: 'asc', fieldValue: 500, id: 500 })).toString('base64url');
    assert.throws(() => codec.decode(`${edited}.${mac}`, 'id', 'asc'), /cursor is not valid/);
    assert.throws(() => codec.decode(`${body}.${mac.slice(0, -1)}x`, 'id', 'asc'), /cursor is not valid/);
    assert.throws(() => new CursorCodec('another').decode(cursor, 'id', 'asc'), /cursor is not valid/);
    assert.throws(() => codec.decode(cursor, 'id', 'desc'), /another sort order/);
    assert.throws(() => codec.decode('nonsense', 'id', 'asc'), /cursor is not valid/);
  });
});
