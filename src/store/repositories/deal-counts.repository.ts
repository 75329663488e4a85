import type { Executor } from '../executor.js';
import { type RecordViewer, withVisibility } from '../record-visibility.js';
import { countLinkedNotes } from './notes.repository.js';
import { countRecordFollowers } from './record-followers.repository.js';

/** Which groups of counts a page of deals asks for. */
export interface DealCountRequest {
  notes: boolean;
  followers: boolean;
  participants: boolean;
}

export interface DealCountRows {
  /** Live notes the viewer may see, per deal. */
  notes: Map<number, number>;
  followers: Map<number, number>;
  /** Deals whose contact person is live and seen by the viewer. */
  withParticipant: Set<number>;
}

/** The counts of a page of deals: one grouped query per group asked for, whatever the page size. */
export async function countDealRelations(db: Executor, companyId: number, dealIds: readonly number[], want: DealCountRequest, viewer: RecordViewer): Promise<DealCountRows> {
  const ids = [...dealIds];
  const none = Promise.resolve([]);
  const [notes, followers, participants] = await Promise.all([
    want.notes ? countLinkedNotes(db, companyId, 'deal_id', ids, viewer) : Promise.resolve(new Map<number, number>()),
    want.followers ? countRecordFollowers(db, companyId, 'deal_id', ids) : Promise.resolve(new Map<number, number>()),
    want.participants && ids.length > 0
      ? withVisibility(db.selectFrom('deals').innerJoin('persons', 'persons.id', 'deals.person_id'), viewer, 'persons')
          .select('deals.id')
          .where('deals.company_id', '=', companyId)
          .where('deals.id', 'in', ids)
          .where('persons.deleted_time', 'is', null)
          .execute()
      : none,
  ]);
  return {
    notes,
    followers,
    withParticipant: new Set((participants as { id: number }[]).map((r) => Number(r.id))),
  };
}
