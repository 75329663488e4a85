import { type NewPersonChangeRow, insertPersonChanges } from '../../store/repositories/person-changes.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import { type WriteListener, recorder } from '../write-events.js';
import { HISTORY, historyEntry, personFieldChanges } from './history-entries.js';

/**
 * Records field changes, and both sides of a merge, in the transaction of the write that made them: a person
 * write listener, so the services that write persons need not know about history.
 */
export const recordPersonHistory: WriteListener<PersonRow> = recorder(async (trx, event) => {
  const { actor, before, after } = event;
  const entries: NewPersonChangeRow[] = [];
  if ((event.action === 'change' || event.action === 'merge') && before && after) {
    // Stored last field first, so the newest-first lists show one write's fields in their usual order.
    for (const change of personFieldChanges(before, after).reverse()) entries.push(historyEntry(actor, after.id, HISTORY.field, change));
  }
  if (event.action === 'merge' && after && event.mergedFromId !== undefined) {
    entries.push(historyEntry(actor, after.id, HISTORY.mergedFrom, { related_id: event.mergedFromId }));
  }
  if (event.action === 'delete' && before && event.mergedToId !== undefined) {
    entries.push(historyEntry(actor, before.id, HISTORY.mergedInto, { related_id: event.mergedToId }));
  }
  await insertPersonChanges(trx, entries);
});
