import { invalid } from '../errors.js';
import type { PersonFieldDefinitions } from '../person-fields/definitions.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import { PERSON_COUNT_FIELDS, type PersonCounts } from './person-counts.js';

export interface PersonRenderOptions {
  /** Optional response fields asked for with `include_fields`. */
  includeFields?: ReadonlySet<string>;
  /** Only these custom field keys (the `custom_fields` query parameter). */
  customFieldKeys?: readonly string[];
  /** The company's fields; loaded only when option or label objects are asked for. */
  fields?: PersonFieldDefinitions;
  /** `include_option_labels=true`: enum / set values as `{id, label}` objects. */
  includeOptionLabels?: boolean;
  /** `include_labels=true`: a `labels` array of `{id, label}` next to `label_ids`. */
  includeLabels?: boolean;
  /** Deal and follower counts per person id, computed for the whole page beforehand (never one query per row). */
  counts?: ReadonlyMap<number, PersonCounts>;
}

/**
 * What personsd does not store at all (mail, files, double opt-in, Smart BCC, deal participants): every person has
 * none, so these answer what Pipedrive answers for a person without any. Activity counts and pointers are computed
 * (person-counts.ts).
 */
const NOTHING_STORED: Record<string, 0 | null> = {
  files_count: 0,
  email_messages_count: 0,
  participant_open_deals_count: 0,
  participant_closed_deals_count: 0,
  last_incoming_mail_time: null,
  last_outgoing_mail_time: null,
  doi_status: null,
  smart_bcc_email: null,
};

/** Optional fields personsd answers; the others Pipedrive lists are refused, not faked. */
export const PERSON_INCLUDE_FIELDS = ['marketing_status', ...PERSON_COUNT_FIELDS, ...Object.keys(NOTHING_STORED)] as const;
const PIPEDRIVE_INCLUDE_FIELDS = new Set([
  'next_activity_id', 'last_activity_id', 'open_deals_count', 'related_open_deals_count', 'closed_deals_count',
  'related_closed_deals_count', 'participant_open_deals_count', 'participant_closed_deals_count', 'email_messages_count',
  'activities_count', 'done_activities_count', 'undone_activities_count', 'files_count', 'notes_count', 'followers_count',
  'won_deals_count', 'related_won_deals_count', 'lost_deals_count', 'related_lost_deals_count', 'last_incoming_mail_time',
  'last_outgoing_mail_time', 'marketing_status', 'doi_status', 'smart_bcc_email',
]);
const MAX_CUSTOM_FIELD_KEYS = 15;

/** Reads the `include_fields` and `custom_fields` query parameters. */
export function personRenderOptions(includeFields?: string, customFields?: string): PersonRenderOptions {
  const options: PersonRenderOptions = {};
  if (includeFields !== undefined) {
    const names = includeFields.split(',').map((n) => n.trim()).filter(Boolean);
    for (const name of names) {
      if (!PIPEDRIVE_INCLUDE_FIELDS.has(name)) throw invalid(`include_fields: unknown field "${name}"`);
      if (!(PERSON_INCLUDE_FIELDS as readonly string[]).includes(name)) {
        throw invalid(`include_fields: "${name}" is not supported by personsd yet`, `Supported: ${PERSON_INCLUDE_FIELDS.join(', ')}.`);
      }
    }
    options.includeFields = new Set(names);
  }
  if (customFields !== undefined) {
    const keys = customFields.split(',').map((k) => k.trim()).filter(Boolean);
    if (keys.length > MAX_CUSTOM_FIELD_KEYS) throw invalid(`custom_fields may name at most ${MAX_CUSTOM_FIELD_KEYS} keys`);
    options.customFieldKeys = keys;
  }
  return options;
}

/** Whether a read asks for nothing beyond the plain v2 person: then the stored document (person_docs) serves. */
export function isPlainRender(options: PersonRenderOptions): boolean {
  return !options.includeFields && !options.customFieldKeys && !options.includeOptionLabels && !options.includeLabels;
}

const str = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));

