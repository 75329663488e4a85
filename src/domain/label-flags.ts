import { invalid } from './errors.js';

/** Pipedrive's `include_option_labels` and `include_labels` read switches (the official client sends `true`/`false`). */
export interface LabelFlags {
  include_option_labels?: boolean;
  include_labels?: boolean;
}

/**
 * `false` asks for the default shape, which every read already returns. `true` asks for `{id, label}` objects
 * that need the option labels of custom fields and of the label field; until personsd keeps those, it refuses
 * the switch instead of silently answering the plain shape.
 */
export function checkLabelFlags(flags: LabelFlags): void {
  for (const name of ['include_option_labels', 'include_labels'] as const) {
    if (flags[name] === true) {
      throw invalid(`${name}=true is not supported by personsd yet`, `Leave ${name} out or send false to get the default shape.`);
    }
  }
}
