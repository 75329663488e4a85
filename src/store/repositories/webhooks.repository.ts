import { type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import type { WebhooksTable } from '../schema.js';
import { dialectOf } from '../dialect/index.js';

export type WebhookRow = Selectable<WebhooksTable>;

export async function insertWebhook(db: Executor, row: Insertable<WebhooksTable>): Promise<WebhookRow> {
  return db.insertInto('webhooks').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A webhook of the company, removed ones included. */
export async function findWebhook(db: Executor, companyId: number, id: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
}

/** The company's webhooks (only those `ownerId` owns, when given), oldest first, removed ones included. */
export async function listWebhooks(db: Executor, companyId: number, ownerId?: number): Promise<WebhookRow[]> {
  let query = db.selectFrom('webhooks').selectAll().where('company_id', '=', companyId);
  if (ownerId !== undefined) query = query.where('owner_id', '=', ownerId);
  return query.orderBy('id').execute();
}

/** Webhooks that still receive events (not removed); banned ones included, their events are dropped. */
export async function listLiveWebhooks(db: Executor, companyId: number): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().where('company_id', '=', companyId).where('remove_time', 'is', null).orderBy('id').execute();
}

export async function countLiveWebhooks(db: Executor, companyId: number): Promise<number> {
  const row = await db
    .selectFrom('webhooks')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('company_id', '=', companyId)
    .where('remove_time', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Deletes the webhook with its pending events and its delivery log. The webhook row goes first: every
 * transaction that touches a webhook and its outbox rows locks them in that order, so none can deadlock.
 */
export async function deleteWebhook(db: Executor, companyId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
  await db.deleteFrom('webhook_outbox').where('company_id', '=', companyId).where('webhook_id', '=', id).execute();
  await db.deleteFrom('webhook_deliveries').where('company_id', '=', companyId).where('webhook_id', '=', id).execute();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Locks the webhook's row until the transaction ends (PostgreSQL; SQLite's write transactions exclude each other
 * anyway). Taken before its outbox rows, the order every such transaction uses.
 */
export async function lockWebhook(db: Executor, companyId: number, id: number): Promise<void> {
  await dialectOf(db).lockedExclusively(db.selectFrom('webhooks').select('id').where('company_id', '=', companyId).where('id', '=', id)).execute();
}

export async function recordWebhookSuccess(db: Executor, companyId: number, id: number, time: string, status: number): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ last_delivery_time: time, last_http_status: status, ban_counter: 0, failing_since: null })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .execute();
}

/**
 * Counts a failed attempt atomically (concurrent deliveries of one webhook each add theirs) and returns the
 * counters as they are afterwards. Only first attempts count towards a ban.
 */
export async function recordWebhookFailure(
  db: Executor,
  companyId: number,
  id: number,
  failure: { time: string; status: number | null; firstAttempt: boolean; now: number },
): Promise<{ ban_counter: number; failing_since: number | null } | undefined> {
  return db
    .updateTable('webhooks')
    .set((eb) => ({
      last_delivery_time: failure.time,
      last_http_status: failure.status,
      ban_counter: failure.firstAttempt ? eb('ban_counter', '+', 1) : eb.ref('ban_counter'),
      failing_since: eb.fn.coalesce('failing_since', eb.val(failure.now)),
    }))
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returning(['ban_counter', 'failing_since'])
    .executeTakeFirst();
}

/** Bans the webhook until `until` and starts its counter afresh; a no-op if another process banned it already. */
export async function banWebhook(db: Executor, companyId: number, id: number, until: number, threshold: number): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ banned_until: until, ban_counter: 0 })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('ban_counter', '>=', threshold)
    .execute();
}

/**
 * Stops deliveries for good but keeps the row, so the list shows when and why. Its pending events are left for
 * the dispatchers, which drop events of removed webhooks as they come due: deleting them here would wait on
 * rows other deliveries hold.
 */
export async function markWebhookRemoved(db: Executor, companyId: number, id: number, time: string, reason: string): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ remove_time: time, remove_reason: reason })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('remove_time', 'is', null)
    .execute();
}

/**
 * Holds the company's row until the transaction ends, so counting its webhooks and adding one is atomic.
 * SQLite needs nothing: a write transaction already excludes every other writer.
 */
export async function lockCompanyWebhooks(db: Executor, companyId: number): Promise<void> {
  await dialectOf(db).lockedExclusively(db.selectFrom('companies').select('id').where('id', '=', companyId)).execute();
}
