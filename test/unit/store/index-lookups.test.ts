import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Lookup, lookupKey, tierLookups, termTokens } from '../../../src/store/search/index-lookups.ts';
import type { ColumnMatch } from '../../../src/store/search/search-match.ts';

// Column marks of the person search row: name, email. Term kinds: word start of 2, 3 and 5 letters, letter pair.
const NAME = '\uE010';
const EMAIL = '\uE011';
const START2 = '\uE002';
const START3 = '\uE003';
const START5 = '\uE004';
const PAIR = '\uE000';

describe('terms index lookups', () => {
  it('index the first two, three and five letters of each word long enough', () => {
    const terms = new Set(termTokens('person', { name: '\u0001 radia al 304512 \u0002' }));
    for (const term of [`${START2}ra`, `${START3}rad`, `${START5}radia`, `${START5}30451`, `${START3}304`, 'al', `${START2}al`]) {
      assert.ok(terms.has(NAME + term), `has ${JSON.stringify(term)}`);
    }
    assert.ok(!terms.has(`${NAME}${START3}al`) && ![...terms].some((t) => t.startsWith(NAME + START5 + 'al')), 'no 3- or 5-letter start of a 2-letter word');
    // Counted in characters, not UTF-16 units.
    assert.ok(termTokens('person', { name: '\u0001 東京都港区芝 \u0002' }).includes(`${NAME}${START5}東京都港区`));
  });

  it('index a word of one character as a whole word only, and punctuation not at all', () => {
    const terms = termTokens('person', { name: '\u0001 j . r . r . tolkien 8 \u0002', email: '\u0001 j . smith @ acme . com \u0002' });
    for (const word of [`${NAME}j`, `${NAME}r`, `${NAME}8`, `${EMAIL}j`]) assert.ok(terms.includes(word), `has ${JSON.stringify(word)}`);
    assert.ok(!terms.some((t) => t === `${NAME}.` || t === `${EMAIL}@` || t === `${EMAIL}.`), 'no punctuation');
    assert.ok(!terms.some((t) => t === `${NAME}${START2}j` || t.startsWith(`${NAME}${PAIR}j`)), 'no start or pair of a 1-character word');
    // One character that UTF-16 holds in two units is a word too.
    assert.ok(termTokens('person', { name: '\u0001 𠀋 tanaka \u0002' }).includes(`${NAME}𠀋`));
  });

  it('look a 1-character word of several words up where the match makes it a whole word', () => {
    const text = 'j . smith @ acme . com';
    const tokens = (kind: ColumnMatch['kind']) => JSON.stringify(tierLookups('person', [[{ column: 'email', kind, text }]], 0)[0].positive);
    for (const kind of ['word', 'prefix'] as const) assert.ok(tokens(kind).includes(JSON.stringify(`${EMAIL}j`)), `${kind} looks up j`);
    // Inside words, the first piece may end a longer word (`aj . smith`): no whole-word j.
    assert.ok(!tokens('inner').includes(JSON.stringify(`${EMAIL}j`)));
    // As a word start, a last piece of one character is not in the index: only the whole words before it are asked.
    const [start] = tierLookups('person', [[{ column: 'name', kind: 'prefix', text: 'ada lovelace 8' }]], 0);
    assert.deepEqual(start.positive, { op: 'and', of: [{ op: 'token', token: `${NAME}ada` }, { op: 'token', token: `${NAME}lovelace` }] });
    const [word] = tierLookups('person', [[{ column: 'name', kind: 'word', text: 'ada lovelace 8' }]], 0);
    assert.deepEqual(word.positive, { op: 'and', of: ['ada', 'lovelace', '8'].map((w) => ({ op: 'token', token: `${NAME}${w}` })) });
  });

  it('look a word start of five or more letters up by its first five, then the letter pairs after them', () => {
    const [prefix] = tierLookups('person', [[{ column: 'name', kind: 'prefix', text: 'lovelace' }]], 0);
    assert.deepEqual(prefix.positive, {
      op: 'and',
      of: [
        { op: 'token', token: `${NAME}${START5}lovel` },
        { op: 'token', token: `${NAME}${PAIR}la` },
        { op: 'token', token: `${NAME}${PAIR}ac` },
      ],
    });
    const [short] = tierLookups('person', [[{ column: 'name', kind: 'prefix', text: 'love' }]], 0);
    assert.deepEqual(short.positive, { op: 'and', of: [{ op: 'token', token: `${NAME}${START3}lov` }, { op: 'token', token: `${NAME}${PAIR}ve` }] });
  });

  it('answer a match for the entity and the text asked, whatever it was asked before', () => {
    // `custom` is the fourth column of a person's search row and the third of an organization's.
    const match: ColumnMatch = { column: 'custom', kind: 'word', text: 'acme' };
    const [person] = tierLookups('person', [[match]], 0);
    const [organization] = tierLookups('organization', [[match]], 0);
    assert.deepEqual(person.positive, { op: 'token', token: '\uE013acme' });
    assert.deepEqual(organization.positive, { op: 'token', token: '\uE012acme' });
    assert.deepEqual(tierLookups('person', [[match]], 0)[0].positive, person.positive);
    // A copy carries what was remembered for the original; with other text it must not answer with it.
    const copy: ColumnMatch = { ...match, text: 'globex' };
    assert.deepEqual(tierLookups('person', [[copy]], 0)[0].positive, { op: 'token', token: '\uE013globex' });
    assert.equal(tierLookups('person', [[{ ...match, kind: 'exact' }]], 0)[0].positive.op, 'token');
    assert.notDeepEqual(tierLookups('person', [[{ ...match, kind: 'exact' }]], 0)[0].positive, person.positive);
  });

  it('name different lookups differently, whatever their tokens hold', () => {
    const token = (text: string): Lookup => ({ op: 'token', token: text });
    const lookups: Lookup[] = [
      { op: 'and', of: [token('a'), token('b')] },
      { op: 'or', of: [token('a'), token('b')] },
      token('and(1:a,1:b)'),
      { op: 'and', of: [token('a,1:b')] },
      { op: 'and', of: [token('a'), { op: 'or', of: [token('b')] }] },
      { op: 'not', of: token('a'), except: token('b') },
      { op: 'and', of: [token('1:a'), token('b')] },
    ];
    assert.equal(new Set(lookups.map(lookupKey)).size, lookups.length);
    assert.equal(lookupKey({ op: 'or', of: [token('a'), token('b')] }), lookupKey({ op: 'or', of: [token('a'), token('b')] }));
  });
});
