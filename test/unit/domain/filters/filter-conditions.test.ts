import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freezeClock, resetClock } from '../../../../src/domain/clock.ts';
import { DomainError } from '../../../../src/domain/errors.ts';
import { parseConditionTree } from '../../../../src/domain/filters/filter-conditions.ts';
import { FilterFields, customFilterField } from '../../../../src/domain/filters/filter-fields.ts';
import { conditionPredicate } from '../../../../src/domain/filters/filter-predicate.ts';
import { relativeDays } from '../../../../src/domain/filters/relative-dates.ts';

const fields = new FilterFields([
  { id: '1', key: 'name', name: 'Name', kind: 'text', target: { kind: 'column', column: 'name', type: 'text' } },
  { id: '2', key: 'add_time', name: 'Person created', kind: 'date', target: { kind: 'column', column: 'add_time', type: 'text' } },
  { id: '3', key: 'label', name: 'Labels', kind: 'set', target: { kind: 'json-set', column: 'label_ids', path: [] } },
  customFilterField({ id: 40, key: 'abc', name: 'Budget', type: 'monetary' })!,
  customFilterField({ id: 41, key: 'addr', name: 'Office', type: 'address' })!,
]);
const tree = (...lines: unknown[]) => ({ glue: 'and', conditions: [{ glue: 'and', conditions: lines }, { glue: 'or', conditions: [] }] });
const line = (field_id: string | number, operator: string, value: unknown = null, extra_value: unknown = null) => ({ object: 'person', field_id, operator, value, extra_value });
const orgFields = new FilterFields([{ id: 'name', key: 'name', name: 'Name', kind: 'text', target: { kind: 'column', column: 'name', type: 'text' } }]);
const scope = { object: 'person', fields, related: { organization: { fields: orgFields, table: 'organizations' as const, via: 'org_id' } } };
const predicate = (raw: unknown, at?: number) => conditionPredicate(parseConditionTree(raw), scope, at);

function refuses(run: () => unknown, message: RegExp): void {
  assert.throws(run, (err: unknown) => err instanceof DomainError && err.kind === 'invalid' && message.test(err.message));
}

