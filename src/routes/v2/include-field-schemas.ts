import { type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.js';

/** The response schema of optional `include_fields` values: counts are integers, activity ids integers or null, the rest text or null. */
export function includeFieldSchemas(names: readonly string[]): Record<string, TSchema> {
  const schemaOf = (name: string) =>
    name.endsWith('_count') ? Type.Integer() : name.endsWith('_activity_id') ? Nullable(Type.Integer()) : Nullable(Type.String());
  return Object.fromEntries(names.map((name) => [name, Type.Optional(schemaOf(name))]));
}

/** Adds fields to an object rendered as JSON text (its last character is the closing brace). */
export function withFields(json: string, fields: Record<string, unknown>): string {
  const extra = Object.entries(fields).map(([key, value]) => `,${JSON.stringify(key)}:${JSON.stringify(value)}`).join('');
  return extra === '' ? json : json.slice(0, -1) + extra + '}';
}
