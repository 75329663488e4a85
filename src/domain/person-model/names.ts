/**
 * Splits a full name the way Pipedrive fills first_name/last_name from `name`: the last word is the last name,
 * everything before it the first name; a single word is a first name only.
 */
export function splitName(name: string): { first_name: string; last_name: string | null } {
  const words = name.trim().split(/\s+/);
  if (words.length === 1) return { first_name: words[0], last_name: null };
  return { first_name: words.slice(0, -1).join(' '), last_name: words[words.length - 1] };
}

/** A name part as sent: undefined when absent, null when sent empty (null, "" or blanks). */
export type NamePart = string | null | undefined;

/**
 * first_name and last_name for a `name` sent together with some of them. Pipedrive derives both parts from
 * `name`, and `name` from the parts; when a write sends both, the two rules must agree, so the parts sent have to
 * make up the name (whitespace aside) and a part not sent is the rest of the name. Null when they contradict it.
 */
export function namePartsOf(name: string, first: NamePart, last: NamePart): { first_name: string | null; last_name: string | null } | null {
  if (first === undefined && last === undefined) return splitName(name);
  const full = squash(name);
  if (first !== undefined && last !== undefined) {
    return squash([first, last].filter(Boolean).join(' ')) === full ? { first_name: first, last_name: last } : null;
  }
  if (first !== undefined) {
    const rest = remainder(full, first, 'after');
    return rest === undefined ? null : { first_name: first, last_name: rest };
  }
  const rest = remainder(full, last ?? null, 'before');
  return rest === undefined ? null : { first_name: rest, last_name: last ?? null };
}

/** What is left of `full` once `part` is taken from its start (or end); undefined when it is not there whole. */
function remainder(full: string, part: string | null, side: 'after' | 'before'): string | null | undefined {
  if (part === null) return full;
  const p = squash(part);
  if (p === full) return null;
  if (side === 'after') return full.startsWith(`${p} `) ? full.slice(p.length + 1) : undefined;
  return full.endsWith(` ${p}`) ? full.slice(0, full.length - p.length - 1) : undefined;
}

function squash(text: string): string {
  return text.trim().split(/\s+/).join(' ');
}
