import { CompiledQuery } from 'kysely';
import type { PgStatement } from '../pg-statement.js';
import { type Lookup, breadth, estimatedRows } from './index-lookups.js';
import { SEARCH_TABLES, type SearchEntity } from './search-match.js';
import type { TermCounting } from './term-sizes.js';

/*
 * PostgreSQL's terms index (see index-lookups.ts): `<entity>_terms` holds a row per (company, term, id), keyed in
 * that order, so one term's ids come from the primary key in id order and LIMIT stops reading early. (SQLite's
 * FTS5 terms table is `<entity>_search_terms`; the names differ so neither backend's code can touch the other's.)
 * A lookup becomes one query: the narrowest token of an AND (by counted rows, term-sizes.ts) is read in id order
 * and every other part is an index probe per candidate (EXISTS), NOT is NOT EXISTS, OR a union of the parts'
 * ordered reads, each cut at the limit.
 */

export const POSTGRES_TERMS_TABLES = { person: 'person_terms', organization: 'organization_terms', deal: 'deal_terms' } as const;

export function postgresTermsTable(entity: SearchEntity): string {
  return POSTGRES_TERMS_TABLES[entity];
}

/**
 * A company's rows of each term, to choose which part of an AND to read (term-sizes.ts): first up to 1,000, enough to
 * find a rare part (a number, an unusual name) among common ones; where every part of an AND reached that, up to
 * 10,000, and where they all reached that too, up to 100,000 (about 14 ms a term, remembered for ten minutes). At
 * 1,000,000 persons a number's first three digits (`777`) start about 1,100 words while a common surname holds 60,000
 * rows: a cap of 1,000 alone tied them and read the surname (600 ms a search). The last cap tells an AND of common
 * words (a first name and a surname, 62,500 rows each) from an AND with a word of every row (`com`), which
 * `mergedParts` needs.
 */
const COUNT_CAPS = [1_000, 10_000, 100_000] as const;

export const POSTGRES_TERM_COUNTING: TermCounting = {
  name: 'postgres',
  firstCap: COUNT_CAPS[0],
  tieCaps: COUNT_CAPS.slice(1),
  async count(db, entity, companyId, terms, cap) {
    const counted = await db.executeQuery<{ term: string; n: number }>(CompiledQuery.raw(countText(entity), [companyId, terms, cap]));
    return new Map(counted.rows.map(({ term, n }) => [term, n]));
  },
};

const countText = (entity: SearchEntity) => `select t.term, (select count(*) from (select 1 from "${postgresTermsTable(entity)}" p
    where p.company_id = $1 and p.term = t.term limit $3) as capped)::int as n
  from unnest($2::text[]) as t(term)`;

/**
 * The SQL text of a query of the ids of the company's rows the lookup finds, after `afterId`, in id order, at most
 * `limit`, its values added to `statement`. `sizes` are the counted rows of its tokens: an AND is read from its
 * smallest part, and by the kind of its terms (`breadth`) where counts tie or are missing.
 */
