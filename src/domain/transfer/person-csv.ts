import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { ADDRESS_PARTS } from '../address.js';
import type { PersonFieldDefinitions } from '../person-fields/definitions.js';
import type { Contact } from '../person-model/contacts.js';
import type { PersonValues } from '../person-model/person-input.js';
import { fold } from '../search/search-text.js';
import { customCellText } from './person-columns.js';

/**
 * One data row of a CSV file: its cells, or why it could not be read; or a blank row (no cell holds anything but
 * spaces, an empty line included), which has no row number. `row` counts the other data rows from 1.
 */
export type CsvRecord = { row: number; line: number; cells: string[] } | { row: number; line: number; error: string } | { blank: true; line: number };

const isBlank = (record: string[]) => record.every((cell) => cell.trim() === '');

const SLICE_BYTES = 64 * 1024;

/**
 * A body in slices, so the parser reads ahead of the rows taken by about a slice, not the whole body (written at
 * once, a 32 MiB upload became every row's cells before the first batch was written).
 */
function* slices(body: Buffer): Generator<Buffer> {
  for (let at = 0; at < body.length; at += SLICE_BYTES) yield body.subarray(at, at + SLICE_BYTES);
}

/**
 * Reads a CSV file with a header row. A row that cannot be read (a wrong number of cells, an unclosed quote,
 * bytes that are not UTF-8) comes out as an error for that row alone, and reading goes on.
 */
export async function* readCsv(source: AsyncIterable<Buffer | string> | Buffer): AsyncGenerator<{ header: string[] } | CsvRecord> {
  // Empty lines are read as records (of one empty cell), so they are counted with the other blank rows.
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, info: true, skip_records_with_error: true });
  // Records the parser gave up on arrive as events, possibly ahead of the records before them: they are put back
  // in line order, and rows are numbered as they come out.
  const skipped: Array<{ line: number; error: string }> = [];
  parser.on('skip', (err: Error & { lines?: number }) => skipped.push({ line: err.lines ?? Number.MAX_SAFE_INTEGER, error: `cannot be read as CSV: ${err.message}` }));
  const feed = (async () => {
    try {
      for await (const chunk of Buffer.isBuffer(source) ? slices(source) : source) if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  let header: string[] | undefined;
  let row = 0;
  const skippedBefore = function* (line: number): Generator<CsvRecord> {
    skipped.sort((a, b) => a.line - b.line);
    while (skipped.length > 0 && skipped[0].line < line) {
      const { line: at, error } = skipped.shift() as { line: number; error: string };
      yield { row: ++row, line: at, error };
    }
  };
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (header === undefined) {
      if (isBlank(record)) continue;
      header = record.map((h) => h.trim());
      yield { header };
      continue;
    }
    yield* skippedBefore(info.lines);
    if (isBlank(record)) {
      yield { blank: true, line: info.lines };
      continue;
    }
    row += 1;
    if (record.some((cell) => cell.includes('\uFFFD'))) yield { row, line: info.lines, error: 'is not valid UTF-8 text (save the file as UTF-8)' };
    else if (record.length !== header.length) yield { row, line: info.lines, error: `has ${record.length} cells where the header has ${header.length}` };
    else yield { row, line: info.lines, cells: record };
  }
  await feed;
  if (header !== undefined) yield* skippedBefore(Number.POSITIVE_INFINITY);
}

/** What an export row needs besides the person's own values. */
export interface ExportPerson {
  id: number;
  values: PersonValues;
  orgName: string | null;
}

/**
 * Persons as CSV with a header row, in the columns import reads by default: contact lists as numbered columns
 * (`email`, `email_label`, `email_2`, …, the primary item first), labels and enum/set options by label, custom
 * fields as one column each, named after the field (its key when two fields share a name).
 */
export function personsCsv(persons: readonly ExportPerson[], fields: PersonFieldDefinitions): string {
  const most = (pick: (v: PersonValues) => unknown[]) => Math.max(0, ...persons.map((p) => pick(p.values).length));
  const counts = { email: most((v) => v.emails), phone: most((v) => v.phones), im: most((v) => v.im) };
  const addressParts = ADDRESS_PARTS.filter((part) => part !== 'value' && persons.some((p) => p.values.postal_address?.[part]));
  const custom = fields.custom;
  const names = custom.map((f) => fold(f.name));
  const customHeader = (i: number) => (names.indexOf(names[i]) !== names.lastIndexOf(names[i]) || RESERVED.has(names[i]) ? custom[i].key : custom[i].name);
  const labelOf = (id: number) => fields.labelField.options?.find((o) => o.id === id)?.label ?? String(id);

  const header = ['id', 'name', 'first_name', 'last_name', 'org_name', 'owner_id', 'visible_to', 'labels'];
  for (const kind of ['email', 'phone', 'im'] as const) {
    for (let i = 1; i <= counts[kind]; i++) header.push(i === 1 ? kind : `${kind}_${i}`, i === 1 ? `${kind}_label` : `${kind}_${i}_label`);
  }
  header.push('postal_address', ...addressParts.map((p) => `postal_address.${p}`), 'notes', 'birthday', 'job_title', 'marketing_status', 'add_time', 'update_time');
  header.push(...custom.map((_, i) => customHeader(i)));

  const rows = persons.map(({ id, values, orgName }) => {
    const cells: unknown[] = [id, values.name, values.first_name, values.last_name, orgName, values.owner_id, values.visible_to, values.label_ids.map(labelOf).join('; ')];
    for (const [kind, list] of [['email', values.emails], ['phone', values.phones], ['im', values.im]] as const) {
      const ordered = primaryFirst(list);
      for (let i = 0; i < counts[kind]; i++) cells.push(ordered[i]?.value ?? '', ordered[i]?.label ?? '');
    }
    cells.push(values.postal_address?.value ?? '', ...addressParts.map((p) => values.postal_address?.[p] ?? ''));
    cells.push(values.notes, values.birthday, values.job_title, values.marketing_status, values.add_time, values.update_time);
    cells.push(...custom.map((f) => customCellText(f, values.custom_fields[f.key])));
    return cells.map((c) => (c === null || c === undefined ? '' : c));
  });
  return stringify([header, ...rows]);
}

// Folded names of system columns a custom field's name must not shadow.
const RESERVED = new Set(['id', 'name', 'first name', 'last name', 'email', 'phone', 'im', 'notes', 'birthday', 'labels', 'owner', 'organization']);

function primaryFirst(list: Contact[]): Contact[] {
  return [...list.filter((c) => c.primary), ...list.filter((c) => !c.primary)];
}
