import type { DealRow } from '../../store/repositories/deals.repository.js';
import type { OrganizationRow } from '../../store/repositories/organizations.repository.js';
import { type Render, addressText, fieldChanges, labels, text } from './field-changes.js';

/** The organization fields whose changes are recorded, under the v1 keys Pipedrive's changelog uses, as text. */
const ORGANIZATION_FIELDS: [string, Render<OrganizationRow>][] = [
  ['name', text('name')],
  ['owner_id', text('owner_id')],
  ['visible_to', text('visible_to')],
  ['label', labels],
  ['address', (row) => (row.address === null ? null : addressText(JSON.parse(row.address)))],
  ['picture_id', text('picture_id')],
  ['add_time', text('add_time')],
];

/** The deal fields whose changes are recorded (v1 keys: the owner is `user_id`). */
const DEAL_FIELDS: [string, Render<DealRow>][] = [
  ['title', text('title')],
  ['value', text('value')],
  ['currency', text('currency')],
  ['user_id', text('owner_id')],
  ['person_id', text('person_id')],
  ['org_id', text('org_id')],
  ['status', text('status')],
  ['pipeline_id', text('pipeline_id')],
  ['stage_id', text('stage_id')],
  ['probability', text('probability')],
  ['lost_reason', text('lost_reason')],
  ['visible_to', text('visible_to')],
  ['label', labels],
  ['expected_close_date', text('expected_close_date')],
  ['won_time', text('won_time')],
  ['lost_time', text('lost_time')],
  ['close_time', text('close_time')],
  ['add_time', text('add_time')],
];

/** The field-level differences between two states of an organization (update_time, which moves on every write, excluded). */
export const organizationFieldChanges = (before: OrganizationRow, after: OrganizationRow) => fieldChanges(ORGANIZATION_FIELDS, before, after);

/** The field-level differences between two states of a deal. */
export const dealFieldChanges = (before: DealRow, after: DealRow) => fieldChanges(DEAL_FIELDS, before, after);
