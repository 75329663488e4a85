import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FIELD_INCLUDE_NAMESPACES, fieldIncludeNamespaces, renderFieldV2 } from '../../domain/person-fields/field-render.js';
import type { FieldSettings } from '../../domain/person-fields/person-fields.service.js';
import type { Services } from '../../app/services.js';
import {
  AddOptionsBody,
  DeleteOptionsBody,
  FieldCodeParams,
  GetPersonFieldQuery,
  ListPersonFieldsQuery,
  NewPersonFieldBody,
  OptionsEnvelope,
  PersonFieldEnvelope,
  PersonFieldListEnvelope,
  UpdateOptionsBody,
  UpdatePersonFieldBody,
} from './person-fields.schemas.js';

const tags = ['PersonFields'];
const wording = { name: 'field_name' } as const;
const ALL_NAMESPACES = new Set(FIELD_INCLUDE_NAMESPACES);

interface V2Settings {
  field_name?: string;
  ui_visibility?: { add_visible_flag?: boolean; details_visible_flag?: boolean; show_in_add_deal_dialog?: { show?: boolean } };
  important_fields?: { enabled?: boolean; stage_ids?: number[] };
  required_fields?: { enabled?: boolean };
}

function settings(body: V2Settings): FieldSettings {
  return {
    name: body.field_name,
    addVisible: body.ui_visibility?.add_visible_flag,
    detailsVisible: body.ui_visibility?.details_visible_flag,
    showInAddDeal: body.ui_visibility?.show_in_add_deal_dialog?.show,
    important: body.important_fields?.enabled,
    importantStageIds: body.important_fields?.stage_ids,
    mandatory: body.required_fields?.enabled,
  };
}

export const personFieldsV2Routes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { personFields } = services;

  app.get('/personFields', { config: { cost: 10, scopes: ['contacts:read', 'contacts:full', 'admin', 'contact-fields:full'] }, schema: { tags, summary: 'Get all person fields', querystring: ListPersonFieldsQuery, response: { 200: PersonFieldListEnvelope } } }, async (req) => {
    const include = fieldIncludeNamespaces(req.query.include_fields);
    const { fields, nextCursor } = await personFields.listPage(req.actor, { limit: req.query.limit, cursor: req.query.cursor });
    return { success: true, data: fields.map((f) => renderFieldV2(f, include)), additional_data: { next_cursor: nextCursor } };
  });

  app.get('/personFields/:field_code', { config: { cost: 1, scopes: ['contacts:read', 'contacts:full', 'admin', 'contact-fields:full'] }, schema: { tags, summary: 'Get one person field', params: FieldCodeParams, querystring: GetPersonFieldQuery, response: { 200: PersonFieldEnvelope } } }, async (req) => {
    const include = fieldIncludeNamespaces(req.query.include_fields);
    return { success: true, data: renderFieldV2(await personFields.get(req.actor, { code: req.params.field_code }), include) };
  });

  app.post('/personFields', { config: { cost: 5, scopes: ['admin', 'contact-fields:full'] }, schema: { tags, summary: 'Create one person field', body: NewPersonFieldBody, response: { 200: PersonFieldEnvelope } } }, async (req) => {
    const { field_name, field_type, options } = req.body;
    const field = await personFields.create(req.actor, { ...settings(req.body), name: field_name, type: field_type, options }, wording);
    return { success: true, data: renderFieldV2(field, ALL_NAMESPACES) };
  });

  app.patch('/personFields/:field_code', { config: { cost: 5, scopes: ['contacts:full', 'admin', 'contact-fields:full'] }, schema: { tags, summary: 'Update one person field', params: FieldCodeParams, body: UpdatePersonFieldBody, response: { 200: PersonFieldEnvelope } } }, async (req) => {
    const input = { ...settings(req.body), fieldCode: req.body.field_code, fieldType: req.body.field_type };
    const field = await personFields.update(req.actor, { code: req.params.field_code }, input, wording);
    return { success: true, data: renderFieldV2(field, ALL_NAMESPACES) };
  });

  app.delete('/personFields/:field_code', { config: { cost: 3, scopes: ['admin', 'contact-fields:full'] }, schema: { tags, summary: 'Delete one person field (and its values on every person)', params: FieldCodeParams, response: { 200: PersonFieldEnvelope } } }, async (req) => {
    return { success: true, data: renderFieldV2(await personFields.remove(req.actor, { code: req.params.field_code })) };
  });

  app.post('/personFields/:field_code/options', { config: { cost: 5, scopes: ['contacts:full', 'admin', 'contact-fields:full'] }, schema: { tags, summary: 'Add person field options in bulk', params: FieldCodeParams, body: AddOptionsBody, response: { 200: OptionsEnvelope } } }, async (req) => {
    const added = await personFields.addOptions(req.actor, { code: req.params.field_code }, req.body);
    return { success: true, data: added.map(({ id, label }) => ({ id, label })), additional_data: null };
  });

  app.patch('/personFields/:field_code/options', { config: { cost: 5, scopes: ['contacts:full', 'admin', 'contact-fields:full'] }, schema: { tags, summary: 'Update person field options in bulk', params: FieldCodeParams, body: UpdateOptionsBody, response: { 200: OptionsEnvelope } } }, async (req) => {
    const updated = await personFields.updateOptions(req.actor, { code: req.params.field_code }, req.body);
    return { success: true, data: updated.map(({ id, label }) => ({ id, label })), additional_data: null };
  });

  app.delete('/personFields/:field_code/options', { config: { cost: 3, scopes: ['contacts:full', 'admin', 'contact-fields:full'] }, schema: { tags, summary: 'Delete person field options in bulk (and from every person)', params: FieldCodeParams, body: DeleteOptionsBody, response: { 200: OptionsEnvelope } } }, async (req) => {
    const deleted = await personFields.deleteOptions(req.actor, { code: req.params.field_code }, req.body);
    return { success: true, data: deleted.map(({ id, label }) => ({ id, label })), additional_data: null };
  });
};
