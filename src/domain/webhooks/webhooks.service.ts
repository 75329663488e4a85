import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import { type DeliveryRow, listDeliveries } from '../../store/repositories/webhook-deliveries.repository.js';
import * as webhooks from '../../store/repositories/webhooks.repository.js';
import type { WebhookRow } from '../../store/repositories/webhooks.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { DomainError } from '../errors.js';
import { pageFromRequest, pageResult } from '../paging.js';
import { toStoredTime } from '../time.js';
import { type Clock, systemClock } from './delivery-policy.js';
import { DeliveryTargets } from './delivery-targets.js';
import { defaultTargets } from './webhook-delivery-settings.js';
import { WebhookError, webhookInvalid } from './webhook-errors.js';

export interface WebhookInput {
  subscription_url: string;
  event_action: string;
  event_object: string;
  name?: string;
  user_id?: number;
  http_auth_user?: string | null;
  http_auth_password?: string | null;
  version?: string;
}

/** Pipedrive allows 40; personsd counts them per company (removed webhooks do not count). */
export const MAX_WEBHOOKS_PER_COMPANY = 40;

/**
 * Webhook subscriptions. Regular users manage the webhooks they own, authorised as themselves; admins manage all
 * of the company's and may authorise a webhook as any active user (Pipedrive's permission-level rule).
 */
export class WebhooksService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
    /** Also what renders a webhook's ban state. */
    readonly clock: Clock = systemClock,
    /** Which receivers a subscription may name. */
    private readonly targets: DeliveryTargets = new DeliveryTargets(defaultTargets(false)),
  ) {}

  list(actor: Actor): Promise<WebhookRow[]> {
    return webhooks.listWebhooks(this.db, actor.companyId, actor.isAdmin ? undefined : actor.userId);
  }

  async create(actor: Actor, input: WebhookInput): Promise<WebhookRow> {
    const url = subscriptionUrl(input.subscription_url);
    const userId = input.user_id ?? actor.userId;
    if (userId !== actor.userId && !actor.isAdmin) throw new WebhookError('forbidden', 'user_id', 'only admins may authorise a webhook as another user');
    // Before the transaction: it may wait for DNS.
    const refused = await this.targets.subscriptionRefusal(new URL(url));
    if (refused) throw webhookInvalid('subscription_url', `invalid or non-reachable URL: ${refused}`);
    return this.db.transaction().execute(async (trx) => {
      // Serialises creates per company, so two concurrent ones cannot both take the 40th place.
      await webhooks.lockCompanyWebhooks(trx, actor.companyId);
      const user = await findUser(trx, actor.companyId, userId);
      if (!user || user.active_flag !== 1) throw webhookInvalid('user_id', `${userId} is not an active user of this company`);
      if ((await webhooks.countLiveWebhooks(trx, actor.companyId)) >= MAX_WEBHOOKS_PER_COMPANY) {
        throw new WebhookError('limit_reached', 'webhooks', `Webhooks limit reached (${MAX_WEBHOOKS_PER_COMPANY} per company)`);
      }
      return webhooks.insertWebhook(trx, {
        company_id: actor.companyId,
        owner_id: actor.userId,
        user_id: userId,
        name: input.name ?? `${input.event_action}.${input.event_object}`,
        subscription_url: url,
        event_action: input.event_action,
        event_object: input.event_object,
        version: input.version ?? '2.0',
        http_auth_user: input.http_auth_user ?? null,
        http_auth_password: input.http_auth_password ?? null,
        add_time: toStoredTime(new Date(this.clock())),
        remove_time: null,
        remove_reason: null,
        last_delivery_time: null,
        last_http_status: null,
        banned_until: null,
        failing_since: null,
      });
    });
  }

  async remove(actor: Actor, id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const webhook = await this.visible(trx, actor, id);
      await webhooks.deleteWebhook(trx, actor.companyId, webhook.id);
    });
  }

  /** The newest delivery attempts first, cursor-paged. */
  async deliveries(actor: Actor, id: number, request: { limit?: number; cursor?: string }): Promise<{ rows: DeliveryRow[]; nextCursor: string | null }> {
    const webhook = await this.visible(this.db, actor, id);
    let page: ReturnType<typeof pageFromRequest>;
    try {
      page = pageFromRequest(this.cursors, { sortBy: 'id', direction: 'desc', limit: request.limit, cursor: request.cursor });
    } catch (error) {
      // Webhook endpoints name the field in their own error shape.
      if (error instanceof DomainError) throw webhookInvalid('cursor', error.message);
      throw error;
    }
    return pageResult(this.cursors, page, await listDeliveries(this.db, actor.companyId, webhook.id, page));
  }

  /** Another company's webhook is not found; another user's is forbidden to regular users. */
  private async visible(db: Executor, actor: Actor, id: number): Promise<WebhookRow> {
    const webhook = await webhooks.findWebhook(db, actor.companyId, id);
    if (!webhook) throw new WebhookError('not_found', 'id', 'not found');
    if (!actor.isAdmin && webhook.owner_id !== actor.userId) throw new WebhookError('forbidden', 'id', 'Forbidden');
    return webhook;
  }
}

/** An absolute http(s) URL; anything else (another scheme, relative, unparsable) is refused. */
function subscriptionUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw webhookInvalid('subscription_url', 'invalid or non-reachable URL: not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw webhookInvalid('subscription_url', `invalid or non-reachable URL: the scheme must be http or https, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.hostname === '') throw webhookInvalid('subscription_url', 'invalid or non-reachable URL: no host');
  return text.trim();
}