export function termsIdsQuery(
  statement: PgStatement,
  entity: SearchEntity,
  lookup: Lookup,
  companyId: number,
  afterId: number,
  limit: number,
  sizes: ReadonlyMap<string, number> = new Map(),
): string {
  const terms = `"${postgresTermsTable(entity)}"`;
  const idColumn = `"${SEARCH_TABLES[entity].id}"`;
  const company = statement.value(companyId);
  const after = statement.value(afterId);
  const atMost = statement.value(limit);
  let aliasCount = 0;

  /** Whether the row with id `id` has the lookup's terms: index probes. */
  const holds = (part: Lookup, id: string): string => {
    switch (part.op) {
      case 'token':
        // OFFSET 0 keeps the probe a probe: without it PostgreSQL turns EXISTS into a join it may start from this
        // side (reading every row of a common letter pair), its estimate for one term among many being a guess.
        return `exists (select 1 from ${terms} where company_id = ${company} and term = ${statement.value(part.token)} and ${idColumn} = ${id} offset 0)`;
      case 'and':
        return `(${part.of.map((p) => holds(p, id)).join(' and ')})`;
      case 'or':
        return `(${part.of.map((p) => holds(p, id)).join(' or ')})`;
      case 'not':
        return `(${holds(part.of, id)} and not ${holds(part.except, id)})`;
    }
  };

  /** The ids having the lookup and passing `filters`, read in id order from the narrowest token on. */
  const read = (part: Lookup, filters: Array<(id: string) => string>): string => {
    switch (part.op) {
      case 'token': {
        const alias = `"t${aliasCount++}"`;
        const id = `${alias}.${idColumn}`;
        const where = `${alias}."company_id" = ${company} and ${alias}."term" = ${statement.value(part.token)} and ${id} > ${after}`;
        const checks = filters.map((filter) => ` and ${filter(id)}`).join('');
        return `select ${id} as id from ${terms} as ${alias} where ${where}${checks} order by ${id} limit ${atMost}`;
      }
      case 'and': {
        const smaller = (a: Lookup, b: Lookup) => estimatedRows(a, sizes) - estimatedRows(b, sizes) || breadth(a) - breadth(b);
        const narrowest = part.of.reduce((best, p) => (smaller(p, best) < 0 ? p : best));
        const merged = mergedParts(narrowest, part.of, sizes);
        const others = part.of.filter((p) => p !== narrowest && !(merged as Lookup[]).includes(p)).map((p) => (id: string) => holds(p, id));
        // The lookup's own parts first: they drop most candidates, before the earlier tiers' exclusions are probed.
        if (merged.length > 0) return readTogether([narrowest as Token, ...merged], [...others, ...filters]);
        return read(narrowest, [...others, ...filters]);
      }
      case 'or': {
        const alias = `"u${aliasCount++}"`;
        const parts = part.of.map((p) => `(${read(p, filters)})`);
        return `select distinct ${alias}."id" as id from (${parts.join(' union all ')}) as ${alias} order by id limit ${atMost}`;
      }
      case 'not':
        return read(part.of, [...filters, (id) => `not ${holds(part.except, id)}`]);
    }
  };

  /**
   * The ids holding every one of the tokens, as a join of their id-ordered reads, which PostgreSQL runs as a merge of
   * the lists (`mergedParts` says when that beats probing).
   */
  const readTogether = (tokens: Token[], filters: Array<(id: string) => string>): string => {
    const aliases = tokens.map(() => `"t${aliasCount++}"`);
    const first = `${aliases[0]}.${idColumn}`;
    const ofToken = (k: number) => `${aliases[k]}."company_id" = ${company} and ${aliases[k]}."term" = ${statement.value(tokens[k].token)} and ${aliases[k]}.${idColumn} > ${after}`;
    const joins = aliases.slice(1).map((alias, k) => ` join ${terms} as ${alias} on ${ofToken(k + 1)} and ${alias}.${idColumn} = ${first}`).join('');
    // OFFSET 0 keeps the other probes (earlier tiers' exclusions) on the merged rows: PostgreSQL would otherwise move
    // them into the first list's scan and probe every row of it (`radia` for `radia lovelace`: sixteen times as many).
    const rows = `"m${aliasCount++}"`;
    const checks = filters.length === 0 ? '' : ` where ${filters.map((filter) => filter(`${rows}."id"`)).join(' and ')}`;
    const together = `select ${first} as id from ${terms} as ${aliases[0]}${joins} where ${ofToken(0)} order by ${first} offset 0`;
    return `select ${rows}."id" as id from (${together}) as ${rows}${checks} order by ${rows}."id" limit ${atMost}`;
  };

  return read(lookup, []);
}

type Token = Extract<Lookup, { op: 'token' }>;

/** Below this many candidates, probing each for the other parts is cheap (a few ms at most); above, lists may merge. */
const MERGE_FROM = 1_000;
/**
 * How much longer than the narrowest part's list another part's may be and still be merged with it. Read in id order,
 * an index entry costs about a twentieth of a probe (at 1,000,000 persons: 62,500 probes 185 ms, the same AND as a
 * merge of three lists of 136,000 entries in all 8–16 ms; docs/benchmarks.md).
 */
const MERGE_RATIO = 16;

/**
 * The other token parts of an AND to read together with its narrowest part, merging their id-ordered lists, instead
 * of probing the narrowest part's every row for them: those whose counted rows are known to be at most MERGE_RATIO
 * times the narrowest's, where the narrowest holds MERGE_FROM rows or more. A count at one of the caps is only a
 * floor, and a part that may hold every row (`com` in the emails) is probed unless the narrowest is as large.
 */
export function mergedParts(narrowest: Lookup, parts: readonly Lookup[], sizes: ReadonlyMap<string, number>): Token[] {
  if (narrowest.op !== 'token') return [];
  const rows = sizes.get(narrowest.token);
  if (rows === undefined || rows < MERGE_FROM) return [];
  const highest = COUNT_CAPS[COUNT_CAPS.length - 1];
  const mergeable = (part: Lookup): part is Token => {
    if (part === narrowest || part.op !== 'token') return false;
    const count = sizes.get(part.token);
    if (count === undefined) return false;
    if (rows >= highest) return true;
    return !(COUNT_CAPS as readonly number[]).includes(count) && count <= rows * MERGE_RATIO;
  };
  return parts.filter(mergeable);
}
