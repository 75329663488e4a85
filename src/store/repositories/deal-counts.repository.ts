import type { Executor } from '../executor.js';
import { type RecordViewer, linkedRecordsVisibleTo, withVisibility } from '../record-visibility.js';
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

const byKey = (rows: { key: unknown; n: unknown }[]) => new Map(rows.map((r) => [Number(r.key), Number(r.n)]));

/** The counts of a page of deals: one grouped query per group asked for, whatever the page size. */
export async function countDealRelations(db: Executor, companyId: number, dealIds: readonly number[], want: DealCountRequest, viewer: RecordViewer): Promise<DealCountRows> {
  const ids = [...dealIds];
  const none = Promise.resolve([]);
  const notesQuery = () => {
    const query = db
      .selectFrom('notes')
      .select((eb) => [eb.ref('notes.deal_id').as('key'), eb.fn.countAll<number>().as('n')])
      .where('notes.company_id', '=', companyId)
      .where('notes.deleted_time', 'is', null)
      .where('notes.deal_id', 'in', ids)
      .groupBy('notes.deal_id');
    return (viewer.everything ? query : query.where(linkedRecordsVisibleTo('notes', viewer) as never)).execute();
  };
  const [notes, followers, participants] = await Promise.all([
    want.notes && ids.length > 0 ? notesQuery() : none,
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
    notes: byKey(notes as { key: unknown; n: unknown }[]),
    followers,
    withParticipant: new Set((participants as { id: number }[]).map((r) => Number(r.id))),
  };
}
