import { type Faker, allFakers } from '@faker-js/faker';
import { invalid } from '../errors.js';

/** A generated organization, person or deal; persons name their organization by its index. */
export interface FakeOrganization {
  name: string;
  address: string;
}
export interface FakePerson {
  name: string;
  email: string;
  phone: string;
  jobTitle: string;
  organization: number | null;
}
export interface FakeDeal {
  title: string;
  value: number;
  person: number;
  status: 'open' | 'won' | 'lost';
}

export const FAKE_LOCALES = Object.keys(allFakers).sort();

/**
 * Realistic contacts for a locale (names, e-mail addresses, phone numbers, job titles and company names as
 * @faker-js/faker has them for it), the same for the same seed: one organization per ten persons, seven persons in
 * ten working at one, a deal for every fifth person. The first persons of a seed are the same whatever the count.
 */
export function fakeContacts(options: { persons: number; locale?: string; seed?: number }) {
  const locale = options.locale ?? 'en';
  const faker = (allFakers as Record<string, Faker>)[locale];
  if (!faker) throw invalid(`unknown locale "${locale}"; one of ${FAKE_LOCALES.join(', ')}`);
  faker.seed(options.seed ?? 1);
  const organizationCount = Math.max(1, Math.ceil(options.persons / 10));
  const usedEmails = new Set<string>();
  const persons: FakePerson[] = Array.from({ length: options.persons }, (_, i) => {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    let email = faker.internet.email({ firstName, lastName }).toLowerCase();
    // Generated addresses collide now and then; a suffix keeps every person's e-mail its own.
    if (usedEmails.has(email)) email = email.replace('@', `.${i}@`);
    usedEmails.add(email);
    // Always two draws, so what follows does not depend on the organization count.
    const works = faker.number.float();
    const where = faker.number.float();
    return {
      name: `${firstName} ${lastName}`,
      email,
      phone: faker.phone.number({ style: 'international' }),
      jobTitle: faker.person.jobTitle(),
      organization: works < 0.7 ? Math.floor(where * organizationCount) : null,
    };
  });
  // Organizations after persons, so the first persons of a seed are the same whatever the count.
  const organizations: FakeOrganization[] = Array.from({ length: organizationCount }, () => ({
    name: faker.company.name(),
    address: `${faker.location.streetAddress()}, ${faker.location.city()}`,
  }));
  const deals: FakeDeal[] = [];
  for (let person = 0; person < persons.length; person += 5) {
    deals.push({
      title: `${faker.commerce.productName()} for ${persons[person].name}`,
      value: faker.number.int({ min: 500, max: 50_000 }),
      person,
      status: faker.helpers.arrayElement(['open', 'open', 'open', 'won', 'lost'] as const),
    });
  }
  return { organizations, persons, deals };
}
