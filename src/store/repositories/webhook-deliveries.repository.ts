import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../executor.js';
import { type KeysetPage, keysetPage } from '../keyset.js';
import type { WebhookDeliveriesTable } from '../schema.js';

export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type NewDeliveryRow = Insertable<WebhookDeliveriesTable>;

export async function insertDeliveries(db: Executor, rows: NewDeliveryRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('webhook_deliveries').values(rows).execute();
}

export async function listDeliveries(db: Executor, companyId: number, webhookId: number, page: KeysetPage): Promise<DeliveryRow[]> {
  const query = db.selectFrom('webhook_deliveries').selectAll().where('company_id', '=', companyId).where('webhook_id', '=', webhookId);
  return keysetPage(query, page).execute();
}

/** Forgets attempts recorded before `before` (ISO time). */
export async function pruneDeliveries(db: Executor, before: string): Promise<number> {
  const result = await db.deleteFrom('webhook_deliveries').where('time', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
