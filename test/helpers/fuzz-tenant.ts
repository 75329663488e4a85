import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { COMPANY_ACCESS_TABLES, COMPANY_DATA_TABLES, COMPANY_SEARCH_TABLES } from '../../src/store/repositories/company-data.repository.ts';
import type { ValueHints } from './fuzz-values.ts';
import { type Tenant, type TestServer, newTenant } from './server.ts';

/** A company with one record of each kind, so generated ids and codes often name something real. */
export interface FuzzTenant {
  tenant: Tenant;
  hints: ValueHints;
}

// API tokens record their last use on every request: they are the one row a refused request may change.
const TABLES = [...COMPANY_DATA_TABLES, ...COMPANY_SEARCH_TABLES, ...COMPANY_ACCESS_TABLES.filter((t) => t !== 'api_tokens')];

/**
 * Every row the company owns (its records, search index, users, groups and OAuth grants, and its company row), hashed.
 * Cheap for the small companies the fuzz works on; compared around each refused request.
 */
export async function dataFingerprint(server: TestServer, companyId: number): Promise<string> {
  const db = server.store.db;
  if (server.store.dialect === 'postgres') {
    // One round trip: each table's rows as text, hashed in the database.
    const parts = TABLES.map((table) => sql`(select count(*) || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') from ${sql.table(table)} t where company_id = ${companyId})`);
    const result = await sql<{ fingerprint: string }>`select concat_ws('|', (select md5(c::text) from companies c where id = ${companyId}), ${sql.join(parts)}) as fingerprint`.execute(db);
    return result.rows[0].fingerprint;
  }
  const hash = createHash('sha256');
  const company = await sql`select * from companies where id = ${companyId}`.execute(db);
  hash.update(JSON.stringify(company.rows));
  for (const table of TABLES) {
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where company_id = ${companyId}`.execute(db);
    const rows = result.rows.map((row) => JSON.stringify(row)).sort();
    hash.update(`${table}:${rows.length}:${rows.join('\n')}\n`);
  }
  return hash.digest('hex');
}

async function created(response: { status: number; body: any }, what: string): Promise<any> {
  if (response.status >= 300) throw new Error(`seeding ${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data;
}

/** A fresh tenant with persons, an organization, a deal, a custom field with options, a follower and a webhook. */
export async function seededTenant(server: TestServer): Promise<FuzzTenant> {
  const tenant = await newTenant(server);
  const other = await tenant.addUser();
  const api = tenant.api;
  const org = await created(await api.post('/api/v2/organizations', { name: 'Fuzz Org' }), 'organization');
  const person = await created(await api.post('/api/v2/persons', { name: 'Fuzz Target', emails: [{ value: 'fuzz@example.com' }], phones: [{ value: '+33 6 28 23 04 55' }], org_id: org.id }), 'person');
  const second = await created(await api.post('/api/v2/persons', { name: 'Fuzz Other', emails: [{ value: 'other@example.com' }] }), 'person');
  const deal = await created(await api.post('/api/v2/deals', { title: 'Fuzz Deal', person_id: person.id, org_id: org.id }), 'deal');
  const field = await created(await api.post('/v1/personFields', { name: 'Fuzz Choice', field_type: 'enum', options: [{ label: 'a' }, { label: 'b' }] }), 'field');
  const textField = await created(await api.post('/v1/personFields', { name: 'Fuzz Text', field_type: 'varchar' }), 'field');
  const follower = await created(await api.post(`/v1/persons/${person.id}/followers`, { user_id: other.userId }), 'follower');
  const webhook = await api.post('/v1/webhooks', { subscription_url: 'http://127.0.0.1:9/fuzz', event_action: '*', event_object: 'person' });
  if (webhook.status !== 201) throw new Error(`seeding a webhook failed: ${webhook.status} ${JSON.stringify(webhook.body)}`);
  const personIds = [person.id, second.id];
  const userIds = [tenant.userId, other.userId];
  const optionIds = field.options.map((o: { id: number }) => o.id);
  const hints: ValueHints = {
    'path:/persons:id': personIds,
    'path:/organizations:id': [org.id],
    'path:/deals:id': [deal.id],
    'path:/users:id': userIds,
    'path:/webhooks:id': [webhook.body.data.id],
    'path:/personFields:id': [field.id, textField.id],
    'path:/personFields:field_code': [field.key, textField.key, 'name', 'emails'],
    'path:/v1:follower_id': [follower.id],
    'path:/api/v2:follower_id': [other.userId],
    'path:/picture:size': [128, 512],
    person_id: personIds,
    merge_with_id: [second.id],
    merged_id: [second.id],
    org_id: [org.id],
    organization_id: [org.id],
    deal_id: [deal.id],
    owner_id: userIds,
    user_id: userIds,
    label_ids: optionIds,
    id: [...optionIds, ...personIds],
    ids: [`${person.id},${second.id}`, String(person.id)],
    field_key: [field.key, 'name', 'email'],
    field: [field.key, 'name', 'email'],
    term: ['Fuzz', 'fuzz@example.com', '0628230455'],
    api_token: [tenant.token],
    subscription_url: ['http://127.0.0.1:9/fuzz', 'https://example.invalid/x'],
  };
  return { tenant, hints };
}

/** The known values for one path parameter of one operation: by the resource segment before it, or by the API version. */
export function pathHints(hints: ValueHints, path: string, name: string): readonly (string | number)[] {
  const segments = path.split('/');
  const at = segments.indexOf(`{${name}}`);
  const resource = at > 0 ? `/${segments[at - 1]}` : '';
  if (name === 'follower_id') return hints[`path:${path.startsWith('/api/v2') ? '/api/v2' : '/v1'}:follower_id`] ?? [];
  if (name === 'size') return hints['path:/picture:size'] ?? [];
  return hints[`path:${resource}:${name}`] ?? [];
}
