import { type Expression, type RawBuilder, type SqlBool, expressionBuilder, sql } from 'kysely';
import type { StoreDialect } from '../dialect/index.js';
import { type OwnedTable, type RecordViewer, recordVisibleTo } from '../record-visibility.js';
import type { Database } from '../schema.js';
import {
  FILTERABLE_COLUMNS,
  FILTERABLE_JSON_COLUMNS,
  FILTER_LINKS,
  type FilterPredicate,
  type FilterTarget,
  type FilterableTable,
  type LeafTest,
} from './filter-predicate.js';

/**
 * The one translation of a filter predicate into SQL, for SQLite and PostgreSQL alike: every list that takes a
 * `filter_id` adds the expression to its WHERE clause, so rows are selected by the database (with the list's
 * visibility, cursor and sort) and never filtered in code. Values are parameters; column names come from the
 * per-table lists in filter-predicate.ts and are refused otherwise. What differs by dialect is only how a value is
 * read out of JSON text (`json_extract` / `jsonb #>>`) and how an id list is searched (`json_each` / `@>`).
 */
export function predicateSql(dialect: StoreDialect, table: FilterableTable, predicate: FilterPredicate, viewer?: RecordViewer): Expression<SqlBool> {
  return translate({ postgres: dialect.name === 'postgres', table, viewer }, predicate);
}

interface Context {
  postgres: boolean;
  table: FilterableTable;
  /** Whose eyes related records are read with: a filter never tests a record the caller cannot see. */
  viewer?: RecordViewer;
}

function translate(ctx: Context, p: FilterPredicate): RawBuilder<SqlBool> {
  switch (p.kind) {
    case 'and':
    case 'or': {
      if (p.parts.length === 0) return p.kind === 'and' ? sql<SqlBool>`1 = 1` : sql<SqlBool>`1 = 0`;
      const glue = p.kind === 'and' ? sql` and ` : sql` or `;
      return sql<SqlBool>`(${sql.join(p.parts.map((part) => translate(ctx, part)), glue)})`;
    }
    case 'not':
      return sql<SqlBool>`(not ${translate(ctx, p.part)})`;
    case 'leaf':
      return leaf(ctx, p.target, p.test);
    case 'related':
      return related(ctx, p);
  }
}

/**
 * EXISTS over the linked record (its own table, so no alias is needed: links never lead back to the same table).
 * The linked record must be live and visible to the viewer, exactly as lists show links.
 */
function related(ctx: Context, p: Extract<FilterPredicate, { kind: 'related' }>): RawBuilder<SqlBool> {
  if (FILTER_LINKS[ctx.table][p.via] !== p.table) throw new Error(`${ctx.table}.${p.via} does not link to ${p.table}`);
  const inner: Context = { ...ctx, table: p.table };
  const visible =
    ctx.viewer === undefined || ctx.viewer.everything
      ? sql<SqlBool>`1 = 1`
      : recordVisibleTo(p.table as OwnedTable, ctx.viewer)(expressionBuilder<Database, OwnedTable>());
  const link = sql<SqlBool>`${sql.ref(`${p.table}.id`)} = ${sql.ref(`${ctx.table}.${p.via}`)} and ${sql.ref(`${p.table}.deleted_time`)} is null and ${visible}`;
  const matching = sql<SqlBool>`exists (select 1 from ${sql.table(p.table)} where ${link} and ${translate(inner, p.part)})`;
  if (!p.whenMissing) return matching;
  return sql<SqlBool>`(not exists (select 1 from ${sql.table(p.table)} where ${link}) or ${matching})`;
}

