import type { Kysely } from 'kysely';
import { recentLinkedActivities } from '../../store/repositories/activities.repository.js';
import { findDeal, recentLinkedDeals } from '../../store/repositories/deals.repository.js';
import { recentLinkedNotes } from '../../store/repositories/notes.repository.js';
import { findOrganization } from '../../store/repositories/organizations.repository.js';
import { type RecordChangeRow, listRecordChangesPage, recentRecordChanges } from '../../store/repositories/record-changes.repository.js';
import { type RecordFollowerChangeRow, listRecordFollowerChangesPage } from '../../store/repositories/record-followers.repository.js';
import type { RecordViewer } from '../../store/record-visibility.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import { activityNames } from '../activities/activity-names.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { notFound } from '../errors.js';
import { noteNames } from '../notes/note-names.js';
import { DEFAULT_LIMIT, pageFromRequest, pageResult } from '../paging.js';
import { RelatedRefs, loadRelatedObjects } from '../related-objects.js';
import { toV1Time } from '../time.js';
import { type ChangelogRequest, type FlowItem, type FlowPage, type FlowRequest, activityFlowItem, addFormattedValues, dealFlowItem, newestFirst, noteFlowItem, parseFlowItems } from './flow-items.js';

export type HistoryEntity = 'organization' | 'deal';

const ENTITIES = {
  organization: { link: 'org_id', change: 'organizationChange', follower: 'organizationFollower', name: 'Organization', find: findOrganization },
  deal: { link: 'deal_id', change: 'dealChange', follower: 'dealFollower', name: 'Deal', find: findDeal },
} as const;

/** Where each update type of a feed comes from; an organization's feed also lists its deals. */
function sourcesOf(entity: HistoryEntity): Record<string, 'changes' | 'followers' | 'deals' | 'notes' | 'activities'> {
  const { change, follower } = ENTITIES[entity];
  return {
    [change]: 'changes',
    change: 'changes',
    [follower]: 'followers',
    follower: 'followers',
    ...(entity === 'organization' && { deal: 'deals' }),
    note: 'notes',
    activity: 'activities',
    plannedActivity: 'activities',
  };
}

/**
 * An organization's or deal's history, as persons have theirs: the field changelog (cursor pages, or offsets for
 * v1 clients that send `start`) and the update feed (offset pages, v1 shape): field and follower changes, notes,
 * activities and, for an organization, its deals, newest first, over what the caller may see.
 */
