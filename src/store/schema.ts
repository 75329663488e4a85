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
  /** ISO 3166 region national phone numbers are read in; null: PERSONSD_DEFAULT_REGION. */
  default_region: string | null;
  /** allow | reject | upsert; null: allow. */
  duplicate_policy: string | null;
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

/** Each person's v2 JSON, written by triggers on `persons` (migration 027); read by plain v2 lists. */
export interface PersonDocsTable {
  /** The key is (company_id, person_id) since migrations 030 (SQLite) and 032 (PostgreSQL). */
  company_id: number;
  person_id: number;
  /** Whether the person is live (1) or deleted (0). */
  live: number;
  doc: string;
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

export interface DealsTable {
  id: Generated<number>;
  company_id: number;
  title: string;
  owner_id: number;
  creator_user_id: number;
  person_id: number | null;
  org_id: number | null;
  value: number;
  currency: string;
  status: string;
  probability: number | null;
  lost_reason: string | null;
  visible_to: number;
  label_ids: string;
  expected_close_date: string | null;
  add_time: string;
  update_time: string;
  won_time: string | null;
  lost_time: string | null;
  close_time: string | null;
  /** Custom field values, JSON text in the v2 `custom_fields` format (migration 017). */
  custom_fields: Generated<string>;
  deleted_time: string | null;
  /** Null only between a row's insert and its stage being set (every deal write sets both). */
  pipeline_id: number | null;
  stage_id: number | null;
}

/** A company's pipelines (migration 016); the lowest order_nr is the default one. */
export interface PipelinesTable {
  id: Generated<number>;
  company_id: number;
  name: string;
  order_nr: number;
  is_deal_probability_enabled: number;
  active_flag: number;
  add_time: string;
  update_time: string;
  deleted_time: string | null;
}

/** The stages of a pipeline, ordered by order_nr; a deal sits in exactly one. */
export interface StagesTable {
  id: Generated<number>;
  company_id: number;
  pipeline_id: number;
  name: string;
  order_nr: number;
  deal_probability: number;
  is_deal_rot_enabled: number;
  days_to_rotten: number | null;
  add_time: string;
  update_time: string;
  deleted_time: string | null;
}

export interface NotesTable {
  id: Generated<number>;
  company_id: number;
  user_id: number;
  last_update_user_id: number | null;
  /** Sanitised HTML. */
  content: string;
  person_id: number | null;
  org_id: number | null;
  deal_id: number | null;
  pinned_to_person_flag: number;
  pinned_to_organization_flag: number;
  pinned_to_deal_flag: number;
  add_time: string;
  update_time: string;
  deleted_time: string | null;
}

export interface ActivityTypesTable {
  id: Generated<number>;
  company_id: number;
  name: string;
  key_string: string;
  icon_key: string;
  color: string | null;
  order_nr: number;
  is_custom_flag: number;
  active_flag: number;
  add_time: string;
  update_time: string;
}

export interface ActivitiesTable {
  id: Generated<number>;
  company_id: number;
  subject: string;
  /** The key_string of one of the company's activity types. */
  type: string;
  owner_id: number;
  creator_user_id: number;
  update_user_id: number | null;
  person_id: number | null;
  org_id: number | null;
  deal_id: number | null;
  /** JSON `[{person_id, primary}]`, stored as rendered. */
  participants: string;
  /** JSON `[{email, name, status, is_organizer, person_id, user_id}]`, stored as rendered. */
  attendees: string;
  /** YYYY-MM-DD. */
  due_date: string;
  /** HH:MM, UTC. */
  due_time: string | null;
  /** HH:MM. */
  duration: string | null;
  done: number;
  marked_as_done_time: string | null;
  /** null: busy when it has a time, free when all day. */
  busy_flag: number | null;
  /** JSON of v2's location object. */
  location: string | null;
  /** Sanitised HTML. */
  note: string | null;
  public_description: string | null;
  priority: number | null;
  add_time: string;
  update_time: string;
  deleted_time: string | null;
}

/** A saved filter (conditions: the condition tree as JSON text). */
export interface FiltersTable {
  id: Generated<number>;
  company_id: number;
  user_id: number;
  name: string;
  type: string;
  conditions: string;
  visible_to: number;
  temporary_flag: number;
  add_time: string;
  update_time: string;
  deleted_time: string | null;
}

export interface NoteCommentsTable {
  id: Generated<number>;
  uuid: string;
  company_id: number;
  note_id: number;
  user_id: number;
  updater_id: number | null;
  /** Sanitised HTML. */
  content: string;
  add_time: string;
  update_time: string;
}

export interface PersonFollowersTable {
  id: Generated<number>;
  company_id: number;
  person_id: number;
  user_id: number;
  add_time: string;
}

/**
 * A person's history: field changes (`kind` 'field'), followers added or removed, and merges. Values are text, as
 * the changelog renders them; `related_id` is the follower's user id or the other person of a merge.
 */
export interface PersonChangesTable {
  id: Generated<number>;
  company_id: number;
  person_id: number;
  kind: string;
  field_key: string | null;
  is_custom: number;
  old_value: string | null;
  new_value: string | null;
  related_id: number | null;
  actor_user_id: number;
  change_source: string;
  /** The User-Agent of the client that made the change; null for changes made without one (CLI, older rows). */
  change_source_user_agent: string | null;
  time: string;
}

export interface PersonPicturesTable {
  id: Generated<number>;
  company_id: number;
  person_id: number;
  added_by_user_id: number;
  file_size: number;
  image_128: Buffer;
  image_512: Buffer;
  add_time: string;
  update_time: string;
}

/** A system or custom person field; `field_key` is a readable name for system fields, 40 hex chars for custom ones. */
export interface PersonFieldsTable {
  id: Generated<number>;
  company_id: number;
  /** Whose field: 'person', 'organization' or 'deal' (migration 017; the table holds the fields of all three). */
  entity: Generated<string>;
  field_key: string;
  name: string;
  field_type: string;
  is_custom: number;
  order_nr: number;
  add_visible_flag: number;
  details_visible_flag: number;
  show_in_add_deal_dialog: number;
  add_deal_dialog_order: number | null;
  important_flag: number;
  important_stage_ids: string;
  mandatory_flag: number;
  created_by_user_id: number | null;
  last_updated_by_user_id: number | null;
  add_time: string;
  update_time: string;
  deleted_time: string | null;
}

/** Who follows an organization (org_id) or a deal (deal_id): exactly one of the two is set. */
export interface RecordFollowersTable {
  id: Generated<number>;
  company_id: number;
  org_id: number | null;
  deal_id: number | null;
  user_id: number;
  add_time: string;
}

/** Followers added to and removed from organizations and deals, for the followers changelog. */
export interface RecordFollowerChangesTable {
  id: Generated<number>;
  company_id: number;
  org_id: number | null;
  deal_id: number | null;
  action: string;
  actor_user_id: number;
  follower_user_id: number;
  time: string;
}

/** A field change of an organization or a deal (migration 022); the link column names which. */
export interface RecordChangesTable {
  id: Generated<number>;
  company_id: number;
  org_id: number | null;
  deal_id: number | null;
  field_key: string;
  is_custom: number;
  old_value: string | null;
  new_value: string | null;
  actor_user_id: number;
  change_source: string;
  change_source_user_agent: string | null;
  time: string;
}

/** An option of an enum / set person field (the person labels are the options of the `label` field). */
export interface PersonFieldOptionsTable {
  id: Generated<number>;
  company_id: number;
  field_id: number;
  label: string;
  color: string | null;
  order_nr: number;
  add_time: string;
  update_time: string;
}

/**
 * The search index row of a person: each searchable field's values in searchable form (see
 * src/domain/search/search-text.ts), rewritten in the transaction of every write. SQLite keeps FTS5 indexes
 * beside it (a trigram table per column and person_search_terms); PostgreSQL a pg_trgm index per column.
 */
export interface PersonSearchTable {
  person_id: number;
  company_id: number;
  name: string;
  email: string;
  phone: string;
  custom: string;
  notes: string;
}

/** The search index row of an organization, as for persons. */
export interface OrganizationSearchTable {
  organization_id: number;
  company_id: number;
  name: string;
  address: string;
  custom: string;
}

/** The search index row of a deal: its title (deals have no notes or custom fields in personsd). */
export interface DealSearchTable {
  deal_id: number;
  company_id: number;
  title: string;
}

/** An OAuth client registered with `personsd app create`; only the secret's SHA-256 is kept. */
export interface OauthAppsTable {
  id: Generated<number>;
  client_id: string;
  client_secret_hash: string;
  name: string;
  redirect_uri: string;
  /** Comma-separated scopes every grant of the app receives. */
  scopes: string;
  add_time: string;
}

export interface OauthCodesTable {
  id: Generated<number>;
  company_id: number;
  app_id: number;
  user_id: number;
  code_hash: string;
  redirect_uri: string;
  expires_time: string;
  add_time: string;
}

export interface OauthGrantsTable {
  id: Generated<number>;
  company_id: number;
  app_id: number;
  user_id: number;
  scopes: string;
  add_time: string;
  revoked_time: string | null;
}

/** An access or refresh token of a grant, by SHA-256; exchanged refresh tokens keep their row with rotated_time. */
export interface OauthTokensTable {
  id: Generated<number>;
  company_id: number;
  grant_id: number;
  kind: 'access' | 'refresh';
  token_hash: string;
  expires_time: string;
  rotated_time: string | null;
  add_time: string;
}

/** A visibility group; parent_id null means a child of the company's implicit top group. */
export interface VisibilityGroupsTable {
  id: Generated<number>;
  company_id: number;
  name: string;
  parent_id: number | null;
  add_time: string;
}

export interface VisibilityGroupMembersTable {
  user_id: number;
  company_id: number;
  group_id: number;
}

/** A webhook subscription; removed ones stay (remove_time set) so the list shows why they stopped. */
export interface WebhooksTable {
  id: Generated<number>;
  company_id: number;
  owner_id: number;
  user_id: number;
  name: string;
  subscription_url: string;
  event_action: string;
  event_object: string;
  version: string;
  http_auth_user: string | null;
  http_auth_password: string | null;
  add_time: string;
  remove_time: string | null;
  remove_reason: string | null;
  last_delivery_time: string | null;
  last_http_status: number | null;
  /** First-attempt failures in a row; reaching the ban threshold bans the webhook and resets it. */
  ban_counter: Generated<number>;
  /** Epoch ms until which the webhook is banned (events dropped), or null. */
  banned_until: number | null;
  /** Epoch ms of the first failed attempt since the last success, or null. */
  failing_since: number | null;
}

/** One event still to deliver to one webhook; the row is deleted once delivered, dropped or given up on. */
export interface WebhookOutboxTable {
  id: Generated<number>;
  company_id: number;
  webhook_id: number;
  event_id: string;
  entity: string;
  entity_id: number;
  event: string;
  payload: string;
  attempts: Generated<number>;
  next_attempt_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  created_at: number;
}

/** One delivery attempt (or a dropped event), kept for `GET /v1/webhooks/{id}/deliveries`. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  company_id: number;
  webhook_id: number;
  event_id: string;
  event: string;
  entity_id: number;
  attempt: number;
  result: string;
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
  time: string;
}

/** A key derived from a person's name (rule 'org_name', 'name' or 'domain_surname') that duplicate checks look up. */
export interface PersonMatchKeysTable {
  id: Generated<number>;
  company_id: number;
  person_id: number;
  rule: string;
  key: string;
}

/** The journal of one merge: what unmerge needs to restore both persons and move their links back. */
export interface PersonMergesTable {
  id: Generated<number>;
  company_id: number;
  survivor_id: number;
  merged_id: number;
  actor_user_id: number;
  /** The persons rows (JSON) as they were before the merge, and the survivor's as the merge left it. */
  survivor_before: string;
  merged_before: string;
  survivor_after: string;
  /** JSON id lists: deals moved to the survivor, followers of the merged person, users the survivor gained as followers. */
  moved_deal_ids: string;
  /** JSON ids of the notes the merge moved (null: journaled before notes existed). */
  moved_note_ids: string | null;
  /** JSON ids of the activities the merge moved (null: journaled before activities existed). */
  moved_activity_ids: string | null;
  merged_followers: string;
  added_follower_ids: string;
  moved_picture_id: number | null;
  /** JSON: where each field's merged value came from. */
  sources: string;
  /** JSON `[{person_id, key}]`: people-field values of other persons moved from the merged person to the survivor (null: journaled before they were). */
  repointed_references: string | null;
  time: string;
  undone_time: string | null;
}

/** A user's console password (migration 019): an scrypt hash in `scrypt$N$r$p$salt$hash` form. */
export interface UserPasswordsTable {
  user_id: number;
  company_id: number;
  password_hash: string;
  update_time: string;
}

/** A signed-in browser: the SHA-256 of its session cookie's secret and the CSRF token it sends on writes. */
export interface ConsoleSessionsTable {
  id: Generated<number>;
  company_id: number;
  user_id: number;
  token_hash: string;
  csrf_token: string;
  add_time: string;
  expires_time: string;
}

/** A one-time link that lets a user choose a console password. */
export interface ConsoleInvitesTable {
  id: Generated<number>;
  company_id: number;
  user_id: number;
  token_hash: string;
  add_time: string;
  expires_time: string;
  used_time: string | null;
}

export interface Database {
  companies: CompaniesTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  settings: SettingsTable;
  organizations: OrganizationsTable;
  persons: PersonsTable;
  person_contacts: PersonContactsTable;
  person_docs: PersonDocsTable;
  person_fields: PersonFieldsTable;
  person_field_options: PersonFieldOptionsTable;
  deals: DealsTable;
  pipelines: PipelinesTable;
  stages: StagesTable;
  notes: NotesTable;
  filters: FiltersTable;
  note_comments: NoteCommentsTable;
  activities: ActivitiesTable;
  activity_types: ActivityTypesTable;
  person_followers: PersonFollowersTable;
  record_followers: RecordFollowersTable;
  record_follower_changes: RecordFollowerChangesTable;
  person_changes: PersonChangesTable;
  record_changes: RecordChangesTable;
  person_pictures: PersonPicturesTable;
  person_search: PersonSearchTable;
  organization_search: OrganizationSearchTable;
  deal_search: DealSearchTable;
  oauth_apps: OauthAppsTable;
  oauth_codes: OauthCodesTable;
  oauth_grants: OauthGrantsTable;
  oauth_tokens: OauthTokensTable;
  visibility_groups: VisibilityGroupsTable;
  visibility_group_members: VisibilityGroupMembersTable;
  person_match_keys: PersonMatchKeysTable;
  person_merges: PersonMergesTable;
  webhooks: WebhooksTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  user_passwords: UserPasswordsTable;
  console_sessions: ConsoleSessionsTable;
  console_invites: ConsoleInvitesTable;
}
