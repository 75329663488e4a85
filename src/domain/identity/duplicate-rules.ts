/**
 * The rules that make two persons likely duplicates, strongest first. `strong` rules are the ones a duplicate
 * policy (reject / upsert) acts on; the weak ones only rank candidates on GET …/duplicates.
 */
export const DUPLICATE_RULES = {
  same_email: { score: 0.95, strong: true, describe: 'the same email address' },
  same_phone: { score: 0.9, strong: true, describe: 'the same phone number (E.164)' },
  same_name_same_organization: { score: 0.8, strong: true, describe: 'the same name in the same organization' },
  similar_name_shared_email_domain: { score: 0.6, strong: false, describe: 'a similar name and an email at the same company domain' },
  same_name: { score: 0.4, strong: false, describe: 'the same name' },
} as const;

export type DuplicateRule = keyof typeof DUPLICATE_RULES;

/** The rules stored as person_match_keys rows (the others look up person_contacts). */
export type MatchKeyRule = 'org_name' | 'name' | 'domain_surname';

/** How alike two names must be (nameSimilarity) for `similar_name_shared_email_domain`. */
export const SIMILAR_NAME_THRESHOLD = 0.6;

/** Phone keys shorter than this (short codes, extensions typed alone) say nothing about who a person is. */
export const MIN_PHONE_KEY_DIGITS = 6;

/**
 * Mailbox providers: a shared domain here says nothing about a shared employer, so it is no match key. The list
 * covers the large providers; a company's own domain is what the rule is for.
 */
const FREE_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.fr', 'yahoo.co.uk', 'yahoo.de', 'ymail.com', 'hotmail.com',
  'hotmail.fr', 'hotmail.co.uk', 'hotmail.de', 'outlook.com', 'outlook.fr', 'live.com', 'live.fr', 'msn.com',
  'icloud.com', 'me.com', 'mac.com', 'aol.com', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 't-online.de',
  'mail.ru', 'yandex.ru', 'yandex.com', 'proton.me', 'protonmail.com', 'orange.fr', 'free.fr', 'laposte.net',
  'sfr.fr', 'wanadoo.fr', 'libero.it', 'qq.com', '163.com', '126.com', 'naver.com', 'zoho.com', 'fastmail.com',
  'hey.com', 'example.com', 'example.org', 'example.net',
]);

/** Whether a shared email domain can hint at a shared employer. */
export function isCompanyDomain(domain: string): boolean {
  return !FREE_MAIL_DOMAINS.has(domain);
}

/** One person's likelihood of duplicating another from the scores of the rules that matched (noisy-or). */
export function combinedScore(scores: readonly number[]): number {
  const miss = scores.reduce((product, score) => product * (1 - score), 1);
  return Math.round((1 - miss) * 1000) / 1000;
}
