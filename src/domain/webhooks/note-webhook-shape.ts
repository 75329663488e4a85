import { findDealsByIds } from '../../store/repositories/deals.repository.js';
import type { NoteRow } from '../../store/repositories/notes.repository.js';
import { organizationsByIds, personsByIds } from '../../store/repositories/related-objects.repository.js';
import { permittedUserIds, usersWhoMaySeeRecord } from '../access/visibility.js';
import { noteNames } from '../notes/note-names.js';
import { renderNoteV1 } from '../notes/note-render.js';
import type { EventLookups } from './event-lookups.js';
import type { WebhookEntityShape } from './entity-shape.js';

/**
 * A note in webhook payloads: v1 `current` is the REST note; v2 `data` the same fields with RFC 3339 times,
 * `is_deleted` for `active_flag` and without the names (v2 payloads carry ids). A note goes only to users who see
 * everything it is attached to, as the REST API shows it.
 */
export const noteWebhookShape: WebhookEntityShape<NoteRow> = {
  entity: 'note',
  id: (row) => row.id,
  permittedUserIds: (row, lookups) => whoSeesNote(row, lookups),

  async v2(row) {
    return {
      id: row.id,
      user_id: row.user_id,
      person_id: row.person_id,
      org_id: row.org_id,
      deal_id: row.deal_id,
      lead_id: null,
      project_id: null,
      task_id: null,
      content: row.content,
      add_time: row.add_time,
      update_time: row.update_time,
      is_deleted: row.deleted_time !== null,
      pinned_to_person_flag: row.pinned_to_person_flag === 1,
      pinned_to_organization_flag: row.pinned_to_organization_flag === 1,
      pinned_to_deal_flag: row.pinned_to_deal_flag === 1,
      last_update_user_id: row.last_update_user_id,
    };
  },

  async v1(row, lookups) {
    const note = renderNoteV1(row, await noteNames(lookups.db, row.company_id, [row]), -1);
    // Who "you" are depends on the receiver, which one payload per webhook version cannot know.
    const user = note.user as { is_you?: boolean } | null;
    if (user) delete user.is_you;
    return note;
  },
};

async function whoSeesNote(row: NoteRow, lookups: EventLookups): Promise<number[]> {
  const { db } = lookups;
  const [persons, organizations, deals] = await Promise.all([
    personsByIds(db, row.company_id, row.person_id === null ? [] : [row.person_id]),
    organizationsByIds(db, row.company_id, row.org_id === null ? [] : [row.org_id]),
    findDealsByIds(db, row.company_id, row.deal_id === null ? [] : [row.deal_id]),
  ]);
  const sets = await Promise.all([
    ...persons.map((p) => permittedUserIds(db, row.company_id, p)),
    ...organizations.map((o) => usersWhoMaySeeRecord(db, row.company_id, o)),
    ...deals.map((d) => usersWhoMaySeeRecord(db, row.company_id, d)),
  ]);
  if (sets.length === 0) return [];
  return sets.reduce((both, set) => both.filter((id) => set.includes(id)));
}
