import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import * as repo from '../../store/repositories/person-fields.repository.js';
import type { PersonFieldChanges } from '../../store/repositories/person-fields.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { DomainError, invalid, notFound, forbidden } from '../errors.js';
import { requiredName } from '../field-rules.js';
import { pageFromRequest, pageResult } from '../paging.js';
import { nowStored } from '../time.js';
import type { WriteListener } from '../write-events.js';
import { type FieldOption, type PersonField, type PersonFieldDefinitions, loadFields } from './definitions.js';
import { ENTITY_WORDS, type FieldEntity } from './entities.js';
import { CUSTOM_FIELD_TYPES, hasOptions } from './field-types.js';
import { ALWAYS_ADD_VISIBLE } from './system-fields.js';
import { removeValues } from './value-removal.js';

/** A field is addressed by its numeric id (v1) or its key / field_code (v2). */
export type FieldRef = { id: number } | { code: string };

/** Settings either API version can change; absent means unchanged. */
export interface FieldSettings {
  name?: string;
  addVisible?: boolean;
  detailsVisible?: boolean;
  showInAddDeal?: boolean;
  important?: boolean;
  importantStageIds?: number[];
  mandatory?: boolean;
}

export interface NewField extends FieldSettings {
  name: string;
  type: string;
  options?: { label: string }[];
}

/** How the request names things, so messages use the caller's vocabulary (v1 `name`, v2 `field_name`). */
export interface Wording {
  name: 'name' | 'field_name';
}

const MAX_OPTIONS = 10_000;
const MAX_LABEL = 255;
/**
 * The fields of one entity (persons, organizations or deals): one engine, one instance per entity.
 */
