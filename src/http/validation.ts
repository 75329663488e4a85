import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/*
 * Two validators, because Pipedrive's v2 is strict about bodies but query strings are text by nature:
 * - bodies: no type coercion (a string where a number belongs is a 400), no defaults invented, unknown
 *   properties reported instead of silently dropped;
 * - query strings and path params: numbers and booleans coerced from their text.
 */
const common = { allErrors: false, removeAdditional: false, strict: false, messages: true } as const;
const bodyAjv = addFormats.default(new Ajv.default({ ...common, coerceTypes: false, useDefaults: false }));
const textAjv = addFormats.default(new Ajv.default({ ...common, coerceTypes: true, useDefaults: true }));

export const validatorCompiler: FastifySchemaCompiler<any> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object);

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
