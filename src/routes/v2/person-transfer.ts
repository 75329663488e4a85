import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError, invalid } from '../../domain/errors.js';
import { IdList, IdParams, StringEnum, parseIdList, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { DUPLICATE_POLICIES } from '../../domain/identity/identity-settings.js';
import { DEFAULT_IMPORT_BODY_LIMIT } from '../../domain/identity/identity-config.js';

const tags = ['Persons (personsd extensions)'];
const CSV_TYPES = ['text/csv', 'application/csv'];
const VCARD_TYPES = ['text/vcard', 'text/x-vcard', 'text/directory'];

const ImportQuery = query({
  duplicate_policy: Type.Optional(StringEnum(DUPLICATE_POLICIES, { description: 'allow (default), reject (duplicates are skipped) or upsert (duplicates are updated); the company setting when absent' })),
  mapping: Type.Optional(Type.String({ description: 'CSV only: a JSON object from header to target field, e.g. {"E-mail":"email","Firma":"org_name","Old id":null}' })),
});

const ImportEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({
    created: Type.Integer(),
    updated: Type.Integer(),
    skipped: Type.Integer(),
    rejected: Type.Integer(),
    blank_rows: Type.Integer({ description: 'CSV rows with no value in any cell (empty lines included), skipped and not numbered' }),
    ignored_columns: Type.Array(Type.String()),
    rows: Type.Array(
      Type.Object({
        row: Type.Integer(),
        line: Type.Optional(Type.Integer()),
        status: StringEnum(['created', 'updated', 'skipped', 'rejected']),
        id: Type.Optional(Type.Integer()),
        reason: Type.Optional(Type.String()),
      }),
    ),
  }),
});

const ExportQuery = query({
  format: Type.Optional(StringEnum(['csv', 'vcf'], { default: 'csv' })),
  filter_id: Type.Optional(Type.Integer({ minimum: 1, description: 'A saved people filter, as on GET /api/v2/persons' })),
  label_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only persons carrying this label, as on GET /api/v2/persons' })),
  ids: Type.Optional(IdList),
  owner_id: Type.Optional(Type.Integer({ minimum: 1 })),
  org_id: Type.Optional(Type.Integer({ minimum: 1 })),
  deal_id: Type.Optional(Type.Integer({ minimum: 1 })),
  updated_since: Type.Optional(Type.String({ description: 'RFC 3339; update_time >= this' })),
  updated_until: Type.Optional(Type.String({ description: 'RFC 3339; update_time < this' })),
});

/** personsd's import and export of persons: CSV and vCard 4.0. */
export const personTransferRoutes: FastifyPluginAsyncTypebox<{ services: Services; importBodyLimit: number }> = async (app, { services, importBodyLimit: bodyLimit }) => {
  // Only this plugin's routes take files; every other route still answers 415 to anything but JSON.
  app.addContentTypeParser([...CSV_TYPES, ...VCARD_TYPES], { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));

  app.post(
    // Import and export: personsd's own, scoped as person writes and reads.
    '/persons/import',
    {
      config: { cost: 100, scopes: ['contacts:full'] },
      bodyLimit,
      schema: {
        tags,
        summary: `Import persons from a CSV file with a header row (text/csv) or vCards (text/vcard); at most IMPORT_BODY_LIMIT bytes (default ${DEFAULT_IMPORT_BODY_LIMIT})`,
        querystring: ImportQuery,
        response: { 200: ImportEnvelope },
      },
    },
    async (req) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const charset = /charset=("?)([^";]+)\1/i.exec(req.headers['content-type'] ?? '')?.[2].toLowerCase();
      if (!CSV_TYPES.includes(type) && !VCARD_TYPES.includes(type)) throw unsupported(`Unsupported content type "${req.headers['content-type'] ?? ''}": send the file as text/csv or text/vcard`);
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw unsupported(`Unsupported charset "${charset}": send the file as UTF-8`);
      const body = req.body as Buffer;
      const options = { duplicatePolicy: req.query.duplicate_policy ?? duplicatePolicyHeader(req.headers['x-duplicate-policy']), mapping: parseMapping(req.query.mapping) };
      const report = CSV_TYPES.includes(type)
        ? await services.personImport.importCsv(req.actor, body, options)
        : await services.personImport.importVcards(req.actor, decodeUtf8(body), options);
      return { success: true, data: report };
    },
  );

  app.get(
    '/persons/export',
    { config: { cost: 20, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'The persons of a filtered list (those the caller may see) as CSV (custom fields as columns) or vCard 4.0', querystring: ExportQuery } },
    async (req, reply) => {
      const q = req.query;
      const format = q.format ?? 'csv';
      const text = await services.personExport.list(
        req.actor,
        { filterId: q.filter_id, labelId: q.label_id, ids: parseIdList(q.ids), ownerId: q.owner_id, orgId: q.org_id, dealId: q.deal_id, updatedSince: q.updated_since, updatedUntil: q.updated_until },
        format,
      );
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'text/vcard; charset=utf-8')
        .header('content-disposition', `attachment; filename="persons.${format}"`)
        .send(text);
    },
  );

  // Priced and scoped as reading the person (GET /persons/{id}).
  app.get('/persons/:id.vcf', { config: { cost: 1, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'One person as a vCard 4.0', params: IdParams, querystring: query({}) } }, async (req, reply) => {
    const text = await services.personExport.vcard(req.actor, req.params.id);
    return reply.type('text/vcard; charset=utf-8').header('content-disposition', `attachment; filename="person-${req.params.id}.vcf"`).send(text);
  });
};

/** A 415 in the error envelope (the error handler renders any 4xx error so). */
function unsupported(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 415 });
}

function duplicatePolicyHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value.trim() : undefined;
}

function parseMapping(text: string | undefined): Record<string, string | null> | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('mapping must be a JSON object from column header to field, e.g. {"E-mail":"email"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('mapping must be a JSON object from column header to field');
  for (const [header, target] of Object.entries(parsed)) {
    if (target !== null && typeof target !== 'string') throw invalid(`mapping["${header}"] must be a field name or null`);
  }
  return parsed as Record<string, string | null>;
}

/** vCards are read as UTF-8; a file that is not is refused whole (its cards cannot be told apart reliably). */
function decodeUtf8(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new DomainError('invalid', 'the vCard file is not valid UTF-8 text', 'Save the file as UTF-8 (vCard 4.0 files always are).');
  }
}