export class FieldsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
    readonly entity: FieldEntity = 'person',
    /** The entity's write listeners: values removed with a field or option are changes of those records too. */
    private readonly listeners: WriteListener<any>[] = [],
  ) {}

  /** The company's live fields of this entity, for other services (search, v1 output, custom values). */
  definitions(actor: Actor): Promise<PersonFieldDefinitions> {
    return loadFields(this.db, actor.companyId, this.entity);
  }

  private load(db: Executor, actor: Actor): Promise<PersonFieldDefinitions> {
    return loadFields(db, actor.companyId, this.entity);
  }

  async get(actor: Actor, ref: FieldRef): Promise<PersonField> {
    return findField(await this.definitions(actor), ref, this.entity);
  }

  /** v2: keyset pages by id. */
  async listPage(actor: Actor, request: { limit?: number; cursor?: string }): Promise<{ fields: PersonField[]; nextCursor: string | null }> {
    const page = pageFromRequest(this.cursors, { limit: request.limit, cursor: request.cursor });
    const after = page.after?.id ?? 0;
    const rows = (await this.definitions(actor)).fields.filter((f) => f.id > after).slice(0, page.limit + 1);
    const { rows: fields, nextCursor } = pageResult(this.cursors, page, rows);
    return { fields, nextCursor };
  }

  /** v1: offset pages. */
  async listOffset(actor: Actor, start: number, limit: number): Promise<{ fields: PersonField[]; more: boolean }> {
    const all = (await this.definitions(actor)).fields;
    return { fields: all.slice(start, start + limit), more: all.length > start + limit };
  }

  async create(actor: Actor, input: NewField, wording: Wording): Promise<PersonField> {
    onlyAdmins(actor, this.entity);
    const name = requiredName(wording.name, input.name);
    if (!(CUSTOM_FIELD_TYPES as readonly string[]).includes(input.type)) {
      throw invalid(`field_type must be one of ${CUSTOM_FIELD_TYPES.join(', ')}; got "${input.type}"`);
    }
    const labels = optionLabels(input.type, input.options);
    return this.db.transaction().execute(async (trx) => {
      const defs = await this.load(trx, actor);
      const now = nowStored();
      const settings = resolveSettings(defs, undefined, input);
      const id = await repo.insertField(trx, {
        company_id: actor.companyId,
        entity: this.entity,
        field_key: randomBytes(20).toString('hex'),
        name,
        field_type: input.type,
        is_custom: 1,
        order_nr: Math.max(0, ...defs.fields.map((f) => f.orderNr)) + 1,
        ...settings,
        created_by_user_id: actor.userId,
        last_updated_by_user_id: actor.userId,
        add_time: now,
        update_time: now,
        deleted_time: null,
      });
      if (labels) await insertOptionRows(trx, actor.companyId, id, labels, 1, now);
      return findField(await this.load(trx, actor), { id }, this.entity);
    });
  }

  /**
   * Changes a field's settings; v1 may also send the complete option list (`options`): listed ids are kept
   * (and relabelled), entries without id are added, and every option not listed is deleted.
   */
  async update(
    actor: Actor,
    ref: FieldRef,
    input: FieldSettings & { options?: { id?: number; label: string }[]; fieldCode?: string; fieldType?: string },
    wording: Wording,
  ): Promise<PersonField> {
    onlyAdmins(actor, this.entity);
    return this.db.transaction().execute(async (trx) => {
      const defs = await this.load(trx, actor);
      const field = findField(defs, ref, this.entity);
      if (input.fieldCode !== undefined && input.fieldCode !== field.code) throw invalid('field_code cannot be changed');
      if (input.fieldType !== undefined && input.fieldType !== field.type) throw invalid('field_type cannot be changed');
      const now = nowStored();
      const changes: PersonFieldChanges = resolveSettings(defs, field, input);
      if (input.name !== undefined) {
        const name = requiredName(wording.name, input.name);
        if (!field.isCustom && name !== field.name) throw invalid(`${wording.name}: the system field "${field.key}" cannot be renamed`);
        changes.name = name;
      }
      if (input.options !== undefined) await this.replaceOptions(trx, actor, field, input.options, now);
      await repo.updateField(trx, actor.companyId, field.id, { ...changes, update_time: now, last_updated_by_user_id: actor.userId });
      return findField(await this.load(trx, actor), { id: field.id }, this.entity);
    });
  }

  /** Marks the field deleted and removes its values from every person, in one transaction. */
  async remove(actor: Actor, ref: FieldRef): Promise<PersonField> {
    onlyAdmins(actor, this.entity);
    return this.db.transaction().execute(async (trx) => this.removeIn(trx, actor, ref));
  }

  /** v1 bulk delete: all or nothing. */
  async removeMany(actor: Actor, ids: number[]): Promise<number[]> {
    onlyAdmins(actor, this.entity);
    return this.db.transaction().execute(async (trx) => {
      for (const id of new Set(ids)) await this.removeIn(trx, actor, { id });
      return [...new Set(ids)];
    });
  }

  /** v2: adds options to an enum / set field (the label field included); returns the added ones. */
  async addOptions(actor: Actor, ref: FieldRef, options: { label: string }[]): Promise<FieldOption[]> {
    onlyAdmins(actor, this.entity);
    return this.db.transaction().execute(async (trx) => {
      const field = optionField(findField(await this.load(trx, actor), ref, this.entity));
      const labels = options.map((o, i) => optionLabel(o.label, `[${i}].label`));
      const existing = field.options as FieldOption[];
      if (existing.length + labels.length > MAX_OPTIONS) throw invalid(`a field may have at most ${MAX_OPTIONS} options`);
      const ids = await insertOptionRows(trx, actor.companyId, field.id, labels, existing.length + 1, nowStored());
      await touch(trx, actor, field);
      const after = findField(await this.load(trx, actor), { id: field.id }, this.entity);
      return (after.options as FieldOption[]).filter((o) => ids.includes(o.id));
    });
  }

  /** v2: relabels options; fails as a whole when any id is not an option of the field. */
  async updateOptions(actor: Actor, ref: FieldRef, options: { id: number; label: string }[]): Promise<FieldOption[]> {
    onlyAdmins(actor, this.entity);
    return this.db.transaction().execute(async (trx) => {
      const field = optionField(findField(await this.load(trx, actor), ref, this.entity));
      const ids = existingOptionIds(field, options.map((o) => o.id));
      const now = nowStored();
      for (const [i, o] of options.entries()) {
        await repo.updateOption(trx, actor.companyId, o.id, { label: optionLabel(o.label, `[${i}].label`), update_time: now });
      }
      await touch(trx, actor, field);
      const after = findField(await this.load(trx, actor), { id: field.id }, this.entity);
      return (after.options as FieldOption[]).filter((o) => ids.has(o.id));
    });
  }

  /** v2: deletes options and removes them from every person's values; all or nothing. */
  async deleteOptions(actor: Actor, ref: FieldRef, options: { id: number }[]): Promise<FieldOption[]> {
    onlyAdmins(actor, this.entity);
    return this.db.transaction().execute(async (trx) => {
      const field = optionField(findField(await this.load(trx, actor), ref, this.entity));
      const ids = existingOptionIds(field, options.map((o) => o.id));
      const deleted = (field.options as FieldOption[]).filter((o) => ids.has(o.id));
      await repo.deleteOptions(trx, actor.companyId, [...ids]);
      await removeValues(trx, actor, this.entity, this.listeners, field, ids);
      await touch(trx, actor, field);
      return deleted;
    });
  }

  private async removeIn(trx: Executor, actor: Actor, ref: FieldRef): Promise<PersonField> {
    const defs = await this.load(trx, actor);
    const field = 'id' in ref ? defs.byId(ref.id) : defs.byKey(ref.code);
    if (!field) {
      const gone = 'id' in ref ? await isDeletedFieldId(trx, actor, ref.id, this.entity) : defs.deletedKeys.has(ref.code);
      throw gone ? fieldGone('id' in ref ? String(ref.id) : ref.code, this.entity) : fieldNotFound(ref, this.entity);
    }
    if (!field.isCustom) throw invalid(`"${field.key}" is a system field and cannot be deleted`);
    const now = nowStored();
    await repo.updateField(trx, actor.companyId, field.id, { deleted_time: now, update_time: now, last_updated_by_user_id: actor.userId });
    await removeValues(trx, actor, this.entity, this.listeners, field);
    return field;
  }

  /** v1 PUT options: the complete list; kept ids are relabelled and reordered, the rest deleted, new ones added. */
  private async replaceOptions(trx: Executor, actor: Actor, field: PersonField, options: { id?: number; label: string }[], now: string) {
    optionField(field);
    if (options.length === 0) throw invalid('options must list at least one option');
    if (options.length > MAX_OPTIONS) throw invalid(`a field may have at most ${MAX_OPTIONS} options`);
    const existing = new Map((field.options as FieldOption[]).map((o) => [o.id, o]));
    const kept = new Set<number>();
    for (const [i, o] of options.entries()) {
      const label = optionLabel(o.label, `options[${i}].label`);
      if (o.id === undefined) {
        await insertOptionRows(trx, actor.companyId, field.id, [label], i + 1, now);
        continue;
      }
      if (!existing.has(o.id)) throw invalid(`options[${i}].id: ${o.id} is not an option of field "${field.name}"`);
      if (kept.has(o.id)) throw invalid(`options[${i}].id: ${o.id} is listed twice`);
      kept.add(o.id);
      const current = existing.get(o.id) as FieldOption;
      if (current.label !== label) await repo.updateOption(trx, actor.companyId, o.id, { label, order_nr: i + 1, update_time: now });
      else await repo.updateOption(trx, actor.companyId, o.id, { order_nr: i + 1 });
    }
    const removed = new Set([...existing.keys()].filter((id) => !kept.has(id)));
    if (removed.size > 0) {
      await repo.deleteOptions(trx, actor.companyId, [...removed]);
      await removeValues(trx, actor, this.entity, this.listeners, field, removed);
    }
  }
}

