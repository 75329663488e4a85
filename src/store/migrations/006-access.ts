import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/** OAuth apps, authorization codes, grants and tokens; visibility groups and their members. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // Apps are registered for the whole installation (like Pipedrive Marketplace apps); each grant is a company's.
  await db.schema
    .createTable('oauth_apps')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('client_secret_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('add_time', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oauth_codes')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('app_id', 'integer', (c) => c.notNull().references('oauth_apps.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('expires_time', 'text', (c) => c.notNull())
    .addColumn('add_time', 'text', (c) => c.notNull())
    .execute();

  // One grant per approval: the refresh tokens rotate within it, and revoking it ends all its tokens.
  await db.schema
    .createTable('oauth_grants')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('app_id', 'integer', (c) => c.notNull().references('oauth_apps.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('revoked_time', 'text')
    .execute();
  await db.schema.createIndex('oauth_grants_company').on('oauth_grants').columns(['company_id', 'id']).execute();

  await db.schema
    .createTable('oauth_tokens')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('grant_id', 'integer', (c) => c.notNull().references('oauth_grants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_time', 'text', (c) => c.notNull())
    // A refresh token that was exchanged stays as a row, so presenting it again is recognised as reuse.
    .addColumn('rotated_time', 'text')
    .addColumn('add_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth_tokens_grant').on('oauth_tokens').columns(['grant_id', 'kind']).execute();

  await db.schema
    .createTable('visibility_groups')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('visibility_groups.id'))
    .addColumn('add_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('visibility_groups_company_name').on('visibility_groups').columns(['company_id', 'name']).unique().execute();

  // A user is in at most one group; users in none are in the company's implicit top group.
  await db.schema
    .createTable('visibility_group_members')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('visibility_groups.id'))
    .execute();
  await db.schema.createIndex('visibility_group_members_group').on('visibility_group_members').columns(['company_id', 'group_id']).execute();
}
