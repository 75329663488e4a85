import type { Executor } from '../../store/executor.js';
import type { DealRow } from '../../store/repositories/deals.repository.js';
import { viewerOf } from '../access/visibility.js';
import { customFieldsToV1 } from '../person-fields/custom-fields-v1.js';
import type { FieldsOf } from '../person-fields/remembered-fields.js';
import type { Actor } from '../actor.js';
import { RelatedRefs, type RelatedObjects, loadRelatedObjects } from '../related-objects.js';
import { renderDealV1 } from './deal-render-v1.js';

/** What v1 deal reads answer: the deals and the users, persons and organizations they name, described once. */
export interface DealsV1View {
  items: Record<string, unknown>[];
  related: Pick<RelatedObjects, 'user' | 'person' | 'organization'>;
}

/** Deals as v1 reads show them (GET /v1/deals, /v1/deals/{id}, write answers, an organization's or person's deals). */
export async function dealsV1View(db: Executor, actor: Actor, rows: readonly DealRow[], fieldsOf: FieldsOf): Promise<DealsV1View> {
  const refs = new RelatedRefs();
  for (const row of rows) {
    refs.deal(row);
    refs.user(row.creator_user_id);
    refs.person(row.person_id);
  }
  const [related, fields] = await Promise.all([loadRelatedObjects(db, actor.companyId, refs, await viewerOf(db, actor)), fieldsOf(db, actor, 'deal')]);
  const items = rows.map((row) => ({ ...renderDealV1(row, related), ...customFieldsToV1(fields, JSON.parse(row.custom_fields)) }));
  return { items, related: { user: related.user, person: related.person, organization: related.organization } };
}
