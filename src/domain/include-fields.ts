import { invalid } from './errors.js';

/**
 * Reads `include_fields` for a route whose spec lists `listed`: a name the spec does not list is unknown, one it
 * lists that personsd cannot answer is refused as not supported (rather than answered with a made-up value).
 * Undefined when the parameter is absent.
 */
export function parseIncludeFields(text: string | undefined, listed: readonly string[], answered: readonly string[] = listed): Set<string> | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  for (const name of names) {
    if (!listed.includes(name)) throw invalid(`include_fields: unknown field "${name}"`, `This route takes: ${listed.join(', ')}.`);
    if (!answered.includes(name)) throw invalid(`include_fields: "${name}" is not supported by personsd yet`, `Supported: ${answered.join(', ')}.`);
  }
  return new Set(names);
}

/** The asked-for fields of one record, in the order of `values`, to merge into its rendering. */
export function pickIncluded(values: Readonly<Record<string, unknown>>, include: ReadonlySet<string> | undefined): Record<string, unknown> {
  if (!include || include.size === 0) return {};
  return Object.fromEntries(Object.entries(values).filter(([key]) => include.has(key)));
}
