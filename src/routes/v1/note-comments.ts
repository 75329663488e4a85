import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderNoteCommentV1 } from '../../domain/notes/note-comments.service.js';
import { Envelope, IdParams, Nullable } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { OffsetListEnvelope, OffsetPageQuery } from './v1-paging.js';

const Comment = Type.Object(
  {
    uuid: Type.String(),
    active_flag: Type.Boolean(),
    add_time: Type.String(),
    update_time: Type.String(),
    content: Type.String(),
    object_id: Type.String(),
    object_type: Type.String(),
    user_id: Type.Integer(),
    updater_id: Nullable(Type.Integer()),
    company_id: Type.Integer(),
  },
  { $id: 'NoteCommentV1' },
);
const CommentBody = Type.Object({ content: Type.String({ description: 'HTML, sanitised as a note is' }) }, { additionalProperties: false });
const CommentParams = Type.Object({ id: IdParams.properties.id, commentId: Type.String({ format: 'uuid', description: 'The comment UUID' }) });

const tags = ['Notes'];
const READ = ['deals:read', 'deals:full', 'contacts:read', 'contacts:full'] as const;
const WRITE = ['deals:full', 'contacts:full'] as const;

export const NoteCommentV1Schema = Comment;

export const noteCommentsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { noteComments } = services;
  const ref = Type.Ref(Comment);

  app.get('/notes/:id/comments', { config: { cost: 20, scopes: READ }, schema: { tags, summary: 'List the comments of a note', params: IdParams, querystring: OffsetPageQuery, response: { 200: OffsetListEnvelope(ref) } } }, async (req) => {
    const page = await noteComments.list(req.actor, req.params.id, req.query.start ?? 0, req.query.limit ?? 100);
    const pagination = { start: page.start, limit: page.limit, more_items_in_collection: page.more, ...(page.more && { next_start: page.start + page.limit }) };
    return { success: true, data: page.rows.map(renderNoteCommentV1) as never, additional_data: { pagination } };
  });

  app.post('/notes/:id/comments', { config: { cost: 10, scopes: WRITE }, schema: { tags, summary: 'Add a comment to a note', params: IdParams, body: CommentBody, response: { 200: Envelope(ref) } } }, async (req) => {
    return { success: true, data: renderNoteCommentV1(await noteComments.add(req.actor, req.params.id, req.body.content)) as never };
  });

  app.get('/notes/:id/comments/:commentId', { config: { cost: 2, scopes: READ }, schema: { tags, summary: 'Get one comment', params: CommentParams, response: { 200: Envelope(ref) } } }, async (req) => {
    return { success: true, data: renderNoteCommentV1(await noteComments.get(req.actor, req.params.id, req.params.commentId)) as never };
  });

  app.put('/notes/:id/comments/:commentId', { config: { cost: 10, scopes: WRITE }, schema: { tags, summary: 'Update a comment', params: CommentParams, body: CommentBody, response: { 200: Envelope(ref) } } }, async (req) => {
    return { success: true, data: renderNoteCommentV1(await noteComments.update(req.actor, req.params.id, req.params.commentId, req.body.content)) as never };
  });

  app.delete('/notes/:id/comments/:commentId', { config: { cost: 6, scopes: WRITE }, schema: { tags, summary: 'Delete a comment', params: CommentParams, response: { 200: Envelope(Type.Boolean()) } } }, async (req) => {
    await noteComments.remove(req.actor, req.params.id, req.params.commentId);
    return { success: true, data: true };
  });
};
