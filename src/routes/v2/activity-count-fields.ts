import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.js';

/** The activity `include_fields` of organizations and deals, present only when asked for. */
export const ACTIVITY_COUNT_SCHEMA = {
  activities_count: Type.Optional(Type.Integer()),
  done_activities_count: Type.Optional(Type.Integer()),
  undone_activities_count: Type.Optional(Type.Integer()),
  next_activity_id: Type.Optional(Nullable(Type.Integer())),
  last_activity_id: Type.Optional(Nullable(Type.Integer())),
};

/** Adds fields to an object rendered as JSON text (its last character is the closing brace). */
export function withFields(json: string, fields: Record<string, unknown>): string {
  const extra = Object.entries(fields).map(([key, value]) => `,${JSON.stringify(key)}:${JSON.stringify(value)}`).join('');
  return extra === '' ? json : json.slice(0, -1) + extra + '}';
}
