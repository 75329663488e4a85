import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { DUPLICATE_POLICIES } from '../../domain/identity/identity-settings.js';
import { DUPLICATE_RULES } from '../../domain/identity/duplicate-rules.js';
import { Envelope, Nullable, StringEnum, query } from '../../http/schemas.js';

const DuplicatePolicy = StringEnum(DUPLICATE_POLICIES, {
  description: "personsd extension: allow (default: Pipedrive's behaviour), reject (409 naming the duplicate) or upsert (update it instead); also the x-duplicate-policy header",
});

/**
 * The query of Pipedrive's person writes plus personsd's duplicate_policy. Other parameters stay accepted (and
 * ignored) as before, so existing clients see no change.
 */
export const WriteQuery = Type.Object({ duplicate_policy: Type.Optional(DuplicatePolicy) }, { additionalProperties: true });

/** The duplicate policy a request asks for: the query parameter, else the `x-duplicate-policy` header. */
export function duplicatePolicyOf(req: FastifyRequest): string | undefined {
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.duplicate_policy;
  if (typeof fromQuery === 'string') return fromQuery;
  const header = req.headers['x-duplicate-policy'];
  return typeof header === 'string' ? header.trim() : undefined;
}

export const DuplicatesQuery = query({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'At most 100' })) });

const Match = Type.Object({
  rule: StringEnum(Object.keys(DUPLICATE_RULES) as (keyof typeof DUPLICATE_RULES)[]),
  score: Type.Number(),
  fields: Type.Array(Type.String(), { description: 'The person fields that matched' }),
  keys: Type.Array(Type.String(), { description: 'The canonical keys they matched on (E.164 phone, lower-cased IDNA email, folded name, email domain)' }),
});

export const DuplicatesEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      org_id: Nullable(Type.Integer()),
      owner_id: Type.Integer(),
      score: Type.Number({ description: 'The matched rules combined, 0 to 1' }),
      rule: Type.String({ description: 'The strongest rule that matched' }),
      matches: Type.Array(Match),
    }),
  ),
});

export const IdentitySettingsBody = Type.Object(
  {
    default_region: Type.Optional(Nullable(Type.String({ description: 'ISO 3166-1 alpha-2 code national phone numbers are read in; null: the installation default' }))),
    duplicate_policy: Type.Optional(Nullable(DuplicatePolicy)),
  },
  { additionalProperties: false },
);

export const IdentitySettingsEnvelope = Envelope(
  Type.Object({
    default_region: Nullable(Type.String()),
    duplicate_policy: Nullable(Type.String()),
    effective_region: Nullable(Type.String()),
    effective_duplicate_policy: Type.String(),
  }),
);
