import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { personVcard, readVcards } from '../../../../src/domain/transfer/vcard.ts';
import { applyPersonInput } from '../../../../src/domain/person-model/person-input.ts';
import { emptyPersonValues } from '../../../../src/domain/person-model/person-row.ts';

const NOW = '2026-01-01T00:00:00Z';

describe('vCard mapping', () => {
  it('reads cards into person bodies and reports a broken card alone, with its line', () => {
    const text = [
      'BEGIN:VCARD', 'VERSION:4.0', 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL;TYPE=work:ada@example.com', 'TEL;TYPE=cell:+44 20 7946 0000', 'TITLE:Analyst', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:4.0', 'FN:Grace Hopper',
      'BEGIN:VCARD', 'VERSION:4.0', 'FN:Alan Turing', 'END:VCARD',
    ].join('\r\n');
    const records = readVcards(text);
    assert.equal(records.length, 3);
    const [ada, broken, alan] = records as any[];
    assert.equal(ada.input.name, 'Ada Lovelace');
    assert.equal(ada.input.first_name, 'Ada');
    assert.equal(ada.input.last_name, 'Lovelace');
    assert.equal(ada.input.emails[0].value, 'ada@example.com');
    assert.equal(ada.input.job_title, 'Analyst');
    assert.match(broken.error, /END:VCARD/);
    assert.equal(broken.line, 9);
    assert.equal(alan.input.name, 'Alan Turing');
  });

  it('writes a person as a card that reads back into the same values', () => {
    const values = applyPersonInput(
      emptyPersonValues(1, NOW),
      { name: 'Ada Lovelace', emails: [{ value: 'ada@example.com', label: 'work', primary: true }], phones: [{ value: '+44 20 7946 0000', label: 'mobile', primary: true }], job_title: 'Analyst' },
      true,
      NOW,
    );
    const card = personVcard(7, values, 'Analytical Engines', []);
    const [read] = readVcards(card) as any[];
    assert.equal(read.input.name, 'Ada Lovelace');
    assert.equal(read.input.emails[0].value, 'ada@example.com');
    assert.equal(read.input.phones[0].value, '+44 20 7946 0000');
    assert.equal(read.input.job_title, 'Analyst');
  });
});
