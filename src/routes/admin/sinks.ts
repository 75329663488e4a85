import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { WebhookSinks } from '../../domain/testing/webhook-sinks.js';
import { errorBody } from '../../http/envelope.js';
import { ADMIN_TAG } from './tag.js';

const SinkParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) });
const unknownSink = (id: string) => errorBody(`Sink ${id} not found`, 'Create one with POST /_personsd/sinks.');

/** Creating and reading sinks needs the admin token. */
export const adminSinksRoutes: FastifyPluginAsyncTypebox<{ sinks: WebhookSinks }> = async (app, { sinks }) => {
  app.post('/sinks', { schema: { tags: [ADMIN_TAG], summary: 'Create a webhook sink: a URL personsd serves that records what is posted to it' } }, async (request, reply) => {
    const id = sinks.create();
    const url = `${request.protocol}://${request.host}/_personsd/sinks/${id}/receive`;
    return reply.status(201).send({ success: true, data: { id, url } });
  });
  app.get('/sinks/:id', { schema: { tags: [ADMIN_TAG], summary: 'The deliveries a sink received, oldest first', params: SinkParams } }, async (request, reply) => {
    const deliveries = sinks.deliveries(request.params.id);
    if (!deliveries) return reply.status(404).send(unknownSink(request.params.id));
    return { success: true, data: deliveries };
  });
};

/** The receiving end: webhook deliveries carry no admin token, so the unguessable id is what protects it. */
export const sinkReceiverRoutes: FastifyPluginAsyncTypebox<{ sinks: WebhookSinks }> = async (app, { sinks }) => {
  app.post('/sinks/:id/receive', { schema: { tags: [ADMIN_TAG], summary: 'Where a sink receives deliveries (no admin token needed)', params: SinkParams, security: [] } }, async (request, reply) => {
    const recorded = sinks.record(request.params.id, { headers: request.headers, body: request.body ?? null, time: new Date().toISOString() });
    if (!recorded) return reply.status(404).send(unknownSink(request.params.id));
    return { success: true };
  });
};
