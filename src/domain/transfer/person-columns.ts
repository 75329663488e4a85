import { ADDRESS_PARTS, type AddressPart } from '../address.js';
import { invalid } from '../errors.js';
import type { PersonField, PersonFieldDefinitions } from '../person-fields/definitions.js';
import type { ContactInput } from '../person-model/contacts.js';
import { MARKETING_STATUSES, type MarketingStatus, type PersonInput } from '../person-model/person-input.js';
import { fold } from '../search/search-text.js';

/*
 * The CSV columns of persons: what a header (or an explicit mapping) means, how a row's cells become a v2 person
 * body, and how a person becomes cells again. Export writes exactly the headers import reads by default, so an
 * exported file imports back into the same persons.
 */

export type ContactColumnKind = 'email' | 'phone' | 'im';

export type ColumnTarget =
  | { kind: 'field'; field: ScalarField }
  | { kind: 'contact'; contact: ContactColumnKind; slot: number; part: 'value' | 'label'; label?: string }
  | { kind: 'address'; part: AddressPart }
  | { kind: 'labels' }
  | { kind: 'org_name' }
  | { kind: 'custom'; field: PersonField }
  | { kind: 'ignore' };

const SCALAR_FIELDS = ['name', 'first_name', 'last_name', 'owner_id', 'org_id', 'visible_to', 'notes', 'birthday', 'job_title', 'marketing_status', 'add_time', 'update_time'] as const;
type ScalarField = (typeof SCALAR_FIELDS)[number];
const INTEGER_FIELDS = new Set<ScalarField>(['owner_id', 'org_id', 'visible_to']);

/** Other spellings of headers, as CSV files from other tools name them (folded: lower case, `_` for gaps). */
const ALIASES: Record<string, string> = {
  full_name: 'name',
  first: 'first_name',
  given_name: 'first_name',
  last: 'last_name',
  family_name: 'last_name',
  surname: 'last_name',
  e_mail: 'email',
  mail: 'email',
  email_address: 'email',
  emails: 'email',
  telephone: 'phone',
  tel: 'phone',
  phone_number: 'phone',
  phones: 'phone',
  mobile: 'phone:mobile',
  organization: 'org_name',
  organisation: 'org_name',
  company: 'org_name',
  owner: 'owner_id',
  label: 'labels',
  label_ids: 'labels',
  title: 'job_title',
  address: 'postal_address',
  postal_address_value: 'postal_address',
  note: 'notes',
};

/** A header in the form targets are compared in: folded, punctuation and spaces as `_` (`E-mail 2` → `e_mail_2`). */
function headerKey(header: string): string {
  return fold(header.trim()).replace(/[^\p{L}\p{N}.:]+/gu, '_').replace(/^_+|_+$/g, '');
}

/**
 * What a column holds. `target` is an explicit mapping (a target name, `ignore`, or a custom field's key or name);
 * without one the header itself is read. An unknown header maps to nothing (undefined: the caller ignores it and
 * says so); an unknown explicit target is a 400.
 */
export function resolveColumn(header: string, target: string | null | undefined, fields: PersonFieldDefinitions): ColumnTarget | undefined {
  if (target === null || target === 'ignore' || target === '') return { kind: 'ignore' };
  const explicit = target !== undefined;
  const wanted = explicit ? target.trim() : header;
  const custom = customField(wanted, fields);
  const key = headerKey(wanted);
  const resolved = custom ? { kind: 'custom' as const, field: custom } : systemTarget(ALIASES[key] ?? key);
  if (resolved === undefined && explicit) {
    throw invalid(`mapping: "${header}" → "${target}" is not a person field`, 'Map columns to name, first_name, last_name, email, email_label, email_2, phone, phone:mobile, im, org_id, org_name, owner_id, labels, notes, birthday, job_title, marketing_status, visible_to, postal_address, postal_address.<part>, add_time, update_time, a custom field key or name, or ignore.');
  }
  return resolved;
}

function customField(name: string, fields: PersonFieldDefinitions): PersonField | undefined {
  const byKey = fields.byKey(name.trim());
  if (byKey?.isCustom) return byKey;
  const folded = fold(name.trim());
  return fields.custom.find((f) => fold(f.name) === folded);
}

function systemTarget(key: string): ColumnTarget | undefined {
  if (key === 'id') return { kind: 'ignore' };
  if ((SCALAR_FIELDS as readonly string[]).includes(key)) return { kind: 'field', field: key as ScalarField };
  if (key === 'labels') return { kind: 'labels' };
  if (key === 'org_name') return { kind: 'org_name' };
  if (key === 'postal_address') return { kind: 'address', part: 'value' };
  const address = /^postal_address[._](.+)$/.exec(key);
  if (address && (ADDRESS_PARTS as readonly string[]).includes(address[1])) return { kind: 'address', part: address[1] as AddressPart };
  // email, email_label, email_2, email_2_label, email:home
  const contact = /^(email|phone|im)(?:_(\d+))?(_label)?(?::(.+))?$/.exec(key);
  if (contact) {
    const slot = contact[2] === undefined ? 1 : Number(contact[2]);
    if (slot < 1 || slot > 100) return undefined;
    return { kind: 'contact', contact: contact[1] as ContactColumnKind, slot, part: contact[3] ? 'label' : 'value', ...(contact[4] && { label: contact[4] }) };
  }
  return undefined;
}

/** One row's cells as a v2 person body (blank cells give nothing), plus the organization it names, if any. */
export interface RowInput {
  input: PersonInput;
  orgName?: string;
}