function leaf(ctx: Context, target: FilterTarget, test: LeafTest): RawBuilder<SqlBool> {
  switch (target.kind) {
    case 'contacts': {
      const row = sql.ref('filter_contacts.value');
      const matching = test.op === 'empty' ? sql<SqlBool>`1 = 1` : valueTest(row, test, 'text');
      const exists = sql<SqlBool>`exists (select 1 from person_contacts as filter_contacts where filter_contacts.person_id = ${sql.ref(`${ctx.table}.id`)} and filter_contacts.kind = ${target.contactKind} and ${matching})`;
      return test.op === 'empty' ? sql<SqlBool>`(not ${exists})` : exists;
    }
    case 'json-set': {
      const list = jsonNode(ctx, target.column, target.path);
      if (test.op === 'has') {
        return ctx.postgres
          ? sql<SqlBool>`coalesce(${list} @> jsonb_build_array(${test.id}::bigint), false)`
          : sql<SqlBool>`exists (select 1 from json_each(${column(ctx, target.column, true)}, ${sqlitePath(target.path)}) as filter_ids where filter_ids.value = ${test.id})`;
      }
      if (test.op !== 'empty') throw new Error(`a list of ids cannot be tested with ${test.op}`);
      return ctx.postgres
        ? sql<SqlBool>`(case when jsonb_typeof(${list}) = 'array' then jsonb_array_length(${list}) else 0 end = 0)`
        : sql<SqlBool>`(coalesce(json_array_length(${column(ctx, target.column, true)}, ${sqlitePath(target.path)}), 0) = 0)`;
    }
    case 'column':
      return valueTest(column(ctx, target.column, false), test, target.type);
    case 'json':
      return valueTest(jsonScalar(ctx, target.column, target.path, target.type), test, target.type);
  }
}

/** A two-valued test of one value: a missing value is empty and fails every other test. */
function valueTest(value: RawBuilder<unknown>, test: LeafTest, type: 'text' | 'number'): RawBuilder<SqlBool> {
  switch (test.op) {
    case 'empty':
      return type === 'text' ? sql<SqlBool>`(${value} is null or ${value} = '')` : sql<SqlBool>`(${value} is null)`;
    case 'cmp': {
      const constant = type === 'number' ? Number(test.value) : String(test.value);
      return sql<SqlBool>`(${value} is not null and ${value} ${sql.raw(test.cmp)} ${constant})`;
    }
    case 'like': {
      const escaped = test.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      const pattern = test.prefix ? `${escaped}%` : `%${escaped}%`;
      return sql<SqlBool>`(${value} is not null and lower(${value}) like ${pattern} escape '\\')`;
    }
    case 'has':
      throw new Error('only a list of ids can be tested with has');
  }
}

function column(ctx: Context, name: string, json: boolean): RawBuilder<unknown> {
  const allowed: readonly string[] = json ? FILTERABLE_JSON_COLUMNS[ctx.table] : FILTERABLE_COLUMNS[ctx.table];
  if (!allowed.includes(name)) throw new Error(`${ctx.table}.${name} cannot be filtered on`);
  return sql.ref(`${ctx.table}.${name}`);
}

/** The JSON node at `path` (PostgreSQL jsonb), null when absent. */
function jsonNode(ctx: Context, name: string, path: string[]): RawBuilder<unknown> {
  const doc = sql`(${column(ctx, name, true)})::jsonb`;
  return path.length === 0 ? doc : sql`(${doc} #> ${path}::text[])`;
}

/** A scalar inside a JSON text column: text (dates are ISO text) or a number. */
function jsonScalar(ctx: Context, name: string, path: string[], type: 'text' | 'number'): RawBuilder<unknown> {
  if (ctx.postgres) {
    const text = sql`((${column(ctx, name, true)})::jsonb #>> ${path}::text[])`;
    return type === 'number' ? sql`(${text})::numeric` : text;
  }
  return sql`json_extract(${column(ctx, name, true)}, ${sqlitePath(path)})`;
}

/** `$."a"."b"`: every key quoted, so a key is never read as path syntax. */
function sqlitePath(path: string[]): string {
  return '$' + path.map((key) => `."${key.replace(/"/g, '')}"`).join('');
}