export class RecordHistoryService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
  ) {}

  async changelog(actor: Actor, entity: HistoryEntity, id: number, request: ChangelogRequest): Promise<{ rows: RecordChangeRow[]; nextCursor: string | null }> {
    await this.liveRecord(actor, entity, id);
    const page = pageFromRequest(this.cursors, { limit: request.limit, cursor: request.cursor, sortBy: 'id', direction: 'desc' });
    const offset = request.cursor ? 0 : (request.start ?? 0);
    return pageResult(this.cursors, page, await listRecordChangesPage(this.db, actor.companyId, ENTITIES[entity].link, id, page, offset));
  }

  /** Each source is read only as far as the requested page reaches, then the sources are merged by time. */
  async flow(actor: Actor, entity: HistoryEntity, id: number, request: FlowRequest): Promise<FlowPage> {
    const sources = sourcesOf(entity);
    const wanted = parseFlowItems(request.items, Object.keys(sources));
    const from = new Set([...wanted].map((name) => sources[name]).filter(Boolean));
    const viewer = await viewerOf(this.db, actor);
    await this.liveRecord(actor, entity, id, viewer);
    const { link } = ENTITIES[entity];
    const start = request.start ?? 0;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const reach = start + limit + 1;
    const none = Promise.resolve([]);
    const [changes, followers, deals, notes, allActivities] = await Promise.all([
      from.has('changes') ? recentRecordChanges(this.db, actor.companyId, link, id, request.allChanges === true, reach) : none,
      from.has('followers')
        ? listRecordFollowerChangesPage(this.db, actor.companyId, link, id, { sortBy: 'id', direction: 'desc', limit: reach })
        : none,
      from.has('deals') ? recentLinkedDeals(this.db, actor.companyId, 'org_id', id, reach, viewer) : none,
      from.has('notes') ? recentLinkedNotes(this.db, actor.companyId, link, id, reach, viewer) : none,
      from.has('activities') ? recentLinkedActivities(this.db, actor.companyId, link, id, reach, viewer) : none,
    ]);
    const activities = allActivities.filter((a) => wanted.has(a.done === 1 ? 'activity' : 'plannedActivity'));
    const [namesOfNotes, namesOfActivities] = await Promise.all([noteNames(this.db, actor.companyId, notes), activityNames(this.db, actor.companyId, activities)]);
    const entries = newestFirst([
      ...changes.map((change) => ({ time: change.time, item: this.changeItem(entity, id, change) })),
      ...followers.map((change) => ({ time: change.time, item: this.followerItem(entity, id, change) })),
      ...deals.map((deal) => ({ time: deal.add_time, item: dealFlowItem(deal) })),
      ...notes.map((note) => ({ time: note.add_time, item: noteFlowItem(note, namesOfNotes, actor.userId) })),
      ...activities.map((a) => ({ time: a.add_time, item: activityFlowItem(a, namesOfActivities) })),
    ]);
    const items = entries.slice(start, start + limit).map((e) => e.item);

    const refs = new RelatedRefs();
    if (entity === 'organization') refs.organization(id);
    for (const change of changes) {
      refs.user(change.actor_user_id);
      const ids = [change.old_value, change.new_value].map((v) => (v === null ? null : Number(v)));
      if (change.field_key === 'owner_id' || change.field_key === 'user_id') ids.forEach((v) => refs.user(v));
      if (change.field_key === 'org_id') ids.forEach((v) => refs.organization(v));
      if (change.field_key === 'person_id') ids.forEach((v) => refs.person(v));
    }
    for (const change of followers) {
      refs.user(change.actor_user_id);
      refs.user(change.follower_user_id);
    }
    for (const deal of deals) refs.deal(deal);
    for (const note of notes) refs.user(note.user_id);
    for (const activity of activities) refs.user(activity.owner_id);
    const related = await loadRelatedObjects(this.db, actor.companyId, refs, viewer);
    for (const item of items) if (item.object === ENTITIES[entity].change) addFormattedValues(item.data, related);
    return { items, start, limit, more: entries.length > start + limit, related };
  }

  private changeItem(entity: HistoryEntity, id: number, change: RecordChangeRow): FlowItem {
    const timestamp = toV1Time(change.time) as string;
    return {
      object: ENTITIES[entity].change,
      timestamp,
      data: {
        id: change.id,
        item_id: id,
        user_id: change.actor_user_id,
        field_key: change.field_key,
        old_value: change.old_value,
        new_value: change.new_value,
        is_bulk_update_flag: null,
        log_time: timestamp,
        change_source: change.change_source,
        change_source_user_agent: change.change_source_user_agent,
        additional_data: {},
      },
    };
  }

  private followerItem(entity: HistoryEntity, id: number, change: RecordFollowerChangeRow): FlowItem {
    const timestamp = toV1Time(change.time) as string;
    return {
      object: ENTITIES[entity].follower,
      timestamp,
      data: { id: change.id, item_id: id, user_id: change.actor_user_id, log_time: timestamp, action: change.action, follower_user_id: change.follower_user_id, [ENTITIES[entity].link]: id },
    };
  }

  private async liveRecord(actor: Actor, entity: HistoryEntity, id: number, viewer?: RecordViewer): Promise<void> {
    const { find, name } = ENTITIES[entity];
    if (!(await find(this.db, actor.companyId, id, viewer ?? (await viewerOf(this.db, actor))))) {
      throw notFound(`${name} not found`, `No ${entity} with id ${id} exists in this company.`);
    }
  }
}
