import type { RecordViewer } from '../../store/record-visibility.js';
import type { Kysely } from 'kysely';
import { type DealRow, recentLinkedDeals } from '../../store/repositories/deals.repository.js';
import { type PersonChangeRow, listPersonChangesPage, recentPersonChanges } from '../../store/repositories/person-changes.repository.js';
import { type NoteRow, recentLinkedNotes } from '../../store/repositories/notes.repository.js';
import { findPerson } from '../../store/repositories/persons.repository.js';
import { noteNames } from '../notes/note-names.js';
import { type ActivityRow, recentLinkedActivities } from '../../store/repositories/activities.repository.js';
import { activityNames } from '../activities/activity-names.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { notFound } from '../errors.js';
import { type ChangelogRequest, type FlowItem, type FlowPage, type FlowRequest, activityFlowItem, addFormattedValues, dealFlowItem, newestFirst, noteFlowItem, parseFlowItems } from '../history/flow-items.js';
import { DEFAULT_LIMIT, pageFromRequest, pageResult } from '../paging.js';
import { RelatedRefs, loadRelatedObjects } from '../related-objects.js';
import { toV1Time } from '../time.js';
import { HISTORY } from './history-entries.js';
import { viewerOf } from '../access/visibility.js';

/** personsd's own update type for merges (Pipedrive's list has none). */
const MERGE_ITEM = 'personMerge';

const SOURCES: Record<string, { kinds: string[] } | 'deals' | 'notes' | 'activities'> = {
  personChange: { kinds: [HISTORY.field] },
  change: { kinds: [HISTORY.field] },
  personFollower: { kinds: [HISTORY.followerAdded, HISTORY.followerRemoved] },
  follower: { kinds: [HISTORY.followerAdded, HISTORY.followerRemoved] },
  [MERGE_ITEM]: { kinds: [HISTORY.mergedFrom, HISTORY.mergedInto] },
  deal: 'deals',
  note: 'notes',
  activity: 'activities',
  plannedActivity: 'activities',
};

