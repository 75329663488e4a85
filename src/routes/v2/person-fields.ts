import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FIELD_INCLUDE_NAMESPACES, fieldIncludeNamespaces, renderFieldV2 } from '../../domain/person-fields/field-render.js';
import type { FieldSettings } from '../../domain/person-fields/person-fields.service.js';
import type { FieldEntity } from '../../domain/person-fields/entities.js';
import type { Services } from '../../app/services.js';
import { fieldsRouteSettings } from '../fields-route-settings.js';
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

/** The v2 fields routes of one entity (`/personFields`, `/organizationFields`, `/dealFields`): one engine for all. */
export const fieldsV2Routes: FastifyPluginAsyncTypebox<{ services: Services; entity: FieldEntity }> = async (app, { services, entity }) => {
  const { service: fields, path, one, read, write, options, tag } = fieldsRouteSettings(services, entity);
  const tags = [tag];

  app.get(`/${path}`, { config: { cost: 10, scopes: read }, schema: { tags, summary: `Get all ${one} fields`, querystring: ListPersonFieldsQuery, response: { 200: PersonFieldListEnvelope } } }, async (req) => {
    const include = fieldIncludeNamespaces(req.query.include_fields);
    const { fields: page, nextCursor } = await fields.listPage(req.actor, { limit: req.query.limit, cursor: req.query.cursor });
    return { success: true, data: page.map((f) => renderFieldV2(f, include)), additional_data: { next_cursor: nextCursor } };
  });

  app.get(`/${path}/:field_code`, { config: { cost: 1, scopes: read }, schema: { tags, summary: `Get one ${one} field`, params: FieldCodeParams, querystring: GetPersonFieldQuery, response: { 200: PersonFieldEnvelope } } }, async (req) => {
    const include = fieldIncludeNamespaces(req.query.include_fields);
    return { success: true, data: renderFieldV2(await fields.get(req.actor, { code: req.params.field_code }), include) };
  });

  app.post(`/${path}`, { config: { cost: 5, scopes: write }, schema: { tags, summary: `Create one ${one} field`, body: NewPersonFieldBody, response: { 200: PersonFieldEnvelope } } }, async (req) => {
    const { field_name, field_type, options: labels } = req.body;
    const field = await fields.create(req.actor, { ...settings(req.body), name: field_name, type: field_type, options: labels }, wording);
    return { success: true, data: renderFieldV2(field, ALL_NAMESPACES) };
  });

  app.patch(`/${path}/:field_code`, { config: { cost: 5, scopes: options }, schema: { tags, summary: `Update one ${one} field`, params: FieldCodeParams, body: UpdatePersonFieldBody, response: { 200: PersonFieldEnvelope } } }, async (req) => {
    const input = { ...settings(req.body), fieldCode: req.body.field_code, fieldType: req.body.field_type };
    const field = await fields.update(req.actor, { code: req.params.field_code }, input, wording);
    return { success: true, data: renderFieldV2(field, ALL_NAMESPACES) };
  });

  app.delete(`/${path}/:field_code`, { config: { cost: 3, scopes: write }, schema: { tags, summary: `Delete one ${one} field (and its values on every ${one})`, params: FieldCodeParams, response: { 200: PersonFieldEnvelope } } }, async (req) => {
    return { success: true, data: renderFieldV2(await fields.remove(req.actor, { code: req.params.field_code })) };
  });

  app.post(`/${path}/:field_code/options`, { config: { cost: 5, scopes: options }, schema: { tags, summary: `Add ${one} field options in bulk`, params: FieldCodeParams, body: AddOptionsBody, response: { 200: OptionsEnvelope } } }, async (req) => {
    const added = await fields.addOptions(req.actor, { code: req.params.field_code }, req.body);
    return { success: true, data: added.map(({ id, label }) => ({ id, label })), additional_data: null };
  });

  app.patch(`/${path}/:field_code/options`, { config: { cost: 5, scopes: options }, schema: { tags, summary: `Update ${one} field options in bulk`, params: FieldCodeParams, body: UpdateOptionsBody, response: { 200: OptionsEnvelope } } }, async (req) => {
    const updated = await fields.updateOptions(req.actor, { code: req.params.field_code }, req.body);
    return { success: true, data: updated.map(({ id, label }) => ({ id, label })), additional_data: null };
  });

  app.delete(`/${path}/:field_code/options`, { config: { cost: 3, scopes: options }, schema: { tags, summary: `Delete ${one} field options in bulk (and from every ${one})`, params: FieldCodeParams, body: DeleteOptionsBody, response: { 200: OptionsEnvelope } } }, async (req) => {
    const deleted = await fields.deleteOptions(req.actor, { code: req.params.field_code }, req.body);
    return { success: true, data: deleted.map(({ id, label }) => ({ id, label })), additional_data: null };
  });
};
