import { get } from './api.ts';

export interface Contact {
  value: string;
  primary: boolean;
  label: string;
}

export interface Person {
  id: number;
  name: string;
  first_name: string | null;
  last_name: string | null;
  owner_id: number | null;
  org_id: number | null;
  add_time: string;
  update_time: string;
  emails: Contact[];
  phones: Contact[];
  im: Contact[];
  visible_to: number;
  label_ids: number[];
  custom_fields: Record<string, unknown>;
  postal_address: Record<string, string | null> | null;
  notes: string | null;
  birthday: string | null;
  job_title: string | null;
  marketing_status?: string | null;
  picture_id?: number | null;
}

export interface FieldOption {
  id: number;
  label: string;
  color?: string;
}

export interface PersonField {
  id: number;
  field_code: string;
  field_name: string;
  field_type: string;
  is_custom_field: boolean;
  options: FieldOption[] | null;
}

export interface User {
  id: number;
  name: string;
  email: string;
}

export interface Organization {
  id: number;
  name: string;
  owner_id?: number;
  address?: unknown;
}

/** What every page needs to name ids: users, person fields (labels, custom fields) and organizations. */
export interface Reference {
  users: User[];
  fields: PersonField[];
  organizations: Organization[];
}

export async function loadReference(): Promise<Reference> {
  const [users, fields, organizations] = await Promise.all([
    get<User[]>('/v1/users'),
    get<PersonField[]>('/api/v2/personFields?limit=500'),
    get<Organization[]>('/api/v2/organizations?limit=500'),
  ]);
  return { users: users.data, fields: fields.data, organizations: organizations.data };
}

export const VISIBILITY: Record<number, string> = {
  1: 'Owner only',
  3: "Owner's visibility group",
  5: "Owner's group and sub-groups",
  7: 'Entire company',
};

export const CONTACT_LABELS: Record<'emails' | 'phones' | 'im', string[]> = {
  emails: ['work', 'home', 'other'],
  phones: ['work', 'home', 'mobile', 'other'],
  im: ['google', 'aim', 'skype', 'other'],
};

export const nameOf = <T extends { id: number; name: string }>(list: T[], id: number | null | undefined) =>
  id == null ? '' : (list.find((item) => item.id === id)?.name ?? `#${id}`);

export const labelsField = (reference: Reference) => reference.fields.find((f) => f.field_code === 'label_ids');
export const customFields = (reference: Reference) => reference.fields.filter((f) => f.is_custom_field);