/**
 * Renders a stored person as v2 JSON text. JSON columns are spliced in as stored, so a read never parses and
 * re-serialises the contact lists (the cost that dominates list responses).
 */
export function renderPersonV2(row: PersonRow, options: PersonRenderOptions = {}): string {
  let json =
    `{"id":${row.id},"name":${str(row.name)},"first_name":${str(row.first_name)},"last_name":${str(row.last_name)}` +
    `,"owner_id":${row.owner_id},"org_id":${row.org_id ?? 'null'},"add_time":"${row.add_time}","update_time":"${row.update_time}"` +
    `,"emails":${row.emails},"phones":${row.phones},"is_deleted":${row.deleted_time !== null},"visible_to":${row.visible_to}` +
    `,"label_ids":${row.label_ids}${labels(row, options)},"picture_id":${row.picture_id ?? 'null'},"custom_fields":${customFields(row, options)}` +
    `,"im":${row.im},"postal_address":${row.postal_address ?? 'null'},"notes":${str(row.notes)}` +
    `,"birthday":${str(row.birthday)},"job_title":${str(row.job_title)}`;
  const include = options.includeFields;
  if (include?.has('marketing_status')) json += `,"marketing_status":${str(row.marketing_status)}`;
  if (include) json += countFields(row.id, include, options.counts) + nothingStored(include);
  return json + '}';
}

function countFields(id: number, include: ReadonlySet<string>, counts: ReadonlyMap<number, PersonCounts> | undefined): string {
  let json = '';
  for (const field of PERSON_COUNT_FIELDS) {
    if (!include.has(field)) continue;
    const count = counts?.get(id)?.[field];
    if (count === undefined) throw new Error(`${field} was asked for but not computed for person ${id}`);
    json += `,"${field}":${count}`;
  }
  return json;
}

function nothingStored(include: ReadonlySet<string>): string {
  let json = '';
  for (const [field, value] of Object.entries(NOTHING_STORED)) if (include.has(field)) json += `,"${field}":${value}`;
  return json;
}

/** The stored JSON as-is unless a subset or option objects are asked for. */
function customFields(row: PersonRow, options: PersonRenderOptions): string {
  const expand = options.includeOptionLabels === true && options.fields !== undefined;
  if (!options.customFieldKeys && !expand) return row.custom_fields;
  const all = JSON.parse(row.custom_fields) as Record<string, unknown>;
  let picked: Record<string, unknown> = all;
  if (options.customFieldKeys) {
    picked = {};
    for (const key of options.customFieldKeys) if (key in all) picked[key] = all[key];
  }
  if (expand) {
    for (const [key, value] of Object.entries(picked)) {
      const fields = options.fields as PersonFieldDefinitions;
      if (!fields.byKey(key)?.options) continue;
      const labelOf = (id: number) => ({ id, label: fields.optionLabel(id) ?? null });
      picked[key] = Array.isArray(value) ? value.map(labelOf) : labelOf(value as number);
    }
  }
  return JSON.stringify(picked);
}

function labels(row: PersonRow, options: PersonRenderOptions): string {
  const fields = options.fields;
  if (!options.includeLabels || !fields) return '';
  const ids = JSON.parse(row.label_ids) as number[];
  return `,"labels":${JSON.stringify(ids.map((id) => ({ id, label: fields.optionLabel(id) ?? null })))}`;
}

/**
 * Reads the persons GET parameters that shape the response; loads the field definitions only when option or
 * label objects are asked for, so plain reads splice stored JSON without touching the definitions.
 */
export async function personRenderOptionsFor(
  query: { include_fields?: string; custom_fields?: string; include_option_labels?: boolean; include_labels?: boolean },
  definitions: () => Promise<PersonFieldDefinitions>,
): Promise<PersonRenderOptions> {
  const options = personRenderOptions(query.include_fields, query.custom_fields);
  if (query.include_option_labels || query.include_labels) {
    options.fields = await definitions();
    options.includeOptionLabels = query.include_option_labels === true;
    options.includeLabels = query.include_labels === true;
  }
  return options;
}
