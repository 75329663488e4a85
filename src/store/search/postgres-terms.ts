import { type RawBuilder, sql } from 'kysely';
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
    const table = sql.table(postgresTermsTable(entity));
    const counted = await sql<{ term: string; n: number }>`select t.term, (select count(*) from (select 1 from ${table} p
        where p.company_id = ${companyId} and p.term = t.term limit ${cap}) as capped)::int as n
      from unnest(${terms}::text[]) as t(term)`.execute(db);
    return new Map(counted.rows.map(({ term, n }) => [term, n]));
  },
};

/**
 * The ids of the company's rows the lookup finds, after `afterId`, in id order, at most `limit`: a query of `id`s.
 * `sizes` are the counted rows of its tokens: an AND is read from its smallest part, and by the kind of its terms
 * (`breadth`) where counts tie or are missing.
 */
export function termsIdsQuery(
  entity: SearchEntity,
  lookup: Lookup,
  companyId: number,
  afterId: number,
  limit: number,
  sizes: ReadonlyMap<string, number> = new Map(),
): RawBuilder<{ id: number }> {
  const terms = sql.table(postgresTermsTable(entity));
  const idColumn = SEARCH_TABLES[entity].id;
  let aliases = 0;

  /** Whether the row with id `id` has the lookup's terms: index probes. */
  const holds = (part: Lookup, id: RawBuilder<unknown>): RawBuilder<unknown> => {
    switch (part.op) {
      case 'token':
        // OFFSET 0 keeps the probe a probe: without it PostgreSQL turns EXISTS into a join it may start from this
        // side (reading every row of a common letter pair), its estimate for one term among many being a guess.
        return sql`exists (select 1 from ${terms} where company_id = ${companyId} and term = ${part.token} and ${sql.ref(idColumn)} = ${id} offset 0)`;
      case 'and':
        return sql`(${sql.join(part.of.map((p) => holds(p, id)), sql` and `)})`;
      case 'or':
        return sql`(${sql.join(part.of.map((p) => holds(p, id)), sql` or `)})`;
      case 'not':
        return sql`(${holds(part.of, id)} and not ${holds(part.except, id)})`;
    }
  };

  /** The ids having the lookup and passing `filters`, read in id order from the narrowest token on. */
  const read = (part: Lookup, filters: Array<(id: RawBuilder<unknown>) => RawBuilder<unknown>>): RawBuilder<unknown> => {
    switch (part.op) {
      case 'token': {
        const alias = `t${aliases++}`;
        const id = sql.ref(`${alias}.${idColumn}`);
        const checks = filters.map((filter) => sql` and ${filter(id)}`);
        return sql`select ${id} as id from ${terms} as ${sql.table(alias)}
          where ${sql.ref(`${alias}.company_id`)} = ${companyId} and ${sql.ref(`${alias}.term`)} = ${part.token} and ${id} > ${afterId}${sql.join(checks, sql``)}
          order by ${id} limit ${limit}`;
      }
      case 'and': {
        const smaller = (a: Lookup, b: Lookup) => estimatedRows(a, sizes) - estimatedRows(b, sizes) || breadth(a) - breadth(b);
        const narrowest = part.of.reduce((best, p) => (smaller(p, best) < 0 ? p : best));
        const others = part.of.filter((p) => p !== narrowest).map((p) => (id: RawBuilder<unknown>) => holds(p, id));
        // The lookup's own parts first: they drop most candidates, before the earlier tiers' exclusions are probed.
        return read(narrowest, [...others, ...filters]);
      }
      case 'or': {
        const alias = `u${aliases++}`;
        const parts = part.of.map((p) => sql`(${read(p, filters)})`);
        return sql`select distinct ${sql.ref(`${alias}.id`)} as id from (${sql.join(parts, sql` union all `)}) as ${sql.table(alias)} order by id limit ${limit}`;
      }
      case 'not':
        return read(part.of, [...filters, (id) => sql`not ${holds(part.except, id)}`]);
    }
  };

  return read(lookup, []) as RawBuilder<{ id: number }>;
}
