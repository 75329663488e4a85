import type { DealRow } from '../../store/repositories/deals.repository.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import { type SearchableField, customTexts } from './search-docs.js';
import { type SearchTerm, valueMatches } from './search-plan.js';

/** One search result as Pipedrive sends it (v1 and v2 itemSearch and v2 persons/search share the shape). */
export interface SearchItem {
  result_score: number;
  item: Record<string, unknown>;
}

export interface PersonItemOptions {
  term: SearchTerm;
  /** Searched custom fields: their values that contain the term are listed in `custom_fields`. */
  customFields: readonly SearchableField[];
  /** Whether notes were searched: a person's notes are listed when they contain the term. */
  notes: boolean;
  picture: boolean;
}

const contactValues = (json: string) => (JSON.parse(json) as Array<{ value: string }>).map((c) => c.value);

function addressValue(json: string | null): string | null {
  if (json === null) return null;
  return (JSON.parse(json) as { value?: string | null }).value ?? null;
}

export function personItem(row: PersonRow, org: OrganizationRow | undefined, score: number, options: PersonItemOptions): SearchItem {
  const item: Record<string, unknown> = {
    id: row.id,
    type: 'person',
    name: row.name,
    phones: contactValues(row.phones),
    emails: contactValues(row.emails),
    visible_to: row.visible_to,
    owner: { id: row.owner_id },
    organization: org ? { id: org.id, name: org.name, address: addressValue(org.address) } : null,
    custom_fields: customTexts(row.custom_fields, options.customFields)
      .filter((t) => valueMatches(options.term, t.text, t.phone))
      .map((t) => t.text),
    notes: options.notes && row.notes !== null && valueMatches(options.term, row.notes, false) ? [row.notes] : [],
  };
  if (options.picture) item.picture = row.picture_id === null ? null : { id: row.picture_id };
  return { result_score: score, item };
}

export function organizationItem(row: OrganizationRow, score: number): SearchItem {
  return {
    result_score: score,
    item: {
      id: row.id,
      type: 'organization',
      name: row.name,
      address: addressValue(row.address),
      visible_to: row.visible_to,
      owner: { id: row.owner_id },
      custom_fields: [],
      notes: [],
    },
  };
}

/**
 * A deal as item search lists it, with its stage (`null` when it has none). Deals carry no notes or custom fields
 * here and are never archived. `person` and `organization` are null when the caller may not see them.
 */
export function dealItem(
  row: DealRow,
  person: { id: number; name: string } | undefined,
  org: OrganizationRow | undefined,
  stage: { id: number; name: string } | undefined,
  score: number,
): SearchItem {
  return {
    result_score: score,
    item: {
      id: row.id,
      type: 'deal',
      title: row.title,
      value: row.value,
      currency: row.currency,
      status: row.status,
      visible_to: row.visible_to,
      owner: { id: row.owner_id },
      stage: stage ? { id: stage.id, name: stage.name } : null,
      person: person ? { id: person.id, name: person.name } : null,
      organization: org ? { id: org.id, name: org.name, address: addressValue(org.address) } : null,
      custom_fields: [],
      notes: [],
      is_archived: false,
    },
  };
}
