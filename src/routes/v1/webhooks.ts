import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { EVENT_ACTIONS, EVENT_OBJECTS, WEBHOOK_VERSIONS } from '../../domain/webhooks/subscription.js';
import { renderDelivery, renderWebhookV1 } from '../../domain/webhooks/webhook-render.js';
import { IdParams, Nullable, StringEnum, query } from '../../http/schemas.js';
import { registerWebhookErrorHandling } from '../../http/webhook-error-handler.js';
import type { Services } from '../../app/services.js';

const Webhook = Type.Object(
  {
    id: Type.Integer(),
    company_id: Type.Integer(),
    owner_id: Type.Integer(),
    user_id: Type.Integer(),
    event_action: Type.String(),
    event_object: Type.String(),
    subscription_url: Type.String(),
    version: Type.String(),
    is_active: Type.Integer({ description: '0 while banned and once removed' }),
    add_time: Type.String(),
    remove_time: Nullable(Type.String()),
    type: Type.String(),
    http_auth_user: Nullable(Type.String()),
    http_auth_password: Nullable(Type.String()),
    remove_reason: Nullable(Type.String()),
    last_delivery_time: Nullable(Type.String()),
    last_http_status: Nullable(Type.Integer()),
    admin_id: Type.Integer(),
    name: Type.String(),
    banned_until: Nullable(Type.String({ description: 'personsd: while banned, until when events are dropped' })),
  },
  { $id: 'WebhookV1' },
);

const Delivery = Type.Object({
  id: Type.Integer(),
  event_id: Type.String({ description: 'The event (meta.id of a v2 payload); the same across its attempts' }),
  event: Type.String({ description: 'e.g. change.person (v2) or updated.person (v1)' }),
  entity_id: Type.Integer(),
  attempt: Type.Integer({ description: '1 to 4' }),
  result: StringEnum(['success', 'failure', 'dropped']),
  status_code: Nullable(Type.Integer()),
  latency_ms: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  time: Type.String(),
});

const NewWebhookBody = Type.Object(
  {
    subscription_url: Type.String({ minLength: 1, description: 'An absolute http or https URL' }),
    event_action: StringEnum(EVENT_ACTIONS),
    event_object: StringEnum(EVENT_OBJECTS),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Defaults to "<event_action>.<event_object>"' })),
    user_id: Type.Optional(Type.Integer({ minimum: 1, description: 'The user the webhook is authorised as; defaults to the caller' })),
    http_auth_user: Type.Optional(Nullable(Type.String())),
    http_auth_password: Type.Optional(Nullable(Type.String())),
    version: Type.Optional(StringEnum(WEBHOOK_VERSIONS, { default: '2.0' })),
  },
  { additionalProperties: false },
);

const WebhookErrors = Type.Object({ status: Type.Literal('error'), success: Type.Literal(false), errors: Type.Record(Type.String(), Type.Array(Type.String())) });
const ok = <T extends object>(props: T) => Type.Object({ status: Type.Literal('ok'), success: Type.Literal(true), ...props });

const tags = ['Webhooks'];

export const webhooksRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { webhooks } = services;
  registerWebhookErrorHandling(app);
  const render = (row: Parameters<typeof renderWebhookV1>[0]) => renderWebhookV1(row, webhooks.clock);

  app.get(
    '/webhooks',
    { config: { cost: 10, scopes: ['admin'] }, schema: { tags, summary: 'Get all webhooks', querystring: query({}), response: { 200: ok({ data: Type.Array(Type.Ref(Webhook)) }) } } },
    async (req) => ({ status: 'ok' as const, success: true as const, data: (await webhooks.list(req.actor)).map(render) }),
  );

  app.post(
    '/webhooks',
    {
      config: { cost: 10, scopes: ['admin'] },
      schema: {
        tags,
        summary: 'Create a new webhook',
        body: NewWebhookBody,
        response: { 201: ok({ data: Type.Ref(Webhook) }), 400: WebhookErrors, 422: WebhookErrors },
      },
    },
    async (req, reply) => reply.status(201).send({ status: 'ok', success: true, data: render(await webhooks.create(req.actor, req.body)) }),
  );

  app.delete(
    '/webhooks/:id',
    { config: { cost: 6, scopes: ['admin'] }, schema: { tags, summary: 'Delete a webhook', params: IdParams, querystring: query({}), response: { 200: ok({}), 404: WebhookErrors } } },
    async (req) => {
      await webhooks.remove(req.actor, req.params.id);
      return { status: 'ok' as const, success: true as const };
    },
  );

  app.get(
    // personsd's own: Pipedrive's generic v1 list cost; admin only, like every webhook operation.
    '/webhooks/:id/deliveries',
    {
      config: { cost: 20, scopes: ['admin'] },
      schema: {
        tags,
        summary: 'Recent delivery attempts of a webhook, newest first (personsd extension)',
        params: IdParams,
        querystring: query({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
        }),
        response: { 200: ok({ data: Type.Array(Delivery), additional_data: Type.Object({ next_cursor: Nullable(Type.String()) }) }), 404: WebhookErrors },
      },
    },
    async (req) => {
      const page = await webhooks.deliveries(req.actor, req.params.id, req.query);
      return { status: 'ok' as const, success: true as const, data: page.rows.map(renderDelivery), additional_data: { next_cursor: page.nextCursor } };
    },
  );
};

export { Webhook as WebhookV1Schema };
