import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldOfError } from '../../../console/src/field-errors.ts';

const FIELDS = ['name', 'first_name', 'emails', 'phones', 'im', 'visible_to', 'birthday', 'org_id', 'custom_fields'];
const KEY = 'a'.repeat(40);

describe('console: which field an API error names', () => {
  it('maps the API messages to the form field, contact row or custom field they name', () => {
    const cases: Array<[string, string | undefined]> = [
      ['emails[1].value "x" is not a valid email address', 'emails.1'],
      ['birthday must be a real date in the form YYYY-MM-DD; got "2020-13-01"', 'birthday'],
      ['name must not be empty', 'name'],
      ['body/visible_to must be integer', 'visible_to'],
      [`custom_fields.${KEY} ("Shoe size") must be a number`, `custom_fields.${KEY}`],
      ['"Shoe size" must be a number', `custom_fields.${KEY}`],
      ['org_id 9 is not an organization of this company', 'org_id'],
      ['visible_to must be one of 1, 3, 5, 7; got 4', 'visible_to'],
      ['Something went wrong', undefined],
    ];
    for (const [message, field] of cases) assert.equal(fieldOfError(message, FIELDS, { [KEY]: 'Shoe size' }), field, message);
  });
});
