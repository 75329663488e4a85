import { CompiledQuery } from 'kysely';

/**
 * The values of a PostgreSQL statement whose text is written by hand: the search's lookups, which take a new shape
 * with nearly every term, so Kysely built and compiled them afresh on every search (14.5% of a PostgreSQL search's
 * CPU at 100,000 persons, with the garbage its frozen nodes leave). The text holds only the caller's constants
 * (tables, columns, aliases); every value goes in through `value`, as a `$n` parameter.
 */
export class PgStatement {
  readonly parameters: unknown[] = [];

  /** A new placeholder holding the value. */
  value(value: unknown): string {
    this.parameters.push(value);
    return `$${this.parameters.length}`;
  }

  compiled<Row>(text: string): CompiledQuery<Row> {
    return CompiledQuery.raw(text, this.parameters) as CompiledQuery<Row>;
  }
}
