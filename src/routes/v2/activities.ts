import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderActivityV2 } from '../../domain/activities/activity-render.js';
import { invalid } from '../../domain/errors.js';
import { CursorListEnvelope, Envelope, IdList, IdParams, ListParams, Nullable, StringEnum, parseIdList, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

const Text = (description?: string) => Type.Optional(Nullable(Type.String(description === undefined ? {} : { description })));
const Link = (description: string) => Type.Optional(Nullable(Type.Integer({ minimum: 1, description })));

const LocationParts = {
  value: Text('The full address'),
  country: Text(),
  admin_area_level_1: Text(),
  admin_area_level_2: Text(),
  locality: Text(),
  sublocality: Text(),
  route: Text(),
  street_number: Text(),
  subpremise: Text(),
  postal_code: Text(),
};
const Location = Type.Object(LocationParts, { additionalProperties: false });
const Participant = Type.Object({ person_id: Type.Integer({ minimum: 1 }), primary: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
const AttendeeBody = Type.Object(
  {
    email: Text(),
    name: Text(),
    status: Text(),
    is_organizer: Type.Optional(Type.Boolean()),
    person_id: Link('A person of this company'),
    user_id: Link('A user of this company'),
  },
  { additionalProperties: false },
);

const ActivityBody = Type.Object(
  {
    subject: Type.Optional(Type.String({ description: "Defaults to the type's name" })),
    type: Type.Optional(Type.String({ description: 'The key_string of an active activity type; defaults to call' })),
    owner_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Defaults to the caller' })),
    deal_id: Link('The deal it is about'),
    lead_id: Type.Optional(Nullable(Type.String({ description: 'Leads are not stored: refused' }))),
    person_id: Link('The primary participant'),
    org_id: Link('The organization it is about'),
    project_id: Link('Projects are not stored: refused'),
    due_date: Type.Optional(Type.String({ description: 'YYYY-MM-DD; defaults to today (UTC)' })),
    due_time: Type.Optional(Nullable(Type.String({ description: 'HH:MM or HH:MM:SS, UTC' }))),
    duration: Type.Optional(Nullable(Type.String({ description: 'HH:MM or HH:MM:SS' }))),
    busy: Type.Optional(Type.Boolean()),
    done: Type.Optional(Type.Boolean()),
    location: Type.Optional(Nullable(Location)),
    participants: Type.Optional(Type.Array(Participant, { maxItems: 100 })),
    attendees: Type.Optional(Type.Array(AttendeeBody, { maxItems: 100 })),
    public_description: Text(),
    priority: Type.Optional(Nullable(Type.Integer({ description: 'An option id of the priority field (GET /v1/activityFields)' }))),
    note: Text('HTML; scripts, event handlers and unsafe URLs are removed before it is stored'),
  },
  { additionalProperties: false },
);

const Attendee = Type.Object({
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  status: Nullable(Type.String()),
  is_organizer: Type.Boolean(),
  person_id: Nullable(Type.Integer()),
  user_id: Nullable(Type.Integer()),
});

export const ActivityV2 = Type.Object(
  {
    id: Type.Integer(),
    subject: Type.String(),
    type: Type.String(),
    owner_id: Type.Integer(),
    creator_user_id: Type.Integer(),
    is_deleted: Type.Boolean(),
    add_time: Type.String(),
    update_time: Type.String(),
    deal_id: Nullable(Type.Integer()),
    lead_id: Type.Null(),
    person_id: Nullable(Type.Integer()),
    org_id: Nullable(Type.Integer()),
    project_id: Type.Null(),
    due_date: Type.String(),
    due_time: Nullable(Type.String()),
    duration: Nullable(Type.String()),
    busy: Type.Boolean(),
    done: Type.Boolean(),
    marked_as_done_time: Nullable(Type.String()),
    location: Nullable(Type.Object(Object.fromEntries(Object.keys(LocationParts).map((k) => [k, Nullable(Type.String())])))),
    participants: Type.Array(Type.Object({ person_id: Type.Integer(), primary: Type.Boolean() })),
    attendees: Type.Optional(Type.Array(Attendee)),
    conference_meeting_client: Type.Null(),
    conference_meeting_url: Type.Null(),
    conference_meeting_id: Type.Null(),
    public_description: Nullable(Type.String()),
    priority: Nullable(Type.Integer()),
    note: Nullable(Type.String()),
  },
  { $id: 'ActivityV2', additionalProperties: false },
);

const IncludeFields = Type.Optional(Type.String({ description: 'Comma-separated; supported: attendees' }));

const ListQuery = query({
  ...ListParams,
  sort_by: Type.Optional(StringEnum(['id', 'update_time', 'add_time', 'due_date'], { default: 'id' })),
  filter_id: Type.Optional(Type.Integer({ minimum: 1, description: 'A saved activity filter (GET /v1/filters?type=activity); ids, owner_id, deal_id, person_id and org_id are then ignored' })),
  ids: Type.Optional(IdList),
  owner_id: Type.Optional(Type.Integer({ minimum: 1 })),
  deal_id: Type.Optional(Type.Integer({ minimum: 1 })),
  lead_id: Type.Optional(Type.String({ description: 'Leads are not stored: no activity is linked to one, so the list is empty' })),
  person_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Activities whose primary participant is this person' })),
  org_id: Type.Optional(Type.Integer({ minimum: 1 })),
  done: Type.Optional(Type.Boolean()),
  include_fields: IncludeFields,
});

/** Reads `include_fields`: only `attendees` is listed by the spec for activities. */
function wantsAttendees(text: string | undefined): boolean {
  if (text === undefined) return false;
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.find((n) => n !== 'attendees');
  if (unknown !== undefined) throw invalid(`include_fields: unknown field "${unknown}"`, 'Activities take include_fields=attendees.');
  return names.length > 0;
}

const tags = ['Activities'];
const READ = ['activities:read', 'activities:full'] as const;
const WRITE = ['activities:full'] as const;

export const activitiesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { activities } = services;
  const ref = Type.Ref(ActivityV2);

  app.get('/activities', { config: { cost: 10, scopes: READ }, schema: { tags, summary: 'Get all activities', querystring: ListQuery, response: { 200: CursorListEnvelope(ref) } } }, async (req) => {
    const q = req.query;
    const attendees = wantsAttendees(q.include_fields);
    if (q.lead_id !== undefined) return { success: true, data: [], additional_data: { next_cursor: null } };
    const { rows, nextCursor } = await activities.list(req.actor, {
      filterId: q.filter_id,
      ids: parseIdList(q.ids),
      ownerId: q.owner_id,
      dealId: q.deal_id,
      personId: q.person_id,
      orgId: q.org_id,
      done: q.done === undefined ? undefined : q.done ? 1 : 0,
      updatedSince: q.updated_since,
      updatedUntil: q.updated_until,
      sortBy: q.sort_by,
      direction: q.sort_direction,
      limit: q.limit,
      cursor: q.cursor,
    });
    return { success: true, data: rows.map((r) => renderActivityV2(r, attendees)) as never, additional_data: { next_cursor: nextCursor } };
  });

  app.get(
    '/activities/:id',
    { config: { cost: 1, scopes: READ }, schema: { tags, summary: 'Get details of an activity', params: IdParams, querystring: query({ include_fields: IncludeFields }), response: { 200: Envelope(ref) } } },
    async (req) => {
      const attendees = wantsAttendees(req.query.include_fields);
      return { success: true, data: renderActivityV2(await activities.get(req.actor, req.params.id), attendees) as never };
    },
  );

  app.post('/activities', { config: { cost: 5, scopes: WRITE }, schema: { tags, summary: 'Add a new activity', body: ActivityBody, response: { 200: Envelope(ref) } } }, async (req) => {
    return { success: true, data: renderActivityV2(await activities.create(req.actor, req.body), true) as never };
  });

  app.patch('/activities/:id', { config: { cost: 5, scopes: WRITE }, schema: { tags, summary: 'Update an activity', params: IdParams, body: ActivityBody, response: { 200: Envelope(ref) } } }, async (req) => {
    return { success: true, data: renderActivityV2(await activities.update(req.actor, req.params.id, req.body), true) as never };
  });

  app.delete(
    '/activities/:id',
    { config: { cost: 3, scopes: WRITE }, schema: { tags, summary: 'Delete an activity (soft; purged after 30 days)', params: IdParams, response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } },
    async (req) => {
      await activities.remove(req.actor, req.params.id);
      return { success: true, data: { id: req.params.id } };
    },
  );
};
