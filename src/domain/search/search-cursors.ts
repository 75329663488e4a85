import { createHash } from 'node:crypto';
import type { SearchEntity } from '../../store/search/search-match.js';
import type { CursorCodec } from '../cursor.js';
import { DomainError, invalid } from '../errors.js';
import { ENTITY_ORDER, type MergedKey } from './merged-order.js';
import type { SearchPlan } from './search-plan.js';
import type { Position } from './tier-collector.js';

/**
 * Search cursors: the position after a page's last hit (tier and id) or, for item search, its merged-order key;
 * each bound to the search that issued it by a fingerprint of the query.
 */
export class SearchCursors {
  constructor(private readonly cursors: CursorCodec) {}

  /** After a one-kind page's last hit. */
  encodePosition(last: Position, fingerprint: string): string {
    return this.cursors.encode({ field: 'search', direction: 'asc', value: `${last.tier}.${fingerprint}`, id: last.id });
  }

  /** After an item search page's last item. */
  encodeItem(last: MergedKey, fingerprint: string): string {
    return this.cursors.encode({ field: 'itemSearch', direction: 'asc', value: `${fingerprint}:${last.entity}:${last.score}`, id: last.id });
  }

  decodePosition(
    cursor: string,
    fingerprint: string,
    plan: SearchPlan,
    hint = 'Send the same term, fields, exact_match and organization_id as the request that returned it.',
  ): Position {
    let position;
    try {
      position = this.cursors.decode(cursor, 'search', 'asc');
    } catch (err) {
      if (err instanceof DomainError) throw invalid('cursor is not valid', 'Use the next_cursor value of a previous response unchanged.');
      throw err;
    }
    const [tier, issuedFor] = String(position.value).split('.');
    if (issuedFor !== fingerprint) {
      throw invalid('cursor was issued for another search', hint);
    }
    const tierIndex = Number(tier);
    if (!Number.isInteger(tierIndex) || tierIndex < 0 || tierIndex >= plan.tiers.length) throw invalid('cursor is not valid');
    return { tier: tierIndex, id: position.id };
  }

  /** An item search cursor: the merged-order key of the last item of the page that issued it. */
  decodeItem(cursor: string, fingerprint: string): MergedKey {
    let position;
    try {
      position = this.cursors.decode(cursor, 'itemSearch', 'asc');
    } catch (err) {
      if (err instanceof DomainError) throw invalid('cursor is not valid', 'Use the next_cursor value of a previous response unchanged.');
      throw err;
    }
    const [issuedFor, entity, score] = String(position.value).split(':');
    if (issuedFor !== fingerprint) {
      throw invalid('cursor was issued for another search', 'Send the same term, item_types, fields and exact_match as the request that returned it.');
    }
    if (!(ENTITY_ORDER as readonly string[]).includes(entity) || !Number.isFinite(Number(score))) throw invalid('cursor is not valid');
    return { score: Number(score), entity: entity as SearchEntity, id: position.id };
  }
}

/** Binds a cursor to the search that issued it, so it cannot silently page through another one. */
export function queryFingerprint(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}
