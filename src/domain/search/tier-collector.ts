import type { Kysely } from 'kysely';
import { type OwnedTable, type RecordViewer, visibleIds } from '../../store/record-visibility.js';
import { type CandidateMemo, catchUpSearchIndex, loadSearchDocs, organizationPersonIds, tierCandidates, tierRunCandidates } from '../../store/repositories/search.repository.js';
import type { SearchDoc, SearchDocRow, SearchEntity } from '../../store/search/search-match.js';
import type { Database } from '../../store/schema.js';
import { type SearchPlan, tierOf } from './search-plan.js';

/** One found row: the tier it is in (its rank) and its indexed text. */
export interface Hit {
  entity: SearchEntity;
  tier: number;
  score: number;
  id: number;
  doc: SearchDoc;
}

/** Where a page ends: the tier and id of its last hit. */
export interface Position {
  tier: number;
  id: number;
}

export const START: Position = { tier: 0, id: 0 };
const MIN_BATCH = 50;
/** Pipedrive's documented cap on the persons considered when searching within an organization. */
const MAX_ORGANIZATION_PERSONS = 2000;
/** Which of these candidate ids a search's filters keep (deal search by person, organization, status). */
export type Narrowing = (ids: number[]) => Promise<Set<number>>;

const TABLE_OF = { person: 'persons', organization: 'organizations', deal: 'deals' } as const satisfies Record<SearchEntity, OwnedTable>;

/**
 * Reads a search plan's hits from the index tier by tier, each tier in id order, dropping what the viewer may not
 * see (and what a filter leaves out) as it goes, so pages stay full and cost the rows they return.
 */
export class TierCollector {
  constructor(private readonly db: Kysely<Database>) {}

  /** Up to `want` hits from `from` on, tier by tier, each tier in id order; only rows `narrow` keeps, when given. */
  async collect(companyId: number, plan: SearchPlan, from: Position, want: number, viewer: RecordViewer, narrow?: Narrowing): Promise<Hit[]> {
    await catchUpSearchIndex(this.db);
    const hits: Hit[] = [];
    const search = { entity: plan.entity, tiers: plan.tiers.map((t) => t.matches) };
    const hit = (row: SearchDocRow, rowTier: number): Hit => ({ entity: plan.entity, tier: rowTier, score: plan.tiers[rowTier].score, id: row.id, doc: row.doc });
    let tier = from.tier;
    let afterId = from.id;
    let runsTriedThrough = -1;
    const memo: CandidateMemo = new Map();
    // With exact_match every tier is an exact one: the run through supersets would be the exact run itself.
    const widensFirst = plan.term.text.includes(' ') && plan.tiers.some((t) => t.matches.some((m) => m.kind !== 'exact'));
    while (tier < plan.tiers.length && hits.length < want) {
      const batch = want - hits.length;
      if (afterId === 0 && tier > runsTriedThrough) {
        // A term of several words first tries a run through supersets: its words' rows hold every tier's, the exact
        // values' too, and when they are few (a full name or email names one person) one query serves every tier.
        // Otherwise, or where that run turned out dense, the exact lookups' run; the later tiers then cost a query
        // each. A one-word term's word starts are usually dense, and the try would cost a page read for nothing.
        const wide = widensFirst ? await tierRunCandidates(this.db, search, companyId, tier, batch, true) : undefined;
        const run = wide?.complete ? wide : ((await tierRunCandidates(this.db, search, companyId, tier, batch)) ?? wide);
        // A run with too many candidates is not read again from a later tier of it; those go one tier at a time.
        if (run) runsTriedThrough = Math.max(run.through, wide?.through ?? -1);
        if (run?.complete) {
          // Every candidate of several tiers at once: each goes to the tier it belongs to, in rank order.
          const hidden = await this.droppedRows(companyId, plan, run.rows, viewer, narrow);
          const found = run.rows
            .filter((row) => !hidden.has(row.id))
            .map((row) => ({ row, rowTier: tierOf(plan, row.doc) }))
            .filter((f) => f.rowTier >= tier && f.rowTier <= run.through);
          found.sort((a, b) => a.rowTier - b.rowTier || a.row.id - b.row.id);
          hits.push(...found.map((f) => hit(f.row, f.rowTier)));
          tier = run.through + 1;
          continue;
        }
      }
      // Never fewer than MIN_BATCH: a tier read through a superset of its rows (several-word terms) would otherwise
      // be read again and again for the last few hits of a page.
      const read = Math.max(batch, MIN_BATCH);
      const rows = await tierCandidates(this.db, search, companyId, tier, afterId, read, memo);
      // Records the caller may not see (or a filter leaves out) are no hits; dropping them here, not at render, keeps pages full.
      const hidden = await this.droppedRows(companyId, plan, rows, viewer, narrow);
      // The index rules out most rows of earlier tiers; this drops the rest, so each row appears once.
      for (const row of rows) if (!hidden.has(row.id) && tierOf(plan, row.doc) === tier) hits.push(hit(row, tier));
      if (rows.length < read) {
        tier += 1;
        afterId = 0;
      } else {
        afterId = rows[rows.length - 1].id;
      }
    }
    return hits.slice(0, want);
  }

  /** The candidates the viewer may not see, and those `narrow` leaves out. */
  private async droppedRows(companyId: number, plan: SearchPlan, rows: readonly SearchDocRow[], viewer: RecordViewer, narrow?: Narrowing): Promise<Set<number>> {
    if ((viewer.everything && narrow === undefined) || rows.length === 0) return new Set();
    let kept = rows.map((r) => r.id);
    if (!viewer.everything) kept = [...(await visibleIds(this.db, TABLE_OF[plan.entity], companyId, kept, viewer))];
    if (narrow !== undefined && kept.length > 0) kept = [...(await narrow(kept))];
    const keep = new Set(kept);
    return new Set(rows.filter((r) => !keep.has(r.id)).map((r) => r.id));
  }

  /** Within an organization: its persons (at most 2,000, as Pipedrive) ranked in code. */
  async collectInOrganization(companyId: number, plan: SearchPlan, organizationId: number, from: Position, want: number, viewer: RecordViewer): Promise<Hit[]> {
    // An organization the caller may not see is searched like one that does not exist: no hits.
    if (!(await visibleIds(this.db, 'organizations', companyId, [organizationId], viewer)).has(organizationId)) return [];
    let ids = await organizationPersonIds(this.db, companyId, organizationId, MAX_ORGANIZATION_PERSONS);
    if (!viewer.everything) {
      const visible = await visibleIds(this.db, 'persons', companyId, ids, viewer);
      ids = ids.filter((id) => visible.has(id));
    }
    const hits: Hit[] = [];
    for (const row of await loadSearchDocs(this.db, 'person', companyId, ids)) {
      const tier = tierOf(plan, row.doc);
      if (tier < 0 || tier < from.tier || (tier === from.tier && row.id <= from.id)) continue;
      hits.push({ entity: 'person', tier, score: plan.tiers[tier].score, id: row.id, doc: row.doc });
    }
    return hits.sort((a, b) => a.tier - b.tier || a.id - b.id).slice(0, want);
  }
}
