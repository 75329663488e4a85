import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ActivityFieldV2 } from '../../domain/person-fields/activity-fields.js';
import { parseIncludeFields } from '../../domain/include-fields.js';
import { CursorListEnvelope, Envelope, Nullable, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { FieldCodeParams } from './person-fields.schemas.js';

const ActivityField = Type.Object(
  {
    field_code: Type.String(),
    field_name: Type.String(),
    field_type: Type.String(),
    options: Nullable(Type.Array(Type.Object({ id: Type.Integer(), label: Type.String() }))),
    subfields: Nullable(Type.Array(Type.Object({ field_code: Type.String(), field_name: Type.String(), field_type: Type.String() }))),
    is_custom_field: Type.Boolean(),
    is_optional_response_field: Type.Boolean(),
    ui_visibility: Type.Optional(Type.Object({ add_visible_flag: Type.Boolean(), details_visible_flag: Type.Boolean() })),
  },
  { additionalProperties: false },
);
const IncludeFields = Type.Optional(Type.String({ description: 'Comma-separated: ui_visibility' }));
const tags = ['ActivityFields'];
const READ = ['activities:read', 'activities:full'] as const;

/** A field as v2 answers it: `ui_visibility` only when asked for. */
function render({ id: _position, ui_visibility, ...field }: ActivityFieldV2, include: ReadonlySet<string> | undefined) {
  return include?.has('ui_visibility') ? { ...field, ui_visibility } : field;
}

/** `GET /api/v2/activityFields` and `/{field_code}`: the activity fields, read-only (activities have no custom fields). */
export const activityFieldsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { activities } = services;
  app.get(
    '/activityFields',
    {
      config: { cost: 10, scopes: READ },
      schema: {
        tags,
        summary: 'Get all activity fields',
        querystring: query({ include_fields: IncludeFields, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })), cursor: Type.Optional(Type.String()) }),
        response: { 200: CursorListEnvelope(ActivityField) },
      },
    },
    async (req) => {
      const include = parseIncludeFields(req.query.include_fields, ['ui_visibility']);
      const { rows, nextCursor } = activities.fieldsPage({ limit: req.query.limit, cursor: req.query.cursor });
      return { success: true, data: rows.map((f) => render(f, include)), additional_data: { next_cursor: nextCursor } };
    },
  );
  app.get(
    '/activityFields/:field_code',
    { config: { cost: 1, scopes: READ }, schema: { tags, summary: 'Get one activity field', params: FieldCodeParams, querystring: query({ include_fields: IncludeFields }), response: { 200: Envelope(ActivityField) } } },
    async (req) => ({ success: true, data: render(activities.field(req.params.field_code), parseIncludeFields(req.query.include_fields, ['ui_visibility'])) }),
  );
};
