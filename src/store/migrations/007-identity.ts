import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/**
 * Identity: per-company duplicate settings, the name-derived match keys duplicate checks look up, and the merge
 * journal unmerge restores from. Canonical email / phone keys live in person_contacts.normalized, which exists
 * already; the rows written before this migration are re-keyed at start (see identity-rebuild.ts).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // null: the installation's default (PERSONSD_DEFAULT_REGION; policy `allow`).
  await db.schema.alterTable('companies').addColumn('default_region', 'text').execute();
  await db.schema.alterTable('companies').addColumn('duplicate_policy', 'text').execute();

  // One row per derived key of a person (rule 'org_name', 'name', 'domain_surname'): each duplicate rule is one
  // indexed equality lookup.
  await db.schema
    .createTable('person_match_keys')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_match_keys_lookup').on('person_match_keys').columns(['company_id', 'rule', 'key']).execute();
  await db.schema.createIndex('person_match_keys_person').on('person_match_keys').column('person_id').execute();

  // What a merge changed, so it can be undone: both rows as they were, the survivor as the merge left it, the
  // links that moved and where each merged value came from. Purged with the merged-away person (30 days).
  await db.schema
    .createTable('person_merges')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('survivor_id', 'integer', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('merged_id', 'integer', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('actor_user_id', 'integer', (c) => c.notNull())
    .addColumn('survivor_before', 'text', (c) => c.notNull())
    .addColumn('merged_before', 'text', (c) => c.notNull())
    .addColumn('survivor_after', 'text', (c) => c.notNull())
    .addColumn('moved_deal_ids', 'text', (c) => c.notNull())
    .addColumn('merged_followers', 'text', (c) => c.notNull())
    .addColumn('added_follower_ids', 'text', (c) => c.notNull())
    .addColumn('moved_picture_id', 'integer')
    .addColumn('sources', 'text', (c) => c.notNull())
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('undone_time', 'text')
    .execute();
  await db.schema.createIndex('person_merges_survivor').on('person_merges').columns(['company_id', 'survivor_id']).execute();
  await db.schema.createIndex('person_merges_merged').on('person_merges').columns(['company_id', 'merged_id']).execute();

  // vCard and CSV imports find an organization by name.
  await db.schema.createIndex('organizations_company_name').on('organizations').columns(['company_id', 'name']).execute();
}
