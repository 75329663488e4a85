import type { DealRow } from '../../store/repositories/deals.repository.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import { type ChangedLink, insertRecordChanges } from '../../store/repositories/record-changes.repository.js';
import { CHANGE_SOURCE, type FieldChange } from './field-changes.js';
import { nowStored } from '../time.js';
import { type WriteListener, recorder } from '../write-events.js';
import { dealFieldChanges, organizationFieldChanges } from './record-field-changes.js';

/**
 * Records an organization's or deal's field changes in the transaction of the write that made them (a change, or
 * the survivor's side of a merge), so a write that fails records nothing. Creating a record is not a change.
 */
function recordHistory<Row extends { id: number }>(link: ChangedLink, changesOf: (before: Row, after: Row) => FieldChange[]): WriteListener<Row> {
  return recorder(async (trx, { action, actor, before, after }) => {
    if ((action !== 'change' && action !== 'merge') || !before || !after) return;
    const time = nowStored();
    // Stored last field first, so the newest-first lists show one write's fields in their usual order.
    const rows = changesOf(before, after)
      .reverse()
      .map((change) => ({
        company_id: actor.companyId,
        org_id: link === 'org_id' ? after.id : null,
        deal_id: link === 'deal_id' ? after.id : null,
        ...change,
        actor_user_id: actor.userId,
        change_source: CHANGE_SOURCE,
        change_source_user_agent: actor.userAgent ?? null,
        time,
      }));
    await insertRecordChanges(trx, rows);
  });
}

export const recordOrganizationHistory: WriteListener<OrganizationRow> = recordHistory('org_id', organizationFieldChanges);
export const recordDealHistory: WriteListener<DealRow> = recordHistory('deal_id', dealFieldChanges);
