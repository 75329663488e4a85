import { invalid } from '../errors.js';
import { FILTER_OBJECTS, type FilterableType } from './filter-fields.js';

/** Every filter type Pipedrive names; personsd stores and applies the filterable ones. */
export const PIPEDRIVE_FILTER_TYPES = ['deals', 'leads', 'org', 'people', 'products', 'activity', 'projects'] as const;

/** What each list calls its filter type in messages. */
const LIST_OF: Record<FilterableType, string> = { people: 'persons', org: 'organizations', deals: 'deals', activity: 'activities' };

/** The type a filter may be created with; anything else is a clear 400. */
export function filterableType(type: string): FilterableType {
  if (Object.hasOwn(FILTER_OBJECTS, type)) return type as FilterableType;
  if ((PIPEDRIVE_FILTER_TYPES as readonly string[]).includes(type)) throw invalid(`${type} filters are not supported: personsd does not store ${type}`, 'Create people, org, deals or activity filters.');
  throw invalid(`type must be one of people, org, deals, activity; got ${JSON.stringify(type)}`);
}

export function listName(type: FilterableType): string {
  return LIST_OF[type];
}
