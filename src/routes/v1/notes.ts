import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderNoteV1 } from '../../domain/notes/note-render.js';
import { Envelope, IdParams, Nullable, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { OffsetListEnvelope, OffsetPageParams, offsetAdditionalData } from './v1-paging.js';

const Flag = (description: string) => Type.Optional(Type.Integer({ minimum: 0, maximum: 1, description }));
const PIN_FLAGS = {
  pinned_to_person_flag: Flag('1: pinned to its person (needs person_id)'),
  pinned_to_organization_flag: Flag('1: pinned to its organization (needs org_id)'),
  pinned_to_deal_flag: Flag('1: pinned to its deal (needs deal_id)'),
  pinned_to_lead_flag: Flag('Leads are not stored: only 0'),
  pinned_to_project_flag: Flag('Projects are not stored: only 0'),
  pinned_to_task_flag: Flag('Tasks are not stored: only 0'),
};
const Link = (description: string) => Type.Optional(Nullable(Type.Integer({ minimum: 1, description })));

const NoteBody = Type.Object(
  {
    content: Type.Optional(Type.String({ description: 'HTML; scripts, event handlers and unsafe URLs are removed before it is stored. Required on create' })),
    person_id: Link('The person the note is about'),
    org_id: Link('The organization the note is about'),
    deal_id: Link('The deal the note is about'),
    lead_id: Type.Optional(Nullable(Type.String({ description: 'Leads are not stored: refused' }))),
    project_id: Link('Projects are not stored: refused'),
    task_id: Link('Tasks are not stored: refused'),
    user_id: Type.Optional(Type.Integer({ minimum: 1, description: 'The author; only an admin can name another user' })),
    add_time: Type.Optional(Type.String({ description: 'YYYY-MM-DD HH:MM:SS (UTC)' })),
    ...PIN_FLAGS,
  },
  { additionalProperties: false },
);

const Note = Type.Object(
  {
    id: Type.Integer(),
    user_id: Type.Integer(),
    deal_id: Nullable(Type.Integer()),
    person_id: Nullable(Type.Integer()),
    org_id: Nullable(Type.Integer()),
    lead_id: Type.Null(),
    project_id: Type.Null(),
    task_id: Type.Null(),
    content: Type.String(),
    add_time: Type.String(),
    update_time: Type.String(),
    active_flag: Type.Boolean(),
    pinned_to_deal_flag: Type.Boolean(),
    pinned_to_organization_flag: Type.Boolean(),
    pinned_to_person_flag: Type.Boolean(),
    pinned_to_lead_flag: Type.Boolean(),
    pinned_to_project_flag: Type.Boolean(),
    pinned_to_task_flag: Type.Boolean(),
    last_update_user_id: Nullable(Type.Integer()),
    organization: Nullable(Type.Object({ name: Type.String() })),
    person: Nullable(Type.Object({ name: Type.String() })),
    deal: Nullable(Type.Object({ title: Type.String() })),
    user: Nullable(Type.Object({ email: Type.String(), name: Type.String(), icon_url: Nullable(Type.String()), is_you: Type.Boolean() })),
  },
  { $id: 'NoteV1' },
);

const ListQuery = query({
  ...OffsetPageParams,
  user_id: Type.Optional(Type.Integer({ minimum: 1, description: "Only this author's notes" })),
  person_id: Type.Optional(Type.Integer({ minimum: 1 })),
  org_id: Type.Optional(Type.Integer({ minimum: 1 })),
  deal_id: Type.Optional(Type.Integer({ minimum: 1 })),
  start_date: Type.Optional(Type.String({ description: 'YYYY-MM-DD; added on or after this day (UTC)' })),
  end_date: Type.Optional(Type.String({ description: 'YYYY-MM-DD; added on or before this day (UTC)' })),
  updated_since: Type.Optional(Type.String({ description: 'RFC 3339; update_time >= this' })),
  sort: Type.Optional(Type.String({ description: 'field ASC|DESC, comma-separated; fields id, user_id, deal_id, person_id, org_id, content, add_time, update_time' })),
  pinned_to_person_flag: PIN_FLAGS.pinned_to_person_flag,
  pinned_to_organization_flag: PIN_FLAGS.pinned_to_organization_flag,
  pinned_to_deal_flag: PIN_FLAGS.pinned_to_deal_flag,
});

const tags = ['Notes'];
const READ = ['deals:read', 'deals:full', 'contacts:read', 'contacts:full'] as const;
const WRITE = ['deals:full', 'contacts:full'] as const;

export const NoteV1Schema = Note;

export const notesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { notes } = services;
  const ref = Type.Ref(Note);

  app.get('/notes', { config: { cost: 20, scopes: READ }, schema: { tags, summary: 'List notes', querystring: ListQuery, response: { 200: OffsetListEnvelope(ref) } } }, async (req) => {
    const q = req.query;
    const pinned = Object.fromEntries(
      (['pinned_to_person_flag', 'pinned_to_organization_flag', 'pinned_to_deal_flag'] as const).filter((f) => q[f] !== undefined).map((f) => [f, q[f] as 0 | 1]),
    );
    const page = await notes.list(req.actor, {
      userId: q.user_id,
      personId: q.person_id,
      orgId: q.org_id,
      dealId: q.deal_id,
      startDate: q.start_date,
      endDate: q.end_date,
      updatedSince: q.updated_since,
      pinned,
      sort: q.sort,
      start: q.start,
      limit: q.limit,
    });
    return { success: true, data: page.rows.map((row) => renderNoteV1(row, page.names, req.actor.userId)) as never, additional_data: offsetAdditionalData(page) };
  });

  app.get('/notes/:id', { config: { cost: 2, scopes: READ }, schema: { tags, summary: 'Get one note', params: IdParams, response: { 200: Envelope(ref) } } }, async (req) => {
    const { row, names } = await notes.get(req.actor, req.params.id);
    return { success: true, data: renderNoteV1(row, names, req.actor.userId) as never };
  });

  app.post('/notes', { config: { cost: 10, scopes: WRITE }, schema: { tags, summary: 'Add a note', body: NoteBody, response: { 200: Envelope(ref) } } }, async (req) => {
    const { row, names } = await notes.create(req.actor, req.body);
    return { success: true, data: renderNoteV1(row, names, req.actor.userId) as never };
  });

  app.put('/notes/:id', { config: { cost: 10, scopes: WRITE }, schema: { tags, summary: 'Update a note', params: IdParams, body: NoteBody, response: { 200: Envelope(ref) } } }, async (req) => {
    const { row, names } = await notes.update(req.actor, req.params.id, req.body);
    return { success: true, data: renderNoteV1(row, names, req.actor.userId) as never };
  });

  app.delete('/notes/:id', { config: { cost: 6, scopes: WRITE }, schema: { tags, summary: 'Delete a note', params: IdParams, response: { 200: Envelope(Type.Boolean()) } } }, async (req) => {
    await notes.remove(req.actor, req.params.id);
    return { success: true, data: true };
  });
};
