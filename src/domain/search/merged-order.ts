import type { SearchEntity } from '../../store/search/search-match.js';
import type { SearchPlan } from './search-plan.js';

/** Item search lists several entities' hits by score, best first; equal scores persons, then organizations, then deals; then by id. */
export const ENTITY_ORDER: readonly SearchEntity[] = ['person', 'organization', 'deal'];

/** An item's place in that order: all a cursor of a merged page needs to keep. */
export interface MergedKey {
  score: number;
  entity: SearchEntity;
  id: number;
}

export function compareMerged(a: MergedKey, b: MergedKey): number {
  return b.score - a.score || ENTITY_ORDER.indexOf(a.entity) - ENTITY_ORDER.indexOf(b.entity) || a.id - b.id;
}

/**
 * Where one entity's hits resume after `last`, the final item of a merged page. An entity is read tier by tier, in
 * id order within a tier, and each tier has a score of its own, so its next items start at the first tier scoring
 * below `last`, or at the tier scoring the same: after `last`'s id when `last` is of this entity, from the tier's
 * start when this entity comes later in the order, and not at all when it comes earlier (that tier was listed).
 */
export function resumeAfter(plan: SearchPlan, last: MergedKey): { tier: number; id: number } {
  const rank = ENTITY_ORDER.indexOf(plan.entity);
  const lastRank = ENTITY_ORDER.indexOf(last.entity);
  for (let tier = 0; tier < plan.tiers.length; tier++) {
    const score = plan.tiers[tier].score;
    if (score > last.score) continue;
    if (score < last.score || rank > lastRank) return { tier, id: 0 };
    if (rank === lastRank) return { tier, id: last.id };
  }
  return { tier: plan.tiers.length, id: 0 };
}
