import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/*
 * Webhook subscriptions, the outbox of events still to deliver, and the log of delivery attempts.
 * Instants the dispatcher compares (due, lease, ban, failing since) are epoch milliseconds: retries can be
 * seconds apart and tests run them milliseconds apart, finer than the whole-second text timestamps.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subscription_url', 'text', (c) => c.notNull())
    .addColumn('event_action', 'text', (c) => c.notNull())
    .addColumn('event_object', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('http_auth_user', 'text')
    .addColumn('http_auth_password', 'text')
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('remove_time', 'text')
    .addColumn('remove_reason', 'text')
    .addColumn('last_delivery_time', 'text')
    .addColumn('last_http_status', 'integer')
    .addColumn('ban_counter', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('banned_until', 'bigint')
    .addColumn('failing_since', 'bigint')
    .execute();
  await db.schema.createIndex('webhooks_company').on('webhooks').columns(['company_id', 'id']).execute();

  await db.schema
    .createTable('webhook_outbox')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('webhook_id', 'integer', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_outbox_due').on('webhook_outbox').columns(['next_attempt_at', 'id']).execute();
  // Per-entity ordering looks for an earlier pending event of the same entity for the same webhook.
  await db.schema
    .createIndex('webhook_outbox_entity')
    .on('webhook_outbox')
    .columns(['webhook_id', 'entity', 'entity_id', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('webhook_id', 'integer', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('latency_ms', 'integer')
    .addColumn('error', 'text')
    // ISO 8601 with milliseconds: attempts of one event can be milliseconds apart.
    .addColumn('time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_webhook').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();
  await db.schema.createIndex('webhook_deliveries_time').on('webhook_deliveries').column('time').execute();
}
