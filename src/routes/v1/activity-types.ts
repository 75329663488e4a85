import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { activityFieldsV1 } from '../../domain/person-fields/activity-fields.js';
import { ACTIVITY_ICONS, renderActivityType } from '../../domain/activities/activity-types.service.js';
import { Envelope, IdList, IdParams, Nullable, StringEnum, parseIdList, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { ActivityTypeV1 } from './activities.schemas.js';
import { OffsetListEnvelope } from './v1-paging.js';

const TypeBody = (creating: boolean) =>
  Type.Object(
    {
      name: creating ? Type.String({ minLength: 1 }) : Type.Optional(Type.String({ minLength: 1 })),
      icon_key: creating ? StringEnum(ACTIVITY_ICONS) : Type.Optional(StringEnum(ACTIVITY_ICONS)),
      color: Type.Optional(Nullable(Type.String({ description: 'Six hexadecimal digits, such as FFFFFF' }))),
      ...(!creating && { order_nr: Type.Optional(Type.Integer({ minimum: 0 })) }),
    },
    { additionalProperties: false },
  );

const ActivityField = Type.Object({ id: Type.Integer(), key: Type.String(), name: Type.String(), field_type: Type.String() }, { additionalProperties: true });

const tags = ['ActivityTypes'];
const READ = ['activities:read', 'activities:full', 'admin'] as const;
const ADMIN = ['admin'] as const;

export const ActivityTypeV1Schema = ActivityTypeV1;

export const activityTypesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { activityTypes } = services;
  const ref = Type.Ref(ActivityTypeV1);

  app.get('/activityTypes', { config: { cost: 20, scopes: READ }, schema: { tags, summary: 'Get all activity types', response: { 200: Envelope(Type.Array(ref)) } } }, async (req) => {
    return { success: true, data: (await activityTypes.list(req.actor)).map(renderActivityType) };
  });

  app.post('/activityTypes', { config: { cost: 10, scopes: ADMIN }, schema: { tags, summary: 'Add an activity type (admins)', body: TypeBody(true), response: { 200: Envelope(ref) } } }, async (req, reply) => {
    reply.code(200);
    return { success: true, data: renderActivityType(await activityTypes.create(req.actor, req.body)) };
  });

  app.put(
    '/activityTypes/:id',
    { config: { cost: 10, scopes: ADMIN }, schema: { tags, summary: 'Update an activity type (admins)', params: IdParams, body: TypeBody(false), response: { 200: Envelope(ref) } } },
    async (req) => ({ success: true, data: renderActivityType(await activityTypes.update(req.actor, req.params.id, req.body)) }),
  );

  app.delete(
    '/activityTypes/:id',
    { config: { cost: 6, scopes: ADMIN }, schema: { tags, summary: 'Delete an activity type (admins; kept inactive)', params: IdParams, response: { 200: Envelope(ref) } } },
    async (req) => ({ success: true, data: renderActivityType((await activityTypes.remove(req.actor, [req.params.id]))[0]) }),
  );

  app.delete(
    '/activityTypes',
    {
      config: { cost: 10, scopes: ADMIN },
      schema: { tags, summary: 'Delete activity types in bulk (admins; all or none)', querystring: query({ ids: IdList }), response: { 200: Envelope(Type.Object({ id: Type.Array(Type.Integer()) })) } },
    },
    async (req) => ({ success: true, data: { id: (await activityTypes.remove(req.actor, parseIdList(req.query.ids) as number[])).map((t) => t.id) } }),
  );

  app.get(
    '/activityFields',
    {
      config: { cost: 20, scopes: ['activities:read', 'activities:full'] },
      schema: { tags: ['ActivityFields'], summary: 'Get all activity fields', response: { 200: OffsetListEnvelope(ActivityField) } },
    },
    async (req) => {
      const fields = activityFieldsV1(await activityTypes.companySince(req.actor));
      return { success: true, data: fields, additional_data: { pagination: { start: 0, limit: fields.length, more_items_in_collection: false } } };
    },
  );
};
