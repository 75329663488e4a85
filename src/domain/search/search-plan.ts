import { type ColumnMatch, MATCH_KINDS, type MatchKind, type SearchDoc, type SearchEntity, matchPhrase } from '../../store/search/search-match.js';
import { invalid } from '../errors.js';
import { charLength, phoneDigits, searchForm } from './search-text.js';

/** A search term, validated, in the searchable form of the index. */
export interface SearchTerm {
  /** As sent, trimmed: what exact matches of case-sensitive field searches compare with. */
  raw: string;
  /** Folded, split into words and punctuation, joined by spaces. */
  text: string;
  /** The digits, when the term looks like a phone number (digits and phone punctuation only). */
  digits: string | null;
  /** The digits of the term's E.164 form in the company's region, when it reads as a number and they differ. */
  phoneKeyDigits?: string;
}

const MAX_TERM_LENGTH = 1000;
const PHONE_LIKE = /^[\d\s+\-().\/]+$/;

/** `exactParameter` names the request's way to ask for an exact match, for the hint of a too-short term. */
export function parseTerm(raw: string, exactMatch: boolean, exactParameter = 'exact_match=true'): SearchTerm {
  const trimmed = raw.trim();
  const min = exactMatch ? 1 : 2;
  const text = searchForm(trimmed);
  if (charLength(trimmed) < min || charLength(text.replace(/ /g, '')) < min) {
    throw invalid(
      exactMatch ? 'term must not be empty' : 'term must be at least 2 characters long',
      `Send a longer term, or ${exactParameter} to look up a 1-character value.`,
    );
  }
  if (charLength(trimmed) > MAX_TERM_LENGTH) throw invalid(`term is longer than ${MAX_TERM_LENGTH} characters`);
  const digits = phoneDigits(trimmed);
  return { raw: trimmed, text, digits: PHONE_LIKE.test(trimmed) && digits.length >= min ? digits : null };
}

/**
 * The fields an entity is searched in, in rank order: a match in an earlier group outranks one in a later group
 * of the same kind (name above email and phone above custom fields above notes).
 */
const GROUPS: Record<SearchEntity, readonly (readonly string[])[]> = {
  person: [['name'], ['email', 'phone'], ['custom_fields'], ['notes']],
  organization: [['name'], ['address'], ['custom_fields'], ['notes']],
  deal: [['title'], ['custom_fields'], ['notes']],
};

/** The index column each searchable field is kept in; organizations have no notes, deals no notes or custom fields in personsd. */
const COLUMNS: Record<SearchEntity, Record<string, string | undefined>> = {
  person: { name: 'name', email: 'email', phone: 'phone', custom_fields: 'custom', notes: 'notes' },
  organization: { name: 'name', address: 'address', custom_fields: 'custom', notes: undefined },
  deal: { title: 'title', custom_fields: undefined, notes: undefined },
};

export function searchableFields(entity: SearchEntity): string[] {
  return GROUPS[entity].flat();
}

/** Reads a `fields` list, refusing names the endpoint does not search. */
export function parseFields(fields: readonly string[] | undefined, allowed: readonly string[]): string[] | undefined {
  if (fields === undefined) return undefined;
  if (fields.length === 0) throw invalid('fields must name at least one field', `Allowed: ${allowed.join(', ')}.`);
  for (const field of fields) {
    if (!allowed.includes(field)) throw invalid(`fields: unknown field "${field}"`, `Allowed: ${allowed.join(', ')}.`);
  }
  return [...new Set(fields)];
}

export interface SearchTier {
  kind: MatchKind;
  /** Index of the field group in the entity's rank order. */
  group: number;
  /** Any one of these makes a row a member (unless an earlier tier already claimed it). */
  matches: ColumnMatch[];
  /** The `result_score` of the tier's items; strictly decreasing from tier to tier. */
  score: number;
}

export interface SearchPlan {
  entity: SearchEntity;
  term: SearchTerm;
  tiers: SearchTier[];
}

/**
 * The tiers of a search, best first: exact value, whole word, start of a word, inside a word; within each kind,
 * by field group. Every tier is served in id order, so a page never needs more than the rows it returns, and a
 * cursor is the tier and the last id.
 */
export function planSearch(entity: SearchEntity, term: SearchTerm, fields: readonly string[] | undefined, exactMatch: boolean): SearchPlan {
  const kinds: readonly MatchKind[] = exactMatch ? ['exact'] : MATCH_KINDS;
  const tiers: SearchTier[] = [];
  for (const kind of kinds) {
    GROUPS[entity].forEach((group, groupIndex) => {
      const matches: ColumnMatch[] = [];
      for (const field of group) {
        if (fields && !fields.includes(field)) continue;
        const column = COLUMNS[entity][field];
        if (column === undefined) continue;
        for (const text of columnTexts(column, term)) matches.push({ column, kind, text });
      }
      if (matches.length > 0) tiers.push({ kind, group: groupIndex, matches, score: tierScore(kind, groupIndex) });
    });
  }
  return { entity, term, tiers };
}

/** Phones are matched on digits only; phone-typed custom fields on their text and their digits. */
function columnTexts(column: string, term: SearchTerm): string[] {
  if (column === 'phone') return term.digits === null ? [] : term.phoneKeyDigits ? [term.digits, term.phoneKeyDigits] : [term.digits];
  if (column === 'custom' && term.digits !== null && term.digits !== term.text) return [term.text, term.digits];
  return [term.text];
}

function tierScore(kind: MatchKind, group: number): number {
  return Math.round((1 - MATCH_KINDS.indexOf(kind) * 0.25 - group * 0.05) * 10_000) / 10_000;
}

/** The first tier a row's indexed text satisfies, or -1: the authority the index's candidates are checked by. */
export function tierOf(plan: SearchPlan, doc: SearchDoc): number {
  for (let i = 0; i < plan.tiers.length; i++) {
    for (const match of plan.tiers[i].matches) {
      if ((doc[match.column] ?? '').includes(matchPhrase(match))) return i;
    }
  }
  return -1;
}

/** Whether one value (of a field that can hold several) contains the term at all. */
export function valueMatches(term: SearchTerm, value: string, digitsToo: boolean): boolean {
  if (searchForm(value).includes(term.text)) return true;
  return digitsToo && term.digits !== null && phoneDigits(value).includes(term.digits);
}