function findField(defs: PersonFieldDefinitions, ref: FieldRef, entity: FieldEntity): PersonField {
  const field = 'id' in ref ? defs.byId(ref.id) : defs.byKey(ref.code);
  if (!field) throw fieldNotFound(ref, entity);
  return field;
}

function fieldNotFound(ref: FieldRef, entity: FieldEntity) {
  const one = ENTITY_WORDS[entity].one;
  return notFound('Field not found', 'id' in ref ? `No ${one} field with id ${ref.id} exists in this company.` : `No ${one} field "${ref.code}" exists in this company.`);
}

function fieldGone(ref: string, entity: FieldEntity) {
  const one = ENTITY_WORDS[entity].one;
  return new DomainError('gone', 'The field is not found', `${one.charAt(0).toUpperCase()}${one.slice(1)} field ${ref} was deleted.`);
}

async function isDeletedFieldId(trx: Executor, actor: Actor, id: number, entity: FieldEntity): Promise<boolean> {
  const rows = await repo.listFieldRows(trx, actor.companyId, entity);
  return rows.some((r) => r.id === id && r.deleted_time !== null);
}

function optionField(field: PersonField): PersonField {
  if (!hasOptions(field.type)) throw invalid(`field "${field.code}" is of type ${field.type} and has no options; only enum and set fields do`);
  return field;
}

