import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderPersonV1 } from '../../domain/persons/person-render-v1.js';
import { pictureUrls } from '../../domain/persons/picture-render.js';
import { requestOrigin } from '../../http/origin.js';
import { IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../services.js';

const MergeBody = Type.Object(
  { merge_with_id: Type.Integer({ minimum: 1, description: 'The person that survives; its values win on conflicts' }) },
  { additionalProperties: false },
);
const MergeEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ id: Type.Integer(), merge_what_id: Type.Integer() }, { additionalProperties: true }),
});

export const personMergeRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.put(
    '/persons/:id/merge',
    {
      schema: {
        tags: ['Persons'],
        summary: 'Merge two persons: {id} is merged into merge_with_id, which survives',
        params: IdParams,
        querystring: query({}),
        body: MergeBody,
        response: { 200: MergeEnvelope },
      },
    },
    async (req) => {
      const { survivor, mergedId, context } = await services.personMerge.merge(req.actor, req.params.id, req.body.merge_with_id);
      const person = renderPersonV1(survivor, context, pictureUrls(requestOrigin(req), survivor.id));
      return { success: true, data: { ...person, id: survivor.id, merge_what_id: mergedId } };
    },
  );
};
