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
 * 10,000. At 1,000,000 persons a number's first three digits (`777`) start about 1,100 words while a common surname
 * holds 60,000 rows: a cap of 1,000 alone tied them and read the surname (600 ms a search).
 */
export const POSTGRES_TERM_COUNTING: TermCounting = {
  name: 'postgres',
  firstCap: 1_000,
  tieCap: 10_000,
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
  let aliases = 0;

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
        const alias = `"t${aliases++}"`;
        const id = `${alias}.${idColumn}`;
        const where = `${alias}."company_id" = ${company} and ${alias}."term" = ${statement.value(part.token)} and ${id} > ${after}`;
        const checks = filters.map((filter) => ` and ${filter(id)}`).join('');
        return `select ${id} as id from ${terms} as ${alias} where ${where}${checks} order by ${id} limit ${atMost}`;
      }
      case 'and': {
        const smaller = (a: Lookup, b: Lookup) => estimatedRows(a, sizes) - estimatedRows(b, sizes) || breadth(a) - breadth(b);
        const narrowest = part.of.reduce((best, p) => (smaller(p, best) < 0 ? p : best));
        const others = part.of.filter((p) => p !== narrowest).map((p) => (id: string) => holds(p, id));
        // The lookup's own parts first: they drop most candidates, before the earlier tiers' exclusions are probed.
        return read(narrowest, [...others, ...filters]);
      }
      case 'or': {
        const alias = `"u${aliases++}"`;
        const parts = part.of.map((p) => `(${read(p, filters)})`);
        return `select distinct ${alias}."id" as id from (${parts.join(' union all ')}) as ${alias} order by id limit ${atMost}`;
      }
      case 'not':
        return read(part.of, [...filters, (id) => `not ${holds(part.except, id)}`]);
    }
  };

  return read(lookup, []);
}
