import type { Executor } from '../../store/executor.js';
import type { RecordViewer } from '../../store/record-visibility.js';
import {
  type KeyHit,
  personsWithContactKeys,
  personsWithMatchKeys,
  visibleLivePersons,
} from '../../store/repositories/person-match-keys.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import { DUPLICATE_RULES, type DuplicateRule, MIN_PHONE_KEY_DIGITS, SIMILAR_NAME_THRESHOLD, combinedScore } from './duplicate-rules.js';
import { nameSimilarity } from '../normalize/name-keys.js';
import type { PersonIdentity } from './person-identity.js';

/** One rule that matched: which fields, and the canonical keys they matched on. */
export interface DuplicateMatch {
  rule: DuplicateRule;
  score: number;
  fields: string[];
  keys: string[];
}

export interface DuplicateCandidate {
  person: PersonRow;
  /** The rules' scores combined, 0 to 1. */
  score: number;
  /** The strongest rule that matched. */
  rule: DuplicateRule;
  matches: DuplicateMatch[];
}

/** Whose duplicates are looked for: its identity, its name, and its own id (never its own duplicate). */
export interface DuplicateSubject {
  id?: number;
  name: string;
  identity: PersonIdentity;
}

// Bounds what one very common key (a shared switchboard number, a popular name) can pull in.
const HITS_PER_KEY_KIND = 200;
const MAX_CANDIDATES = 100;

/**
 * The live persons the viewer may see that look like duplicates of the subject, best first. Every rule is one
 * indexed equality lookup on person_contacts or person_match_keys; nothing scans the company.
 * `strongOnly` looks up only the rules a duplicate policy acts on.
 */
export async function findDuplicates(
  db: Executor,
  companyId: number,
  subject: DuplicateSubject,
  viewer: RecordViewer,
  options: { strongOnly?: boolean; limit?: number } = {},
): Promise<DuplicateCandidate[]> {
  const { identity } = subject;
  const keysOf = (rule: string) => identity.matchKeys.filter((k) => k.rule === rule).map((k) => k.key);
  const lookups: Promise<KeyHit[]>[] = [
    personsWithContactKeys(db, companyId, 'email', identity.emails, HITS_PER_KEY_KIND),
    personsWithContactKeys(db, companyId, 'phone', identity.phones.filter((p) => p.replace(/\D/g, '').length >= MIN_PHONE_KEY_DIGITS), HITS_PER_KEY_KIND),
    personsWithMatchKeys(db, companyId, 'org_name', keysOf('org_name'), HITS_PER_KEY_KIND),
  ];
  if (!options.strongOnly) {
    lookups.push(personsWithMatchKeys(db, companyId, 'domain_surname', keysOf('domain_surname'), HITS_PER_KEY_KIND));
    lookups.push(personsWithMatchKeys(db, companyId, 'name', keysOf('name'), HITS_PER_KEY_KIND));
  }
  // Sequential: a transaction's queries share one connection.
  const hits: KeyHit[] = [];
  for (const lookup of lookups) hits.push(...(await lookup));
  const byPerson = new Map<number, KeyHit[]>();
  for (const hit of hits) {
    if (hit.person_id === subject.id) continue;
    if (!byPerson.has(hit.person_id) && byPerson.size >= MAX_CANDIDATES) continue;
    byPerson.set(hit.person_id, [...(byPerson.get(hit.person_id) ?? []), hit]);
  }
  const rows = await visibleLivePersons(db, companyId, [...byPerson.keys()], viewer);
  const candidates: DuplicateCandidate[] = [];
  for (const person of rows) {
    const matches = matchesOf(subject, person, byPerson.get(person.id) ?? []);
    if (matches.length === 0) continue;
    matches.sort((a, b) => b.score - a.score);
    candidates.push({ person, score: combinedScore(matches.map((m) => m.score)), rule: matches[0].rule, matches });
  }
  candidates.sort((a, b) => b.score - a.score || a.person.id - b.person.id);
  return candidates.slice(0, options.limit ?? candidates.length);
}

/** The strongest duplicate a policy acts on, if any. */
export async function strongestDuplicate(db: Executor, companyId: number, subject: DuplicateSubject, viewer: RecordViewer): Promise<DuplicateCandidate | undefined> {
  const [best] = await findDuplicates(db, companyId, subject, viewer, { strongOnly: true, limit: 1 });
  return best;
}

function matchesOf(subject: DuplicateSubject, person: PersonRow, hits: KeyHit[]): DuplicateMatch[] {
  const keys = (kind: string) => [...new Set(hits.filter((h) => h.kind === kind).map((h) => h.key))];
  const matches: DuplicateMatch[] = [];
  const add = (rule: DuplicateRule, fields: string[], matched: string[]) => {
    if (matched.length > 0) matches.push({ rule, score: DUPLICATE_RULES[rule].score, fields, keys: matched });
  };
  add('same_email', ['emails'], keys('email'));
  add('same_phone', ['phones'], keys('phone'));
  add('same_name_same_organization', ['name', 'org_id'], keys('org_name').map((k) => k.slice(k.indexOf('|') + 1)));
  // The keys hold the surname only: the whole names must be alike too.
  if (nameSimilarity(subject.name, person.name) >= SIMILAR_NAME_THRESHOLD) {
    add('similar_name_shared_email_domain', ['name', 'emails'], keys('domain_surname').map((k) => k.slice(0, k.indexOf('|'))));
  }
  // The same name within the same organization says it already.
  if (!matches.some((m) => m.rule === 'same_name_same_organization')) add('same_name', ['name'], keys('name'));
  return matches;
}
