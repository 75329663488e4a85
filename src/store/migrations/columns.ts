import type { ColumnDefinitionBuilder } from 'kysely';
import type { Dialect } from '../db.js';

/** An integer primary key that never reuses the id of a purged row, on either dialect. */
export function idColumn(column: ColumnDefinitionBuilder, dialect: Dialect): ColumnDefinitionBuilder {
  return dialect === 'postgres' ? column.primaryKey().generatedByDefaultAsIdentity() : column.primaryKey().autoIncrement();
}
