import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { compiledOnce, lazyValidator } from './lazy-compile.js';

/*
 * Two validators, because Pipedrive's v2 is strict about bodies but query strings are text by nature:
 * - bodies: no type coercion (a string where a number belongs is a 400), no defaults invented, unknown
 *   properties reported instead of silently dropped;
 * - query strings and path params: numbers and booleans coerced from their text.
 */
const common = { allErrors: false, removeAdditional: false, strict: false, messages: true } as const;
// Made on the first validation (see lazy-compile.ts): each costs about 30 ms of a start.
let bodyAjv: Ajv.default | undefined;
let textAjv: Ajv.default | undefined;
const validatorFor = (httpPart: string | undefined) =>
  httpPart === 'body'
    ? (bodyAjv ??= addFormats.default(new Ajv.default({ ...common, coerceTypes: false, useDefaults: false })))
    : (textAjv ??= addFormats.default(new Ajv.default({ ...common, coerceTypes: true, useDefaults: true })));

/** Ids are 32-bit in both stores (PostgreSQL `integer`): a larger number is a 400 here, not a database error. */
export const MAX_INTEGER = 2_147_483_647;

export const validatorCompiler: FastifySchemaCompiler<any> = ({ schema, httpPart }) =>
  lazyValidator(() => compiledOnce(`${httpPart}\n${JSON.stringify(schema)}`, () => compileValidator(schema, httpPart)));

function compileValidator(schema: unknown, httpPart: string | undefined) {
  const validate = validatorFor(httpPart).compile(boundIntegers(schema) as object);
  if (httpPart !== 'body' && httpPart !== 'querystring') return validate;
  // PostgreSQL text cannot hold U+0000; refusing it for both stores keeps them answering alike.
  const checked = (data: unknown) => {
    if (!validate(data)) {
      checked.errors = validate.errors;
      return false;
    }
    const path = nulCharacterPath(data, '');
    checked.errors = path === undefined ? null : [nulError(path)];
    return path === undefined;
  };
  checked.errors = null as ErrorObject[] | null | undefined;
  return checked;
}

/** A copy of the schema in which every integer without bounds of its own is bounded to 32 bits. */
function boundIntegers(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(boundIntegers);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = key === 'enum' || key === 'const' || key === 'default' ? value : boundIntegers(value);
  if (copy.type === 'integer') {
    copy.maximum ??= MAX_INTEGER;
    copy.minimum ??= -MAX_INTEGER - 1;
  }
  return copy;
}

function nulCharacterPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return path;
    const found = nulCharacterPath(item, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function nulError(instancePath: string): ErrorObject {
  return { keyword: 'nulCharacter', instancePath, schemaPath: '', params: {}, message: 'must not contain the NUL character (\\u0000)' };
}

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query parameter', params: 'path parameter', headers: 'header' };

/** One readable sentence naming the field and the reason, e.g. `emails[0].value must be a string`. */
export function describeValidationError(error: ErrorObject, part: string): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('')
    .replace(/^\./, '');
  const where = path || PART_NAMES[part] || part;
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'additionalProperties':
      return path
        ? `${path} has an unknown property "${params.additionalProperty}"`
        : `unknown ${part === 'body' ? 'body property' : PART_NAMES[part] ?? part} "${params.additionalProperty}"`;
    case 'required':
      return `${path ? path + '.' : ''}${params.missingProperty} is required`;
    case 'type':
      return `${where} must be ${article(params.type)}`;
    case 'enum':
      return `${where} must be one of ${params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${where} must be ${params.comparison} ${params.limit}`;
    default:
      return `${where} ${error.message ?? 'is not valid'}`;
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'a boolean (true or false)',
    array: 'an array',
    object: 'an object',
    null: 'null',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}
