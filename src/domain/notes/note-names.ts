import type { Executor } from '../../store/executor.js';
import { findDealsByIds } from '../../store/repositories/deals.repository.js';
import type { NoteRow } from '../../store/repositories/notes.repository.js';
import { organizationsByIds, personsByIds, usersByIds } from '../../store/repositories/related-objects.repository.js';
import type { NoteNames } from './note-render.js';

/**
 * The person, organization, deal and author names of a page of notes, one query each. A note is seen only by whoever sees
 * all it is attached to, so the names need no visibility check of their own.
 */
export async function noteNames(db: Executor, companyId: number, rows: readonly NoteRow[]): Promise<NoteNames> {
  const ids = (pick: (n: NoteRow) => number | null) => [...new Set(rows.map(pick).filter((id): id is number => id !== null))];
  const [persons, organizations, deals, users] = await Promise.all([
    personsByIds(db, companyId, ids((n) => n.person_id)),
    organizationsByIds(db, companyId, ids((n) => n.org_id)),
    findDealsByIds(db, companyId, ids((n) => n.deal_id)),
    usersByIds(db, companyId, ids((n) => n.user_id)),
  ]);
  return {
    persons: new Map(persons.map((p) => [p.id, p])),
    organizations: new Map(organizations.map((o) => [o.id, o])),
    deals: new Map(deals.map((d) => [d.id, d])),
    users: new Map(users.map((u) => [u.id, u])),
  };
}
