import type { PersonInput } from '../src/domain/person-model/person-input.ts';

/*
 * Deterministic, realistic persons for the search benchmark: names from several languages (accents included),
 * emails in the usual shapes, phones in several national formats, notes on about 40% of persons. Person i is
 * always the same, so queries can name known persons (exact matches) without reading the database.
 */

const FIRST = (
  'James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica ' +
  'Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald Ashley ' +
  'Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa ' +
  'Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy ' +
  'Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Helen ' +
  'Benjamin Samantha Samuel Katherine Gregory Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet ' +
  'Jack Catherine Dennis Maria Jerry Heather Tyler Diane Aaron Ruth Jose Julie Adam Olivia Nathan Joyce Henry Virginia ' +
  'José María Jürgen Søren Zoë Chloé Renée André Björn Åsa Łukasz Małgorzata François Hélène Ignacio Núria Ödön ' +
  'Mohammed Fatima Wei Mei Hiroshi Yuki Arjun Priya Olumide Chiamaka Sven Ingrid Mateo Lucía Giulia Matteo Noah Mia ' +
  'Liam Sofia Elijah Isabella Lucas Amelia Mason Harper Logan Evelyn Ethan Abigail Ali Leila Omar Yara Ivan Olga'
).split(' ');

const LAST = (
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson ' +
  'Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker ' +
  'Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell ' +
  'Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy ' +
  'Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson ' +
  'Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross ' +
  "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf " +
  "Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Sørensen Jørgensen Nielsen Hansen Larsen " +
  "Kowalski Nowak Wiśniewski Wójcik Dubois Lefèvre Moreau Laurent Rossi Russo Ferrari Esposito Bianchi Romano Colombo " +
  "O'Brien O'Connor McCarthy Murphy-Jones Jansen Tanaka Suzuki Takahashi Watanabe Chen Wang Li " +
  'Zhang Liu Singh Kumar Sharma Okafor Adeyemi Mensah Haddad Khalil Petrov Ivanova Novak Horvat Kovač Papadopoulos'
)
  .split(' ')
  .concat(['van der Berg', 'de Vries', 'da Silva']);

const FREEMAIL = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'proton.me', 'gmx.de', 'web.de'];
const COMPANY_WORDS = (
  'acme globex initech umbrella stark wayne wonka tyrell cyberdyne soylent hooli vandelay pied piper nakatomi ' +
  'oscorp massive dynamic aperture black mesa gringotts monarch weyland yutani abstergo vault tec octan'
).split(' ');
const TLDS = ['com', 'io', 'co.uk', 'de', 'fr', 'net', 'org', 'es', 'nl', 'se'];
const PHONE_FORMATS: Array<(d: () => string) => string> = [
  (d) => `+1 (${d()}${d()}${d()}) 555-${d()}${d()}${d()}${d()}`,
  (d) => `+1 ${d()}${d()}${d()}-${d()}${d()}${d()}-${d()}${d()}${d()}${d()}`,
  (d) => `+44 20 ${d()}${d()}${d()}${d()} ${d()}${d()}${d()}${d()}`,
  (d) => `020 ${d()}${d()}${d()}${d()} ${d()}${d()}${d()}${d()}`,
  (d) => `+49 30 ${d()}${d()}${d()}${d()}${d()}${d()}${d()}${d()}`,
  (d) => `+33 6 ${d()}${d()} ${d()}${d()} ${d()}${d()} ${d()}${d()}`,
  (d) => `06-${d()}${d()}${d()}${d()}${d()}${d()}${d()}${d()}`,
  (d) => `+372 5${d()}${d()}${d()} ${d()}${d()}${d()}${d()}`,
];
const NOTE_PARTS = [
  'Met at the Berlin conference',
  'Interested in the enterprise plan',
  'Budget approved for Q3',
  'Follow up next week about pricing',
  'Prefers email over phone calls',
  'Decision maker for procurement',
  'Renewal due in March',
  'Asked for a security questionnaire',
  'Referred by an existing customer',
  'Demo scheduled with the engineering team',
  'Champion inside the account',
  'Contract signed, onboarding pending',
  'Called back about the invoice',
  'Moved to the London office',
];

/** Persons seeded with these names (a few each) give the benchmark rare terms with known answers. */
export const RARE_PERSONS = ['Quillon Vexmoor', 'Ysolde Brackenridge', 'Thaddeus Quimbly'];

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ascii = (text: string) => text.normalize('NFKD').replace(/\p{Mn}/gu, '').replace(/[^A-Za-z]/g, '').toLowerCase();

/** Person number `i` (0-based) of the benchmark data set. */
export function benchPerson(i: number): PersonInput {
  const random = mulberry32(i * 2654435761 + 17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const digit = () => String(Math.floor(random() * 10));
  const rare = i % 100_003 === 7 ? RARE_PERSONS[Math.floor(i / 100_003) % RARE_PERSONS.length] : undefined;
  const [first, last] = rare ? (rare.split(' ') as [string, string]) : [pick(FIRST), pick(LAST)];
  const company = `${pick(COMPANY_WORDS)}${random() < 0.3 ? '-' + pick(COMPANY_WORDS) : ''}.${pick(TLDS)}`;
  const domain = random() < 0.45 ? pick(FREEMAIL) : company;
  const local = [
    () => `${ascii(first)}.${ascii(last)}`,
    () => `${ascii(first)[0]}${ascii(last)}${Math.floor(random() * 100)}`,
    () => `${ascii(first)}${ascii(last)}`,
    () => `${ascii(first)}_${Math.floor(random() * 1000)}`,
  ][Math.floor(random() * 4)]();
  const emails = [{ value: `${local}@${domain}`, label: 'work' }];
  if (random() < 0.2) emails.push({ value: `${ascii(first)}.${ascii(last)}@${pick(FREEMAIL)}`, label: 'home' });
  const phones = [{ value: pick(PHONE_FORMATS)(digit), label: 'work' }];
  if (random() < 0.15) phones.push({ value: pick(PHONE_FORMATS)(digit), label: 'mobile' });
  const notes =
    random() < 0.4
      ? Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(NOTE_PARTS))
          .join('. ')
          .concat('.')
      : undefined;
  return { name: `${first} ${last}`, emails, phones, ...(notes && { notes }) };
}
