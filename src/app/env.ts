import { type StaticDecode, type TString, type TTransform, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** A setting the environment gives wrongly; the message names the variable. */
export class ConfigError extends Error {}

/** An environment variable: a TypeBox schema of its text (checked first), decoded into the value settings hold. */
export type Variable<T> = TTransform<TString, T>;

const ON = ['on', 'true', '1', 'yes'];
const OFF = ['off', 'false', '0', 'no'];

const anyCase = (words: string[]) =>
  `^(?:${words.map((word) => [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('')).join('|')})$`;

function variable<T>(expects: string, decode: (text: string) => T, options: { pattern?: string; emptyIsValue?: boolean } = {}): Variable<T> {
  return Type.Transform(Type.String({ expects, ...options }))
    .Decode(decode)
    .Encode((value) => String(value));
}

/** The kinds of variable; every on/off variable reads the same spellings. */
export const env = {
  onOff: () => variable('on or off (or true/false, 1/0, yes/no)', (text) => ON.includes(text.toLowerCase()), { pattern: anyCase([...ON, ...OFF]) }),
  whole: (min: number, max: number) =>
    variable(
      `a whole number from ${min} to ${max}`,
      (text) => {
        const value = Number(text);
        if (value < min || value > max) throw new RangeError();
        return value;
      },
      { pattern: '^\\d+$' },
    ),
  /** Comma-separated whole numbers, e.g. `3000,30000,150000`; set but empty means none. */
  wholeList: () =>
    variable('comma-separated whole numbers', (text) => (text.trim() === '' ? [] : text.split(',').map((part) => Number(part.trim()))), {
      pattern: '^\\s*(?:\\d+\\s*(?:,\\s*\\d+\\s*)*)?$',
      emptyIsValue: true,
    }),
  oneOf: <const T extends string>(values: readonly T[]) =>
    variable(`one of ${values.join(', ')}`, (text) => text.toLowerCase() as T, { pattern: anyCase([...values]) }),
  text: () => variable('text', (text) => text),
  url: (protocols: string[]) =>
    variable(`a URL starting with ${protocols.join(' or ')}//`, (text) => {
      if (!protocols.includes(new URL(text).protocol)) throw new RangeError();
      return text;
    }),
  /** Any other reading: `decode` throws when the text is not one. */
  custom: <T>(expects: string, decode: (text: string) => T) => variable(expects, decode),
};

export type EnvValues<V extends Record<string, Variable<any>>> = { [K in keyof V]?: StaticDecode<V[K]> };

/**
 * Reads the declared variables from `source`: unset or empty ones are left out (their default applies), the rest
 * are checked against their schema and decoded, or refused with a ConfigError naming the variable.
 */
export function readEnv<V extends Record<string, Variable<any>>>(variables: V, source: NodeJS.ProcessEnv): EnvValues<V> {
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(variables)) {
    const raw = source[name];
    if (raw === undefined || (raw === '' && !schema.emptyIsValue)) continue;
    const refuse = () => new ConfigError(`${name} must be ${schema.expects}, got "${raw}"`);
    if (!Value.Check(schema, raw)) throw refuse();
    try {
      values[name] = Value.Decode(schema, raw);
    } catch {
      throw refuse();
    }
  }
  return values as EnvValues<V>;
}
