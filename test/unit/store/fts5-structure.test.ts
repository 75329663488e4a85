import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { segmentsOf } from '../../../src/store/search/sqlite-compaction.ts';

const cookie = [0, 0, 0, 7];
const v2 = [0xff, 0, 0, 1];

describe('segmentsOf (an FTS5 structure record)', () => {
  it('reads the segment count after the levels, in both format versions', () => {
    assert.equal(segmentsOf(Uint8Array.from([...cookie, ...v2, 8, 1, 0x2a, 0, 0])), 1);
    assert.equal(segmentsOf(Uint8Array.from([...cookie, 6, 16, 0x2a, 0, 0])), 16);
  });

  it('reads counts of more than one varint byte', () => {
    // 200 = 0b1_1001000: 0x81 then 0x48.
    assert.equal(segmentsOf(Uint8Array.from([...cookie, ...v2, 0x81, 0x02, 0x81, 0x48, 0, 0])), 200);
  });

  it('counts nothing in a table never written', () => {
    assert.equal(segmentsOf(new Uint8Array(0)), 0);
  });
});
