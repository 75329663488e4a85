import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderPersonV2 } from '../../domain/persons/person-render.js';
import { sendJsonText } from '../../http/envelope.js';
import { IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { DuplicatesEnvelope, DuplicatesQuery, IdentitySettingsBody, IdentitySettingsEnvelope } from './person-identity.schemas.js';

const tags = ['Persons (personsd extensions)'];

/** personsd's identity extensions: duplicates of a person and the company's identity settings. */
export const personIdentityRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  // personsd's identity extensions: priced like their nearest Pipedrive operations, scoped as person reads and writes.
  app.get(
    '/persons/:id/duplicates',
    { config: { cost: 10, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'Persons that look like duplicates of this one, scored, with the rules that matched', params: IdParams, querystring: DuplicatesQuery, response: { 200: DuplicatesEnvelope } } },
    async (req) => {
      const candidates = await services.duplicates.find(req.actor, req.params.id, req.query.limit ?? 20);
      return {
        success: true,
        data: candidates.map((c) => ({ id: c.person.id, name: c.person.name, org_id: c.person.org_id, owner_id: c.person.owner_id, score: c.score, rule: c.rule, matches: c.matches })),
      };
    },
  );

  app.post(
    '/persons/:id/unmerge',
    {
      config: { cost: 40, scopes: ['contacts:full'] },
      schema: {
        tags,
        summary: 'Undo the latest merge this person took part in (within 30 days): both persons and the links that moved are restored',
        params: IdParams,
        querystring: query({ merged_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Undo the merge that merged this person away (default: the latest)' })) }),
      },
    },
    async (req, reply) => {
      const { survivor, restored, notRestored } = await services.personUnmerge.unmerge(req.actor, req.params.id, req.query.merged_id);
      const data = `{"survivor":${renderPersonV2(survivor)},"restored":${renderPersonV2(restored)}}`;
      return sendJsonText(reply, `{"success":true,"data":${data},"additional_data":{"not_restored":${JSON.stringify(notRestored)}}}`);
    },
  );

  app.get('/identitySettings', { config: { cost: 1, scopes: ['contacts:read', 'contacts:full', 'admin'] }, schema: { tags, summary: "The company's phone region and duplicate policy", querystring: query({}), response: { 200: IdentitySettingsEnvelope } } }, async (req) => ({
    success: true,
    data: await services.identity.get(req.actor),
  }));

  app.patch(
    '/identitySettings',
    { config: { cost: 5, scopes: ['admin'] }, schema: { tags, summary: "Set the company's phone region (re-keys its phone numbers) and duplicate policy; admins only", querystring: query({}), body: IdentitySettingsBody, response: { 200: IdentitySettingsEnvelope } } },
    async (req) => ({ success: true, data: await services.identity.update(req.actor, req.body) }),
  );
};
