import type { Executor } from '../store/executor.js';
import type { Actor } from './actor.js';

export type WriteAction = 'create' | 'change' | 'delete' | 'merge';

/** One committed-together change of one entity: its state before and after (null where it did not exist). */
export interface WriteEvent<Row> {
  entity: 'person' | 'organization' | 'deal';
  action: WriteAction;
  actor: Actor;
  before: Row | null;
  after: Row | null;
}

/**
 * Something that must happen in the same transaction as a write: the search index, field history, the webhook
 * outbox. Services call every listener before committing, so a rolled-back write leaves no trace in any of them.
 */
export type WriteListener<Row> = (trx: Executor, event: WriteEvent<Row>) => Promise<void>;

export async function notifyWrite<Row>(listeners: readonly WriteListener<Row>[], trx: Executor, event: WriteEvent<Row>): Promise<void> {
  for (const listener of listeners) await listener(trx, event);
}