describe('filter condition trees', () => {
  it('reads Pipedrive trees, drops empty groups, and keeps numbers as their text', () => {
    const parsed = parseConditionTree(tree(line(40, '>', 100)));
    assert.deepEqual(parsed.conditions[0], { glue: 'and', conditions: [{ object: 'person', field_id: '40', operator: '>', value: '100', extra_value: null }] });
    assert.deepEqual(predicate(tree(line('40', '>', '100'))), {
      kind: 'and',
      parts: [{ kind: 'and', parts: [{ kind: 'leaf', target: { kind: 'json', column: 'custom_fields', path: ['abc', 'value'], type: 'number' }, test: { op: 'cmp', cmp: '>', value: 100 } }] }],
    });
    assert.deepEqual(predicate(tree()), { kind: 'and', parts: [] }, 'nothing but empty groups selects everything');
    assert.deepEqual(predicate(tree(line('name', 'like \'%$%\'', 'x'))).kind, 'and', 'fields by key, operators in any case');
  });

  it('turns negative operators into the complement and picks address parts by extra_value', () => {
    const leaf = (p: any) => p.parts[0].parts[0];
    assert.deepEqual(leaf(predicate(tree(line('1', "NOT LIKE '$%'", 'Jo')))), { kind: 'not', part: { kind: 'leaf', target: { kind: 'column', column: 'name', type: 'text' }, test: { op: 'like', prefix: true, text: 'Jo' } } });
    assert.deepEqual(leaf(predicate(tree(line('3', 'IS NOT NULL')))).kind, 'not');
    assert.deepEqual(leaf(predicate(tree(line('41', "LIKE '%$%'", 'Tallinn', 'locality')))).target.path, ['addr', 'locality']);
    assert.deepEqual(leaf(predicate(tree(line('41', '=', 'x')))).target.path, ['addr', 'value']);
  });

  it("tests a linked record's fields on that record; a missing link counts as a record with no values", () => {
    const org = (operator: string, value: string | null = null) => (predicate(tree({ ...line('name', operator, value), object: 'organization' })) as any).parts[0].parts[0];
    const name = { kind: 'leaf', target: { kind: 'column', column: 'name', type: 'text' }, test: { op: 'like', prefix: false, text: 'acme' } };
    assert.deepEqual(org("LIKE '%$%'", 'acme'), { kind: 'related', table: 'organizations', via: 'org_id', part: name, whenMissing: false });
    assert.deepEqual(org("NOT LIKE '%$%'", 'acme').whenMissing, true, 'a person without an organization has no name containing it');
    assert.equal(org('IS NULL').whenMissing, true);
    assert.equal(org('IS NOT NULL').whenMissing, false);
    refuses(() => predicate(tree({ ...line('nope', '=', 'x'), object: 'organization' })), /field_id "nope" is not an organization field/);
  });

  it('names the bad part of a refused tree', () => {
    refuses(() => predicate([]), /^conditions must be an object/);
    refuses(() => predicate({ glue: 'and', conditions: [{ glue: 'nor', conditions: [] }] }), /conditions\.conditions\[0\]\.glue/);
    refuses(() => predicate(tree(line('9', '=', 'x'))), /conditions\.conditions\[0\]\.conditions\[0\]\.field_id "9"/);
    refuses(() => predicate(tree(line('1', '>', 'x'))), /operator ">" cannot be used with field "Name" \(text\)/);
    refuses(() => predicate(tree(line('3', '=', 'red'))), /value must be an id/);
    refuses(() => predicate(tree(line('40', '<', '1e'))), /value must be a number/);
    refuses(() => predicate(tree(line('2', '=', 'next_decade'))), /value must be a date/);
    refuses(() => predicate(tree(line('1', '=', { nested: true }))), /value must be a string, a number or null/);
    refuses(() => predicate(tree({ ...line('1', '=', 'x'), object: 'deal' })), /object is "deal"/);
    refuses(() => predicate(tree(...Array.from({ length: 17 }, () => line('1', '=', 'x')))), /at most 16/);
    let deep: unknown = { glue: 'and', conditions: [] };
    for (let i = 0; i < 4; i++) deep = { glue: 'and', conditions: [deep] };
    refuses(() => predicate(deep), /nested too deep/);
  });

  it('resolves date operators to whole days, relative ones on the clock when applied', () => {
    const at = Date.UTC(2025, 4, 14, 15, 30); // Wednesday 14 May 2025
    const leaf = (operator: string, value: string) => (predicate(tree(line('2', operator, value)), at) as any).parts[0].parts[0];
    const cmp = (cmp: string, value: string) => ({ kind: 'leaf', target: { kind: 'column', column: 'add_time', type: 'text' }, test: { op: 'cmp', cmp, value } });
    assert.deepEqual(leaf('=', 'this_week'), { kind: 'and', parts: [cmp('>=', '2025-05-12'), cmp('<', '2025-05-19')] });
    assert.deepEqual(leaf('>', '2025-01-31'), cmp('>=', '2025-02-01'));
    assert.deepEqual(leaf('<', 'last_quarter'), cmp('<', '2025-01-01'));
    assert.deepEqual(leaf('<=', 'yesterday'), cmp('<', '2025-05-14'));
    assert.deepEqual(leaf('!=', 'today'), { kind: 'not', part: { kind: 'and', parts: [cmp('>=', '2025-05-14'), cmp('<', '2025-05-15')] } });
  });

  it('computes relative spans in UTC with weeks from Monday, and follows a frozen clock', () => {
    const at = Date.UTC(2024, 2, 31, 23, 59); // Sunday 31 March 2024 (leap year)
    assert.deepEqual(relativeDays('today', at), { from: '2024-03-31', to: '2024-04-01' });
    assert.deepEqual(relativeDays('this_week', at), { from: '2024-03-25', to: '2024-04-01' });
    assert.deepEqual(relativeDays('last_week', at), { from: '2024-03-18', to: '2024-03-25' });
    assert.deepEqual(relativeDays('last_month', at), { from: '2024-02-01', to: '2024-03-01' });
    assert.deepEqual(relativeDays('1_months_ago', at), { from: '2024-02-29', to: '2024-03-01' }, 'the month is shorter: its last day');
    assert.deepEqual(relativeDays('this_quarter', at), { from: '2024-01-01', to: '2024-04-01' });
    assert.deepEqual(relativeDays('next_quarter', at), { from: '2024-04-01', to: '2024-07-01' });
    assert.deepEqual(relativeDays('last_year', at), { from: '2023-01-01', to: '2024-01-01' });
    assert.deepEqual(relativeDays('in_2_weeks', at), { from: '2024-04-14', to: '2024-04-15' });
    assert.deepEqual(relativeDays('before_today', at), { from: '0000-01-01', to: '2024-03-31' });
    assert.equal(relativeDays('2024-01-01', at), undefined);
    freezeClock(Date.UTC(2030, 0, 1, 12));
    try {
      assert.deepEqual(relativeDays('yesterday'), { from: '2029-12-31', to: '2030-01-01' });
    } finally {
      resetClock();
    }
  });
});
