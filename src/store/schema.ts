import type { Generated } from 'kysely';

/*
 * Storage conventions, identical on SQLite and PostgreSQL:
 * - timestamps are UTC text `YYYY-MM-DDTHH:MM:SSZ` (sorts correctly as text, and is already the v2 wire format);
 * - list-valued and object-valued columns hold JSON text exactly as it is sent to clients, so reads splice it
 *   into responses without parsing;
 * - every tenant-owned row carries company_id, the key a distributed PostgreSQL would shard by.
 */

export interface CompaniesTable {
  id: Generated<number>;
  name: string;
  domain: string;
  country: string | null;
  industry: string | null;
  add_time: string;
}

export interface UsersTable {
  id: Generated<number>;
  company_id: number;
  name: string;
  email: string;
  phone: string | null;
  is_admin: number;
  active_flag: number;
  default_currency: string;
  locale: string;
  lang: number;
  timezone_name: string;
  timezone_offset: string;
  role_id: number;
  icon_url: string | null;
  last_login: string | null;
  created: string;
  modified: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  company_id: number;
  user_id: number;
  token_hash: string;
  add_time: string;
  last_used_time: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface OrganizationsTable {
  id: Generated<number>;
  company_id: number;
  name: string;
  owner_id: number;
  visible_to: number;
  label_ids: string;
  address: string | null;
  picture_id: number | null;
  custom_fields: string;
  add_time: string;
  update_time: string;
  deleted_time: string | null;
}

export interface PersonsTable {
  id: Generated<number>;
  company_id: number;
  name: string;
  first_name: string | null;
  last_name: string | null;
  owner_id: number;
  org_id: number | null;
  visible_to: number;
  label_ids: string;
  picture_id: number | null;
  emails: string;
  phones: string;
  im: string;
  postal_address: string | null;
  notes: string | null;
  birthday: string | null;
  job_title: string | null;
  marketing_status: string | null;
  marketing_status_changed: number;
  custom_fields: string;
  add_time: string;
  update_time: string;
  deleted_time: string | null;
}

export interface PersonContactsTable {
  id: Generated<number>;
  company_id: number;
  person_id: number;
  kind: string;
  value: string;
  normalized: string;
  label: string;
  is_primary: number;
  position: number;
}

export interface Database {
  companies: CompaniesTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  settings: SettingsTable;
  organizations: OrganizationsTable;
  persons: PersonsTable;
  person_contacts: PersonContactsTable;
}