function existingOptionIds(field: PersonField, ids: number[]): Set<number> {
  const known = new Set((field.options as FieldOption[]).map((o) => o.id));
  const seen = new Set<number>();
  for (const [i, id] of ids.entries()) {
    if (!known.has(id)) throw invalid(`[${i}].id: ${id} is not an option of field "${field.code}"`);
    if (seen.has(id)) throw invalid(`[${i}].id: ${id} is listed twice`);
    seen.add(id);
  }
  return seen;
}

function optionLabel(label: string, path: string): string {
  const trimmed = label.trim();
  if (trimmed === '') throw invalid(`${path} must not be empty`);
  if (trimmed.length > MAX_LABEL) throw invalid(`${path} is longer than ${MAX_LABEL} characters`);
  return trimmed;
}

function optionLabels(type: string, options: { label: string }[] | undefined): string[] | undefined {
  if (!hasOptions(type)) {
    if (options !== undefined && options.length > 0) throw invalid(`options are only for enum and set fields, not ${type}`);
    return undefined;
  }
  if (!options || options.length === 0) throw invalid(`options must list at least one option for a ${type} field`);
  if (options.length > MAX_OPTIONS) throw invalid(`a field may have at most ${MAX_OPTIONS} options`);
  return options.map((o, i) => optionLabel(o.label, `options[${i}].label`));
}

async function insertOptionRows(trx: Executor, companyId: number, fieldId: number, labels: string[], firstOrder: number, now: string) {
  return repo.insertOptions(
    trx,
    labels.map((label, i) => ({ company_id: companyId, field_id: fieldId, label, color: null, order_nr: firstOrder + i, add_time: now, update_time: now })),
  );
}

async function touch(trx: Executor, actor: Actor, field: PersonField): Promise<void> {
  await repo.updateField(trx, actor.companyId, field.id, { update_time: nowStored(), last_updated_by_user_id: actor.userId });
}

/** The stored settings after applying `input` on top of `field` (or the defaults for a new field). */
function resolveSettings(defs: PersonFieldDefinitions, field: PersonField | undefined, input: FieldSettings) {
  if (field && !field.isCustom) {
    if (input.mandatory !== undefined && input.mandatory !== field.mandatory) {
      throw invalid(`required_fields: whether the system field "${field.code}" is required cannot be changed`);
    }
    if (input.addVisible === false && ALWAYS_ADD_VISIBLE[defs.entity].has(field.key)) {
      throw invalid(`ui_visibility.add_visible_flag cannot be false for the system field "${field.code}"`);
    }
  }
  const stageIds = input.importantStageIds ?? field?.importantStageIds ?? [];
  if (stageIds.some((id) => !Number.isSafeInteger(id) || id < 1)) throw invalid('important_fields.stage_ids must be positive integers');
  const important = input.important ?? field?.important ?? false;
  const show = input.showInAddDeal ?? field?.showInAddDeal ?? false;
  // The add-deal dialog order is managed here, as Pipedrive manages it: the next free position when shown.
  let order: number | null = null;
  if (show) {
    order = field?.showInAddDeal ? field.addDealOrder : Math.max(0, ...defs.fields.map((f) => f.addDealOrder ?? 0)) + 1;
  }
  return {
    add_visible_flag: (input.addVisible ?? field?.addVisible ?? false) ? 1 : 0,
    details_visible_flag: (input.detailsVisible ?? field?.detailsVisible ?? true) ? 1 : 0,
    show_in_add_deal_dialog: show ? 1 : 0,
    add_deal_dialog_order: order,
    important_flag: important ? 1 : 0,
    important_stage_ids: JSON.stringify(important ? stageIds : []),
    mandatory_flag: (input.mandatory ?? field?.mandatory ?? false) ? 1 : 0,
  };
}

/**
 * Adding, changing and deleting fields and their options changes every record of the entity in the company (a deleted field or
 * option takes its values with it), so only admins may, as on Pipedrive's default permission sets.
 */
function onlyAdmins(actor: Actor, entity: FieldEntity): void {
  if (!actor.isAdmin) throw forbidden(`Only admins can add, change or delete ${ENTITY_WORDS[entity].one} fields`, 'Ask an admin of the company, or use an admin token.');
}

/** The person fields' service (the first entity; the class serves all three). */
export type PersonFieldsService = FieldsService;