/** Turns the cells of a row into a person body; a cell that cannot be read is a 400 naming its column. */
export function rowInput(cells: readonly string[], columns: ReadonlyArray<{ header: string; target: ColumnTarget }>, fields: PersonFieldDefinitions): RowInput {
  const input: PersonInput = {};
  const contacts: Record<ContactColumnKind, Map<number, ContactInput>> = { email: new Map(), phone: new Map(), im: new Map() };
  const address: Partial<Record<AddressPart, string>> = {};
  let orgName: string | undefined;
  columns.forEach(({ header, target }, index) => {
    const cell = (cells[index] ?? '').trim();
    if (cell === '' || target.kind === 'ignore') return;
    switch (target.kind) {
      case 'field':
        setScalar(input, target.field, cell, header);
        return;
      case 'contact': {
        // A labelled column (`phone:mobile`) holds its own items, after the numbered ones.
        const slot = target.label === undefined ? target.slot : 1000 + index;
        const item = contacts[target.contact].get(slot) ?? { value: '' };
        if (target.part === 'label') item.label = cell;
        else item.value = cell;
        if (target.label !== undefined) item.label = target.label;
        contacts[target.contact].set(slot, item);
        return;
      }
      case 'address':
        address[target.part] = cell;
        return;
      case 'labels':
        input.label_ids = labelIds(cell, fields, header);
        return;
      case 'org_name':
        orgName = cell;
        return;
      case 'custom':
        input.custom_fields = { ...input.custom_fields, [target.field.key]: customCellValue(target.field, cell, header) };
    }
  });
  for (const kind of ['email', 'phone', 'im'] as const) {
    const items = [...contacts[kind].entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
    if (items.some((i) => i.value === '' && i.label !== undefined)) throw invalid(`a ${kind} label column has a value but its ${kind} column is empty`);
    const values = items.filter((i) => i.value !== '');
    if (values.length > 0) (input as Record<string, unknown>)[kind === 'im' ? 'im' : `${kind}s`] = values;
  }
  if (Object.keys(address).length > 0) input.postal_address = address;
  return orgName === undefined ? { input } : { input, orgName };
}

function setScalar(input: PersonInput, field: ScalarField, cell: string, header: string): void {
  if (INTEGER_FIELDS.has(field)) {
    if (!/^\d{1,10}$/.test(cell)) throw invalid(`column "${header}": ${field} must be a whole number; got "${cell}"`);
    (input as Record<string, unknown>)[field] = Number(cell);
    return;
  }
  if (field === 'marketing_status') {
    if (!(MARKETING_STATUSES as readonly string[]).includes(cell)) throw invalid(`column "${header}": marketing_status must be one of ${MARKETING_STATUSES.join(', ')}; got "${cell}"`);
    input.marketing_status = cell as MarketingStatus;
    return;
  }
  (input as Record<string, unknown>)[field] = cell;
}

/** Label names (or ids), separated by `;` or `,`. */
function labelIds(cell: string, fields: PersonFieldDefinitions, header: string): number[] {
  const options = fields.labelField.options ?? [];
  return splitList(cell).map((part) => {
    const option = /^\d+$/.test(part) ? options.find((o) => o.id === Number(part)) : options.find((o) => fold(o.label) === fold(part));
    if (!option) throw invalid(`column "${header}": "${part}" is not a person label of this company`);
    return option.id;
  });
}

function splitList(cell: string): string[] {
  return cell.split(/[;,]/).map((p) => p.trim()).filter(Boolean);
}

/** A cell as the custom field's v2 value (validated afterwards like any write's). */
function customCellValue(field: PersonField, cell: string, header: string): unknown {
  const number = (text: string) => {
    const value = Number(text.replace(/\s+/g, ''));
    if (!Number.isFinite(value)) throw invalid(`column "${header}": "${text}" is not a number`);
    return value;
  };
  const option = (text: string) => {
    const found = /^\d+$/.test(text) ? field.options?.find((o) => o.id === Number(text)) : field.options?.find((o) => fold(o.label) === fold(text));
    if (!found) throw invalid(`column "${header}": "${text}" is not an option of "${field.name}"`);
    return found.id;
  };
  const range = (text: string) => {
    const [value, until] = text.split('/').map((p) => p.trim());
    if (!value || !until) throw invalid(`column "${header}": a range is written "start/end"; got "${text}"`);
    return { value, until };
  };
  switch (field.type) {
    case 'double':
      return number(cell);
    case 'monetary': {
      const match = /^(.*?)\s*([A-Za-z]{3})?$/.exec(cell) as RegExpExecArray;
      return match[2] ? { value: number(match[1]), currency: match[2].toUpperCase() } : { value: number(match[1]) };
    }
    case 'enum':
      return option(cell);
    case 'set':
      return splitList(cell).map(option);
    case 'user':
    case 'org':
    case 'people':
      if (!/^\d{1,10}$/.test(cell)) throw invalid(`column "${header}": "${field.name}" takes an id; got "${cell}"`);
      return Number(cell);
    case 'address':
      return { value: cell };
    case 'daterange':
      return range(cell);
    case 'time':
      return { value: cell };
    case 'timerange':
      return range(cell);
    default:
      return cell;
  }
}

/** A custom value as one cell: the inverse of customCellValue (options by label, ranges as `start/end`). */
export function customCellText(field: PersonField, value: unknown): string {
  if (value === null || value === undefined) return '';
  const label = (id: unknown) => field.options?.find((o) => o.id === id)?.label ?? String(id);
  switch (field.type) {
    case 'monetary': {
      const v = value as { value: number; currency: string };
      return `${v.value} ${v.currency}`;
    }
    case 'enum':
      return label(value);
    case 'set':
      return (value as number[]).map(label).join('; ');
    case 'address':
    case 'time':
      return String((value as { value: unknown }).value ?? '');
    case 'daterange':
    case 'timerange': {
      const v = value as { value: string; until: string };
      return `${v.value}/${v.until}`;
    }
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}
