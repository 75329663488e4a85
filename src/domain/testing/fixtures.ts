import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { Actor } from '../actor.js';
import { invalid } from '../errors.js';
import type { DealInput } from '../deals/deal-input.js';
import type { DealsService } from '../deals/deals.service.js';
import type { NotesService } from '../notes/notes.service.js';
import type { ActivitiesService } from '../activities/activities.service.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import type { PersonFieldsService } from '../person-fields/person-fields.service.js';
import type { NoteInput } from '../notes/note-input.js';
import type { ActivityInput } from '../activities/activity-input.js';
import type { PersonInput } from '../person-model/person-input.js';
import type { PersonsService } from '../persons/persons.service.js';
import type { UsersService } from '../users/users.service.js';

const Key = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$', description: 'A local key other entries refer to' });
// A record keyed by Key: TypeBox makes the key pattern a patternProperties entry, which other keys would simply bypass.
const Keyed = <T extends TSchema>(value: T) => Type.Record(Key, value, { additionalProperties: false });
const Contact = Type.Union([Type.String(), Type.Object({ value: Type.String(), label: Type.Optional(Type.String()), primary: Type.Optional(Type.Boolean()) })]);

/**
 * A fixtures document: entities under local keys, references between them by key (`"org": "acme"`,
 * `"owner": "alice"`), so a test writes its data once without knowing the ids it will get.
 */
