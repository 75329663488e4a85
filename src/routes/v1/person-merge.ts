import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderPersonV1 } from '../../domain/persons/person-render-v1.js';
import { pictureUrls } from '../../domain/persons/picture-render.js';
import { requestOrigin } from '../../http/origin.js';
import { IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

const MergeBody = Type.Object(
  { merge_with_id: Type.Integer({ minimum: 1, description: 'The person that survives; its values win on conflicts' }) },
  { additionalProperties: false },
);
const MergeEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ id: Type.Integer(), merge_what_id: Type.Integer() }, { additionalProperties: true }),
  additional_data: Type.Optional(
    Type.Object(
      {
        dry_run: Type.Boolean(),
        sources: Type.Array(Type.Object({}, { additionalProperties: true }), { description: '{field, value, source (merge_with_id, id or both), person_id} for each field, list item and custom value' }),
      },
      { description: 'Only with dry_run=true' },
    ),
  ),
});
const MergeQuery = query({
  dry_run: Type.Optional(Type.Boolean({ description: 'personsd extension: true answers the merged person as it would be, with the source of each value, and changes nothing' })),
});

export const personMergeRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.put(
    '/persons/:id/merge',
    {
      config: { cost: 40, scopes: ['contacts:full'] },
      schema: {
        tags: ['Persons'],
        summary: 'Merge two persons: {id} is merged into merge_with_id, which survives',
        params: IdParams,
        querystring: MergeQuery,
        body: MergeBody,
        response: { 200: MergeEnvelope },
      },
    },
    async (req) => {
      const dryRun = req.query.dry_run === true;
      const { survivor, mergedId, context, sources } = await services.personMerge.merge(req.actor, req.params.id, req.body.merge_with_id, { dryRun });
      const person = renderPersonV1(survivor, context, pictureUrls(requestOrigin(req), survivor.id));
      const data = { ...person, id: survivor.id, merge_what_id: mergedId };
      return dryRun ? { success: true, data, additional_data: { dry_run: true, sources } } : { success: true, data };
    },
  );
};
