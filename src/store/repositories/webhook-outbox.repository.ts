import { type Insertable, type Selectable, sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { WebhookOutboxTable } from '../schema.js';
import { dialectOf } from '../dialect/index.js';

export type OutboxRow = Selectable<WebhookOutboxTable>;
export type NewOutboxRow = Insertable<WebhookOutboxTable>;

/** An event as its lease holder names it. */
export interface LeasedEvent {
  companyId: number;
  id: number;
  owner: string;
}

export async function insertOutboxRows(db: Executor, rows: NewOutboxRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('webhook_outbox').values(rows).execute();
}

/** Whether any event is due and not leased: a plain read, so idle dispatchers never take SQLite's write lock. */
export async function anyDueEvent(db: Executor, now: number): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_outbox')
    .select('id')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Leases up to `limit` due events to `owner` until `leaseUntil` and returns them, in one statement, so two
 * dispatchers (in one process or many) never get the same event while its lease runs. An event waits while an
 * earlier event of the same entity for the same webhook is pending (being sent, or waiting for a retry), which
 * keeps each entity's events in order.
 * PostgreSQL: the candidate rows are locked with FOR UPDATE SKIP LOCKED, so concurrent dispatchers take
 * different rows instead of queueing on each other; the outer lease check re-runs on the locked row version.
 * SQLite: one UPDATE … RETURNING is atomic, and SQLite lets one writer in at a time across processes.
 */
export async function claimDueEvents(db: Executor, now: number, limit: number, leaseUntil: number, owner: string): Promise<OutboxRow[]> {
  let due = db
    .selectFrom('webhook_outbox as o')
    .select('o.id')
    .where('o.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<', now)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_outbox as earlier')
            .select(sql.lit(1).as('one'))
            .whereRef('earlier.webhook_id', '=', 'o.webhook_id')
            .whereRef('earlier.entity', '=', 'o.entity')
            .whereRef('earlier.entity_id', '=', 'o.entity_id')
            .whereRef('earlier.id', '<', 'o.id'),
        ),
      ),
    )
    .orderBy('o.id')
    .limit(limit);
  due = dialectOf(db).claimable(due);
  return db
    .updateTable('webhook_outbox')
    .set({ lease_until: leaseUntil, lease_owner: owner })
    .where('id', 'in', due)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .returningAll()
    .execute();
}

/** Removes a delivered, dropped or abandoned event; false when the lease was lost to another dispatcher. */
export async function finishEvent(db: Executor, event: LeasedEvent): Promise<boolean> {
  const result = await db
    .deleteFrom('webhook_outbox')
    .where('company_id', '=', event.companyId)
    .where('id', '=', event.id)
    .where('lease_owner', '=', event.owner)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Puts a failed event back for another attempt at `nextAttemptAt`; false when the lease was lost. */
export async function scheduleRetry(db: Executor, event: LeasedEvent, attempts: number, nextAttemptAt: number): Promise<boolean> {
  const result = await db
    .updateTable('webhook_outbox')
    .set({ attempts, next_attempt_at: nextAttemptAt, lease_until: null, lease_owner: null })
    .where('company_id', '=', event.companyId)
    .where('id', '=', event.id)
    .where('lease_owner', '=', event.owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives an event back untried (the dispatcher is stopping), so another process or the next start sends it. */
export async function releaseEvent(db: Executor, event: LeasedEvent): Promise<void> {
  await db
    .updateTable('webhook_outbox')
    .set({ lease_until: null, lease_owner: null })
    .where('company_id', '=', event.companyId)
    .where('id', '=', event.id)
    .where('lease_owner', '=', event.owner)
    .execute();
}


/** Events waiting to be sent, across every company (being sent, due, or waiting for a retry). */
export async function countQueuedEvents(db: Executor): Promise<number> {
  const row = await db.selectFrom('webhook_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