/** A person's history: the field changelog (cursor pages) and the update feed (offset pages, v1 shape). */
export class PersonHistoryService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
  ) {}

  /** Field changes, newest first. */
  async changelog(actor: Actor, personId: number, request: ChangelogRequest): Promise<{ rows: PersonChangeRow[]; nextCursor: string | null }> {
    await this.livePerson(actor, personId);
    const page = pageFromRequest(this.cursors, { limit: request.limit, cursor: request.cursor, sortBy: 'id', direction: 'desc' });
    const offset = request.cursor ? 0 : (request.start ?? 0);
    const rows = await listPersonChangesPage(this.db, actor.companyId, personId, [HISTORY.field], page, offset);
    return pageResult(this.cursors, page, rows);
  }

  /**
   * Field changes, follower changes, merges, deals, notes and activities of the person, newest first. Each source is read only as far
   * as the requested page reaches, then the sources are merged by time.
   */
  async flow(actor: Actor, personId: number, request: FlowRequest): Promise<FlowPage> {
    const wanted = parseFlowItems(request.items, Object.keys(SOURCES), [MERGE_ITEM]);
    const viewer = await viewerOf(this.db, actor);
    await this.livePerson(actor, personId, viewer);
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const reach = start + limit + 1;
    const kinds = [...new Set([...wanted].flatMap((name) => (typeof SOURCES[name] === 'object' ? (SOURCES[name] as { kinds: string[] }).kinds : [])))];
    const wantsActivities = wanted.has('activity') || wanted.has('plannedActivity');
    const [changes, deals, notes, allActivities] = await Promise.all([
      recentPersonChanges(this.db, actor.companyId, personId, { kinds, includeCustom: request.allChanges === true }, reach),
      wanted.has('deal') ? recentLinkedDeals(this.db, actor.companyId, 'person_id', personId, reach, viewer) : Promise.resolve([] as DealRow[]),
      wanted.has('note') ? recentLinkedNotes(this.db, actor.companyId, 'person_id', personId, reach, viewer) : Promise.resolve([] as NoteRow[]),
      wantsActivities ? recentLinkedActivities(this.db, actor.companyId, 'person_id', personId, reach, viewer) : Promise.resolve([] as ActivityRow[]),
    ]);
    // Done activities are `activity` items, planned (undone) ones `plannedActivity`, both placed by when they were added.
    const activities = allActivities.filter((a) => wanted.has(a.done === 1 ? 'activity' : 'plannedActivity'));
    const [names, namesOfActivities] = await Promise.all([noteNames(this.db, actor.companyId, notes), activityNames(this.db, actor.companyId, activities)]);
    const entries = newestFirst([
      ...changes.map((change) => ({ time: change.time, item: changeItem(change) })),
      ...deals.map((deal) => ({ time: deal.add_time, item: dealFlowItem(deal) })),
      ...notes.map((note) => ({ time: note.add_time, item: noteFlowItem(note, names, actor.userId) })),
      ...activities.map((a) => ({ time: a.add_time, item: activityFlowItem(a, namesOfActivities) })),
    ]);
    const items = entries.slice(start, start + limit).map((e) => e.item);

    const refs = new RelatedRefs();
    refs.person(personId);
    for (const change of changes) {
      refs.user(change.actor_user_id);
      if (change.kind === HISTORY.followerAdded || change.kind === HISTORY.followerRemoved) refs.user(change.related_id);
      if (change.kind === HISTORY.mergedFrom || change.kind === HISTORY.mergedInto) refs.person(change.related_id);
      if (change.field_key === 'owner_id') for (const v of [change.old_value, change.new_value]) refs.user(v === null ? null : Number(v));
      if (change.field_key === 'org_id') for (const v of [change.old_value, change.new_value]) refs.organization(v === null ? null : Number(v));
    }
    for (const deal of deals) refs.deal(deal);
    for (const note of notes) {
      refs.user(note.user_id);
      refs.organization(note.org_id);
    }
    for (const activity of activities) {
      refs.user(activity.owner_id);
      refs.organization(activity.org_id);
    }
    const related = await loadRelatedObjects(this.db, actor.companyId, refs, viewer);
    for (const item of items) if (item.object === 'personChange') addFormattedValues(item.data, related);
    return { items, start, limit, more: entries.length > start + limit, related };
  }

  private async livePerson(actor: Actor, personId: number, viewer?: RecordViewer): Promise<void> {
    if (!(await findPerson(this.db, actor.companyId, personId, viewer ?? (await viewerOf(this.db, actor))))) {
      throw notFound('Person not found', `No person with id ${personId} exists in this company.`);
    }
  }
}

function changeItem(change: PersonChangeRow): FlowItem {
  const timestamp = toV1Time(change.time) as string;
  const common = { id: change.id, item_id: change.person_id, user_id: change.actor_user_id, log_time: timestamp, change_source: change.change_source };
  switch (change.kind) {
    case HISTORY.field:
      return {
        object: 'personChange',
        timestamp,
        data: {
          ...common,
          field_key: change.field_key,
          old_value: change.old_value,
          new_value: change.new_value,
          is_bulk_update_flag: null,
          change_source_user_agent: change.change_source_user_agent,
          additional_data: {},
        },
      };
    case HISTORY.followerAdded:
    case HISTORY.followerRemoved:
      return {
        object: 'personFollower',
        timestamp,
        data: {
          ...common,
          action: change.kind === HISTORY.followerAdded ? 'added' : 'removed',
          follower_user_id: change.related_id,
          person_id: change.person_id,
        },
      };
    default:
      return {
        object: MERGE_ITEM,
        timestamp,
        data: {
          ...common,
          merged_from_id: change.kind === HISTORY.mergedFrom ? change.related_id : null,
          merged_to_id: change.kind === HISTORY.mergedInto ? change.related_id : null,
        },
      };
  }
}