export const FixturesDocument = Type.Object(
  {
    users: Type.Optional(Keyed(Type.Object({ name: Type.String({ minLength: 1 }), email: Type.String({ format: 'email' }), admin: Type.Optional(Type.Boolean()) }, { additionalProperties: false }))),
    person_fields: Type.Optional(
      Keyed(
        Type.Object(
          { name: Type.String({ minLength: 1 }), type: Type.String({ minLength: 1 }), options: Type.Optional(Type.Array(Type.String({ minLength: 1 }))) },
          { additionalProperties: false },
        ),
      ),
    ),
    organizations: Type.Optional(Keyed(Type.Object({ name: Type.String({ minLength: 1 }), owner: Type.Optional(Key), address: Type.Optional(Type.String()) }, { additionalProperties: false }))),
    persons: Type.Optional(
      Keyed(
        Type.Object(
          {
            name: Type.String({ minLength: 1 }),
            org: Type.Optional(Key),
            owner: Type.Optional(Key),
            emails: Type.Optional(Type.Array(Contact)),
            phones: Type.Optional(Type.Array(Contact)),
            job_title: Type.Optional(Type.String()),
            /** Custom values by the local key of the field; enum and set values by option label. */
            fields: Type.Optional(Keyed(Type.Unknown())),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    deals: Type.Optional(
      Keyed(
        Type.Object(
          {
            title: Type.String({ minLength: 1 }),
            person: Type.Optional(Key),
            org: Type.Optional(Key),
            owner: Type.Optional(Key),
            value: Type.Optional(Type.Number()),
            currency: Type.Optional(Type.String()),
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('won'), Type.Literal('lost')])),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    notes: Type.Optional(
      Keyed(
        Type.Object(
          {
            /** HTML, sanitised as the API sanitises it. */
            content: Type.String({ minLength: 1 }),
            person: Type.Optional(Key),
            org: Type.Optional(Key),
            deal: Type.Optional(Key),
            /** The user who wrote it (the company's admin when absent). */
            author: Type.Optional(Key),
            pinned: Type.Optional(Type.Boolean({ description: 'Pinned to each record it is attached to' })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    activities: Type.Optional(
      Keyed(
        Type.Object(
          {
            subject: Type.Optional(Type.String({ minLength: 1 })),
            /** An activity type's key_string (call when absent). */
            type: Type.Optional(Type.String({ minLength: 1 })),
            /** The primary participant; `participants` adds others. */
            person: Type.Optional(Key),
            participants: Type.Optional(Type.Array(Key)),
            org: Type.Optional(Key),
            deal: Type.Optional(Key),
            /** The user it is assigned to (the company's admin when absent). */
            owner: Type.Optional(Key),
            due_date: Type.Optional(Type.String({ description: 'YYYY-MM-DD' })),
            due_time: Type.Optional(Type.String({ description: 'HH:MM, UTC' })),
            duration: Type.Optional(Type.String({ description: 'HH:MM' })),
            done: Type.Optional(Type.Boolean()),
            location: Type.Optional(Type.String()),
            /** HTML, sanitised as the API sanitises it. */
            note: Type.Optional(Type.String()),
            public_description: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
export type FixturesDocument = Static<typeof FixturesDocument>;

/** The ids given to each local key. */
export interface LoadedFixtures {
  users: Record<string, number>;
  person_fields: Record<string, string>;
  organizations: Record<string, number>;
  persons: Record<string, number>;
  deals: Record<string, number>;
  notes: Record<string, number>;
  activities: Record<string, number>;
}

/** The services a load writes through, all bound to the one transaction the load runs in. */
export interface FixtureServices {
  users: UsersService;
  personFields: PersonFieldsService;
  organizations: OrganizationsService;
  persons: PersonsService;
  deals: DealsService;
  notes: NotesService;
  activities: ActivitiesService;
}

/** Every reference names an entry of the document; checked before anything is written. */
export function checkReferences(doc: FixturesDocument): void {
  const missing: string[] = [];
  const check = (where: string, kind: keyof FixturesDocument, key: string | undefined) => {
    if (key !== undefined && !(doc[kind] && Object.hasOwn(doc[kind], key))) missing.push(`${where} refers to ${kind} "${key}", which the document does not define`);
  };
  for (const [key, org] of Object.entries(doc.organizations ?? {})) check(`organizations.${key}.owner`, 'users', org.owner);
  for (const [key, person] of Object.entries(doc.persons ?? {})) {
    check(`persons.${key}.org`, 'organizations', person.org);
    check(`persons.${key}.owner`, 'users', person.owner);
    for (const field of Object.keys(person.fields ?? {})) check(`persons.${key}.fields`, 'person_fields', field);
  }
  for (const [key, deal] of Object.entries(doc.deals ?? {})) {
    check(`deals.${key}.person`, 'persons', deal.person);
    check(`deals.${key}.org`, 'organizations', deal.org);
    check(`deals.${key}.owner`, 'users', deal.owner);
  }
  for (const [key, note] of Object.entries(doc.notes ?? {})) {
    check(`notes.${key}.person`, 'persons', note.person);
    check(`notes.${key}.org`, 'organizations', note.org);
    check(`notes.${key}.deal`, 'deals', note.deal);
    check(`notes.${key}.author`, 'users', note.author);
  }
  for (const [key, activity] of Object.entries(doc.activities ?? {})) {
    check(`activities.${key}.person`, 'persons', activity.person);
    for (const person of activity.participants ?? []) check(`activities.${key}.participants`, 'persons', person);
    check(`activities.${key}.org`, 'organizations', activity.org);
    check(`activities.${key}.deal`, 'deals', activity.deal);
    check(`activities.${key}.owner`, 'users', activity.owner);
  }
  if (missing.length > 0) throw invalid(`Bad reference: ${missing[0]}`, missing.join('; '));
}

const contacts = (list: Static<typeof Contact>[] | undefined) =>
  list?.map((c, i) => (typeof c === 'string' ? { value: c, primary: i === 0 } : c));

/**
 * Writes the document as the given admin, through the same services as the API (so the search index, history
 * and webhooks follow), users first, then fields, organizations, persons, deals, notes and activities. The caller runs it in one
 * transaction: any failure leaves nothing written.
 */
export async function loadFixtures(services: FixtureServices, admin: Actor, doc: FixturesDocument): Promise<LoadedFixtures> {
  checkReferences(doc);
  const loaded: LoadedFixtures = { users: {}, person_fields: {}, organizations: {}, persons: {}, deals: {}, notes: {}, activities: {} };
  const fieldOptions = new Map<string, Map<string, number>>();
  for (const [key, user] of Object.entries(doc.users ?? {})) {
    loaded.users[key] = (await services.users.create(admin, { name: user.name, email: user.email, is_admin: user.admin })).id;
  }
  const owner = (key: string | undefined) => (key === undefined ? undefined : loaded.users[key]);
  for (const [key, field] of Object.entries(doc.person_fields ?? {})) {
    const created = await services.personFields.create(
      admin,
      { name: field.name, type: field.type, options: field.options?.map((label) => ({ label })) },
      { name: 'field_name' },
    );
    loaded.person_fields[key] = created.key;
    fieldOptions.set(key, new Map((created.options ?? []).map((o) => [o.label, o.id])));
  }
  for (const [key, org] of Object.entries(doc.organizations ?? {})) {
    const address = org.address === undefined ? undefined : { value: org.address };
    loaded.organizations[key] = (await services.organizations.create(admin, { name: org.name, owner_id: owner(org.owner), address })).id;
  }
  for (const [key, person] of Object.entries(doc.persons ?? {})) {
    const input: PersonInput = {
      name: person.name,
      owner_id: owner(person.owner),
      org_id: person.org === undefined ? undefined : loaded.organizations[person.org],
      emails: contacts(person.emails),
      phones: contacts(person.phones),
      job_title: person.job_title,
    };
    if (person.fields) {
      input.custom_fields = Object.fromEntries(
        Object.entries(person.fields).map(([fieldKey, value]) => [loaded.person_fields[fieldKey], optionIds(fieldOptions.get(fieldKey), value)]),
      );
    }
    loaded.persons[key] = (await services.persons.create(admin, input)).id;
  }
  for (const [key, deal] of Object.entries(doc.deals ?? {})) {
    const input: DealInput = {
      title: deal.title,
      owner_id: owner(deal.owner),
      person_id: deal.person === undefined ? undefined : loaded.persons[deal.person],
      org_id: deal.org === undefined ? undefined : loaded.organizations[deal.org],
      value: deal.value,
      currency: deal.currency,
      status: deal.status,
    };
    loaded.deals[key] = (await services.deals.create(admin, input)).id;
  }
  for (const [key, note] of Object.entries(doc.notes ?? {})) {
    const ref = (kind: 'persons' | 'organizations' | 'deals', local: string | undefined) => (local === undefined ? undefined : loaded[kind][local]);
    const pin = note.pinned ? 1 : undefined;
    const input: NoteInput = {
      content: note.content,
      person_id: ref('persons', note.person),
      org_id: ref('organizations', note.org),
      deal_id: ref('deals', note.deal),
      user_id: owner(note.author),
      pinned_to_person_flag: note.person === undefined ? undefined : pin,
      pinned_to_organization_flag: note.org === undefined ? undefined : pin,
      pinned_to_deal_flag: note.deal === undefined ? undefined : pin,
    };
    loaded.notes[key] = (await services.notes.create(admin, input)).row.id;
  }
  for (const [key, activity] of Object.entries(doc.activities ?? {})) {
    const ref = (kind: 'persons' | 'organizations' | 'deals', local: string | undefined) => (local === undefined ? undefined : loaded[kind][local]);
    const { subject, type, due_date, due_time, duration, done, location, note, public_description } = activity;
    const participants = activity.participants?.map((p) => ({ person_id: loaded.persons[p], primary: p === activity.person }));
    const input: ActivityInput = { subject, type, due_date, due_time, duration, done, location, note, public_description, participants };
    Object.assign(input, { person_id: ref('persons', activity.person), org_id: ref('organizations', activity.org), deal_id: ref('deals', activity.deal), owner_id: owner(activity.owner) });
    loaded.activities[key] = (await services.activities.create(admin, input)).id;
  }
  return loaded;
}

/** Enum and set values may be written as option labels; they are stored as option ids. */
function optionIds(options: Map<string, number> | undefined, value: unknown): unknown {
  if (!options || options.size === 0) return value;
  const one = (v: unknown) => (typeof v === 'string' && options.has(v) ? options.get(v) : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}
