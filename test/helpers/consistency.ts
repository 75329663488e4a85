import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.ts';

/**
 * The lookup rows in person_contacts that a person's stored emails, phones and IM handles should produce, and
 * the rows actually stored. Equal when the person row and its lookup rows were written consistently.
 */
export async function contactsVersusPersonRow(db: Kysely<Database>, personId: number): Promise<{ expected: string[]; stored: string[] }> {
  const person = await db.selectFrom('persons').select(['emails', 'phones', 'im']).where('id', '=', personId).executeTakeFirstOrThrow();
  const expected: string[] = [];
  for (const [kind, column] of [['email', person.emails], ['phone', person.phones], ['im', person.im]] as const) {
    (JSON.parse(column) as { value: string }[]).forEach((c, position) => expected.push(`${kind}#${position}=${c.value}`));
  }
  const rows = await db.selectFrom('person_contacts').select(['kind', 'value', 'position']).where('person_id', '=', personId).execute();
  const stored = rows.map((r) => `${r.kind}#${r.position}=${r.value}`);
  return { expected: expected.sort(), stored: stored.sort() };
}
