import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { RequestJournal } from '../../http/request-journal.js';
import { query } from '../../http/schemas.js';
import { ADMIN_TAG } from './tag.js';

const JournalQuery = query({
  method: Type.Optional(Type.String()),
  path: Type.Optional(Type.String({ description: 'An exact path, or a pattern with * wildcards' })),
  status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  since: Type.Optional(Type.String({ format: 'date-time' })),
});

export const adminRequestsRoutes: FastifyPluginAsyncTypebox<{ journal: RequestJournal }> = async (app, { journal }) => {
  app.get(
    '/requests',
    { schema: { tags: [ADMIN_TAG], summary: 'The API requests received, newest first, secrets masked', querystring: JournalQuery } },
    async (request) => {
      const { since, ...rest } = request.query;
      return { success: true, data: journal.list({ ...rest, since: since === undefined ? undefined : new Date(since) }) };
    },
  );
  app.delete('/requests', { schema: { tags: [ADMIN_TAG], summary: 'Empty the request journal' } }, async () => {
    journal.clear();
    return { success: true };
  });
};
