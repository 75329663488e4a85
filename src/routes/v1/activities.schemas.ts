import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.js';

const Text = (description?: string) => Type.Optional(Nullable(Type.String(description === undefined ? {} : { description })));
const Link = (description: string) => Type.Optional(Nullable(Type.Integer({ minimum: 1, description })));
const ZeroOne = (description: string) => Type.Union([Type.Literal(0), Type.Literal(1), Type.Boolean()], { description });

/** v1's activity body (POST and PUT): user_id for the owner, location as text, primary_flag, email_address. */
export const ActivityV1Body = Type.Object(
  {
    subject: Type.Optional(Type.String({ description: "Defaults to the type's name" })),
    type: Type.Optional(Type.String({ description: 'The key_string of an active activity type; defaults to call' })),
    user_id: Type.Optional(Type.Integer({ minimum: 1, description: 'The owner; defaults to the caller' })),
    deal_id: Link('The deal it is about'),
    lead_id: Type.Optional(Nullable(Type.String({ description: 'Leads are not stored: refused' }))),
    person_id: Link('The primary participant'),
    project_id: Link('Projects are not stored: refused'),
    org_id: Link('The organization it is about'),
    due_date: Type.Optional(Type.String({ description: 'YYYY-MM-DD; defaults to today (UTC)' })),
    due_time: Type.Optional(Nullable(Type.String({ description: 'HH:MM, UTC; empty clears it' }))),
    duration: Type.Optional(Nullable(Type.String({ description: 'HH:MM; empty clears it' }))),
    location: Text('The address'),
    public_description: Text(),
    note: Text('HTML; scripts, event handlers and unsafe URLs are removed before it is stored'),
    participants: Type.Optional(
      Type.Array(Type.Object({ person_id: Type.Integer({ minimum: 1 }), primary_flag: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), { maxItems: 100 }),
    ),
    busy_flag: Type.Optional(Nullable(Type.Boolean())),
    attendees: Type.Optional(
      Type.Array(
        Type.Object(
          {
            email_address: Text(),
            name: Text(),
            status: Text(),
            is_organizer: Type.Optional(ZeroOne('1 or true: the organizer')),
            person_id: Link('A person of this company'),
            user_id: Link('A user of this company'),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    done: Type.Optional(ZeroOne('0 = not done, 1 = done')),
    priority: Type.Optional(Nullable(Type.Integer({ description: 'An option id of the priority field' }))),
  },
  { additionalProperties: false },
);

/** The v1 activity: the fields clients read, the rest of Pipedrive's shape passed through. */
export const ActivityV1 = Type.Object(
  {
    id: Type.Integer(),
    company_id: Type.Integer(),
    user_id: Type.Integer(),
    done: Type.Boolean(),
    type: Type.String(),
    due_date: Type.String(),
    due_time: Type.String(),
    duration: Type.String(),
    busy_flag: Type.Boolean(),
    add_time: Type.String(),
    marked_as_done_time: Type.String(),
    subject: Type.String(),
    public_description: Nullable(Type.String()),
    location: Nullable(Type.String()),
    org_id: Nullable(Type.Integer()),
    person_id: Nullable(Type.Integer()),
    deal_id: Nullable(Type.Integer()),
    lead_id: Type.Null(),
    project_id: Type.Null(),
    active_flag: Type.Boolean(),
    update_time: Type.String(),
    update_user_id: Nullable(Type.Integer()),
    note: Nullable(Type.String()),
    created_by_user_id: Type.Integer(),
    participants: Type.Array(Type.Object({ person_id: Type.Integer(), primary_flag: Type.Boolean() })),
    attendees: Type.Array(Type.Object({}, { additionalProperties: true })),
    priority: Nullable(Type.Integer()),
    org_name: Nullable(Type.String()),
    person_name: Nullable(Type.String()),
    deal_title: Nullable(Type.String()),
    owner_name: Nullable(Type.String()),
    assigned_to_user_id: Type.Integer(),
  },
  { $id: 'ActivityV1', additionalProperties: true },
);

export const ActivityTypeV1 = Type.Object(
  {
    id: Type.Integer(),
    order_nr: Type.Integer(),
    name: Type.String(),
    key_string: Type.String(),
    icon_key: Type.String(),
    active_flag: Type.Boolean(),
    color: Nullable(Type.String()),
    is_custom_flag: Type.Boolean(),
    add_time: Type.String(),
    update_time: Type.String(),
  },
  { $id: 'ActivityTypeV1' },
);
