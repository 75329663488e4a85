import { invalid } from './errors.js';

export interface SortKey<F extends string> {
  field: F;
  direction: 'asc' | 'desc';
}

/**
 * v1's `sort` parameter: `"field ASC, field2 DESC"` (direction optional, ASC by default, case-insensitive),
 * first-level keys only. A field outside `allowed` is a 400 naming the fields that can be sorted on.
 */
export function parseV1Sort<F extends string>(sort: string | undefined, allowed: readonly F[]): SortKey<F>[] {
  if (sort === undefined || sort.trim() === '') return [];
  const keys: SortKey<F>[] = [];
  for (const part of sort.split(',')) {
    const words = part.trim().split(/\s+/);
    const [field, direction = 'asc', ...extra] = words;
    if (field === '' || extra.length > 0 || !/^(asc|desc)$/i.test(direction)) {
      throw invalid(`sort: "${part.trim()}" is not "field ASC" or "field DESC"`, 'Example: sort=name ASC, add_time DESC');
    }
    if (!(allowed as readonly string[]).includes(field)) throw invalid(`sort: cannot sort by "${field}"`, `Sortable: ${allowed.join(', ')}.`);
    if (keys.some((k) => k.field === field)) throw invalid(`sort: "${field}" is named twice`);
    keys.push({ field: field as F, direction: direction.toLowerCase() as 'asc' | 'desc' });
  }
  return keys;
}
