import { fold } from './text-fold.js';

/**
 * A name as folded tokens: lower case, accents removed, punctuation dropped (`Jérôme O'Neil-Smith` →
 * `jerome`, `o`, `neil`, `smith`).
 */
export function nameTokens(name: string): string[] {
  return fold(name).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The tokens in a fixed order, so `Doe, Jane` and `jane DOE` have one key; '' for a name without letters. */
export function nameKey(name: string): string {
  return nameTokens(name).sort().join(' ');
}

/** The folded surname: the last token of last_name, else of the whole name (a one-word name has none). */
export function surnameKey(name: string, lastName: string | null): string | null {
  const tokens = nameTokens(lastName ?? '');
  if (tokens.length > 0) return tokens[tokens.length - 1];
  const all = nameTokens(name);
  return all.length > 1 ? all[all.length - 1] : null;
}

/**
 * How alike two names are, 0 to 1: the Dice coefficient of their letter pairs once folded (`Jon Smith` and
 * `John Smith` 0.89, `J. Smith` and `John Smith` 0.67, `Ann Smith` and `Bob Smith` 0.5).
 */
export function nameSimilarity(a: string, b: string): number {
  const pairs = (text: string) => {
    const joined = nameTokens(text).join(' ');
    const result = new Map<string, number>();
    for (let i = 0; i < joined.length - 1; i++) {
      const pair = joined.slice(i, i + 2);
      result.set(pair, (result.get(pair) ?? 0) + 1);
    }
    return result;
  };
  const pa = pairs(a);
  const pb = pairs(b);
  let total = 0;
  let shared = 0;
  for (const n of pa.values()) total += n;
  for (const [pair, n] of pb) {
    total += n;
    shared += Math.min(n, pa.get(pair) ?? 0);
  }
  return total === 0 ? 0 : (2 * shared) / total;
}
