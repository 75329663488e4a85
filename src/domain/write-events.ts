import type { Executor } from '../store/executor.js';
import type { Actor } from './actor.js';
import { together } from './together.js';

export type WriteAction = 'create' | 'change' | 'delete' | 'merge';

/** One committed-together change of one entity: its state before and after (null where it did not exist). */
export interface WriteEvent<Row> {
  entity: 'person' | 'organization' | 'deal' | 'note' | 'activity';
  action: WriteAction;
  actor: Actor;
  before: Row | null;
  after: Row | null;
  /**
   * A merge is told as two events: the survivor's ('merge', before/after of the survivor, `mergedFromId` = the
   * merged-away id) and the merged-away entity's ('delete', `mergedToId` = the survivor's id). Webhooks render
   * them as Pipedrive does (v2: change + delete with meta.merged_from_id / merged_to_id; v1: merged + deleted).
   */
  mergedFromId?: number;
  mergedToId?: number;
  /**
   * A person's phone keys (E.164 digits, in order) as this write stored them in its contact rows; absent when the
   * write left the contact rows alone, and listeners that need them read them from the store.
   */
  phoneKeys?: readonly string[];
}

/**
 * Something that must happen in the same transaction as a write: the search index, field history, the webhook
 * outbox. Services call every listener before committing, so a rolled-back write leaves no trace in any of them.
 */
export type WriteListener<Row> = (trx: Executor, event: WriteEvent<Row>) => Promise<void>;

const recorders = new WeakSet<WriteListener<never>>();

/**
 * Marks a listener that only records the write (the search index, field history, the webhook outbox): it writes
 * rows of its own, keyed by the entity the write has locked already, and reads nothing other listeners write. The
 * recorders of a write run at once (see together.ts), before the other listeners, which run in turn: those change
 * other entities (a deleted person's deals, notes and activities), in the order that keeps locks taken in one order.
 */
export function recorder<Row>(listener: WriteListener<Row>): WriteListener<Row> {
  recorders.add(listener);
  return listener;
}

export async function notifyWrite<Row>(listeners: readonly WriteListener<Row>[], trx: Executor, event: WriteEvent<Row>): Promise<void> {
  await together(listeners.filter((l) => recorders.has(l)).map((l) => l(trx, event)));
  for (const listener of listeners) if (!recorders.has(listener)) await listener(trx, event);
}
