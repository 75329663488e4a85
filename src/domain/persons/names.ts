/**
 * Splits a full name the way Pipedrive fills first_name/last_name from `name`: the last word is the last name,
 * everything before it the first name; a single word is a first name only.
 */
export function splitName(name: string): { first_name: string; last_name: string | null } {
  const words = name.trim().split(/\s+/);
  if (words.length === 1) return { first_name: words[0], last_name: null };
  return { first_name: words.slice(0, -1).join(' '), last_name: words[words.length - 1] };
}
