import type { Executor } from '../store/executor.js';
import type { Actor } from './actor.js';

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

export async function notifyWrite<Row>(listeners: readonly WriteListener<Row>[], trx: Executor, event: WriteEvent<Row>): Promise<void> {
  for (const listener of listeners) await listener(trx, event);
}
