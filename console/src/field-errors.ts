/**
 * Maps the API's validation message to the form field it names, so the console shows it next to that field. The
 * API names fields at the start of its messages (`emails[0].value "x" is not a valid email address`,
 * `birthday must be…`, `body/visible_to must be…`); a custom field is named by its key or, in quotes, its name.
 */
export function fieldOfError(message: string, knownFields: string[], customNames: Record<string, string> = {}): string | undefined {
  const text = message.replace(/^body\//, '').replace(/^\/?body\./, '');
  const path = /^\/?([a-z_]+)(?:\[(\d+)\]|\/(\d+))?/.exec(text);
  if (path) {
    const [, name, index, slashIndex] = path;
    if (name === 'custom_fields') {
      const key = /^\/?custom_fields[./]([0-9a-f]{40}|[a-z_]+)/.exec(text)?.[1];
      if (key) return `custom_fields.${key}`;
    } else if (knownFields.includes(name)) {
      const at = index ?? slashIndex;
      return at === undefined ? name : `${name}.${at}`;
    }
  }
  for (const [key, label] of Object.entries(customNames)) {
    if (message.includes(key) || message.includes(`"${label}"`)) return `custom_fields.${key}`;
  }
  for (const name of knownFields) if (new RegExp(`\\b${name}\\b`).test(message)) return name;
  return undefined;
}
