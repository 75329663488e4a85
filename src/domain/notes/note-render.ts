import type { DealRow } from '../../store/repositories/deals.repository.js';
import type { NoteRow } from '../../store/repositories/notes.repository.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import type { UserRow } from '../../store/repositories/users.repository.js';
import { toV1Time } from '../time.js';

/** The names a page of notes shows beside its ids, read once per page. */
export interface NoteNames {
  persons: ReadonlyMap<number, Pick<PersonRow, 'name'>>;
  organizations: ReadonlyMap<number, Pick<OrganizationRow, 'name'>>;
  deals: ReadonlyMap<number, Pick<DealRow, 'title'>>;
  users: ReadonlyMap<number, Pick<UserRow, 'name' | 'email' | 'icon_url'>>;
}

/** A note in v1's shape. Leads, projects and tasks are not stored, so their ids are null and their pins false. */
export function renderNoteV1(row: NoteRow, names: NoteNames, viewerId: number): Record<string, unknown> {
  const person = row.person_id === null ? undefined : names.persons.get(row.person_id);
  const organization = row.org_id === null ? undefined : names.organizations.get(row.org_id);
  const deal = row.deal_id === null ? undefined : names.deals.get(row.deal_id);
  const user = names.users.get(row.user_id);
  return {
    id: row.id,
    user_id: row.user_id,
    deal_id: row.deal_id,
    person_id: row.person_id,
    org_id: row.org_id,
    lead_id: null,
    project_id: null,
    task_id: null,
    content: row.content,
    add_time: toV1Time(row.add_time),
    update_time: toV1Time(row.update_time),
    active_flag: row.deleted_time === null,
    pinned_to_deal_flag: row.pinned_to_deal_flag === 1,
    pinned_to_organization_flag: row.pinned_to_organization_flag === 1,
    pinned_to_person_flag: row.pinned_to_person_flag === 1,
    pinned_to_lead_flag: false,
    pinned_to_project_flag: false,
    pinned_to_task_flag: false,
    last_update_user_id: row.last_update_user_id,
    organization: organization ? { name: organization.name } : null,
    person: person ? { name: person.name } : null,
    deal: deal ? { title: deal.title } : null,
    user: user ? { email: user.email, name: user.name, icon_url: user.icon_url, is_you: row.user_id === viewerId } : null,
  };
}
