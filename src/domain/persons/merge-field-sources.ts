import { type Region, contactKey } from '../normalize/contact-keys.js';
import type { PersonValues } from '../person-model/person-input.js';

/** Where one value of a merged person came from: `merge_with_id` (the survivor), `id` (the merged person), or both. */
export type MergeSource = 'merge_with_id' | 'id' | 'both';

export interface MergeFieldSource {
  /** The field (`emails`, `custom_fields.<key>`, …); list fields have one entry per item. */
  field: string;
  value: unknown;
  source: MergeSource | null;
  /** The person the value came from (the survivor when both had it); null for an empty field. */
  person_id: number | null;
}

const SURVIVOR_FIELDS = ['name', 'first_name', 'last_name', 'owner_id', 'visible_to', 'add_time'] as const;
const FILLED_FIELDS = ['org_id', 'postal_address', 'notes', 'birthday', 'job_title', 'marketing_status'] as const;

/**
 * The merged person field by field with the source of each value (what a dry run shows and the journal keeps):
 * the survivor's own fields, the empty ones filled from the merged person, and each list item and custom value.
 */
export function mergeSources(
  ids: { survivor: number; merged: number },
  survivor: PersonValues,
  merged: PersonValues,
  result: PersonValues,
  pictureId: { survivor: number | null; merged: number | null },
  region: Region | undefined,
): MergeFieldSource[] {
  const sources: MergeFieldSource[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const origin = (fromSurvivor: boolean, fromMerged: boolean): Pick<MergeFieldSource, 'source' | 'person_id'> =>
    fromSurvivor && fromMerged
      ? { source: 'both', person_id: ids.survivor }
      : fromSurvivor
        ? { source: 'merge_with_id', person_id: ids.survivor }
        : fromMerged
          ? { source: 'id', person_id: ids.merged }
          : { source: null, person_id: null };
  const scalar = (field: string, value: unknown, s: unknown, m: unknown) => {
    const present = value !== null && value !== undefined;
    sources.push({ field, value: present ? value : null, ...origin(present && same(value, s), present && same(value, m)) });
  };
  for (const field of SURVIVOR_FIELDS) scalar(field, result[field], survivor[field], merged[field]);
  for (const field of FILLED_FIELDS) scalar(field, result[field], survivor[field], merged[field]);
  for (const kind of ['email', 'phone', 'im'] as const) {
    const field = kind === 'im' ? 'im' : (`${kind}s` as 'emails' | 'phones');
    const keys = (list: { value: string }[]) => new Set(list.map((c) => contactKey(kind, c.value, region)));
    const own = keys(survivor[field]);
    const theirs = keys(merged[field]);
    for (const item of result[field]) {
      const key = contactKey(kind, item.value, region);
      sources.push({ field, value: item, ...origin(own.has(key), theirs.has(key)) });
    }
  }
  for (const id of result.label_ids) sources.push({ field: 'label_ids', value: id, ...origin(survivor.label_ids.includes(id), merged.label_ids.includes(id)) });
  for (const [key, value] of Object.entries(result.custom_fields)) {
    const fromSurvivor = survivor.custom_fields[key] !== undefined && survivor.custom_fields[key] !== null;
    sources.push({ field: `custom_fields.${key}`, value, ...origin(fromSurvivor, same(value, merged.custom_fields[key])) });
  }
  const picture = pictureId.survivor ?? pictureId.merged;
  sources.push({ field: 'picture_id', value: picture, ...origin(pictureId.survivor !== null, pictureId.survivor === null && pictureId.merged !== null) });
  return sources;
}
