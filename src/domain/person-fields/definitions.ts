import type { Executor } from '../../store/executor.js';
import * as repo from '../../store/repositories/person-fields.repository.js';
import type { NewPersonFieldRow, PersonFieldOptionRow, PersonFieldRow } from '../../store/repositories/person-fields.repository.js';
import { nowStored } from '../time.js';
import { type FieldType, SEARCHABLE_CUSTOM_FIELD_TYPES, hasOptions } from './field-types.js';
import type { FieldEntity } from './entities.js';
import { DEFAULT_LABELS, LABEL_FIELD_KEY, SYSTEM_FIELDS, type SystemFieldSpec, systemField } from './system-fields.js';

export interface FieldOption {
  id: number;
  label: string;
  color: string | null;
  add_time: string;
  update_time: string;
}

/** One field of a company (of persons, organizations or deals) as the domain sees it: stored settings plus, for system fields, fixed traits. */
export interface EntityField {
  id: number;
  /** The v1 key (40 hex characters for custom fields). */
  key: string;
  /** The v2 field_code; equals `key` except for the label field. */
  code: string;
  name: string;
  type: FieldType;
  isCustom: boolean;
  orderNr: number;
  addVisible: boolean;
  detailsVisible: boolean;
  showInAddDeal: boolean;
  addDealOrder: number | null;
  important: boolean;
  importantStageIds: number[];
  mandatory: boolean;
  createdBy: number | null;
  updatedBy: number | null;
  addTime: string;
  updateTime: string;
  /** The options of enum / set fields in display order; null for other types. */
  options: FieldOption[] | null;
  system?: SystemFieldSpec;
}

/** A company's fields of one entity, loaded once per request. */
export class FieldDefinitions {
  private readonly byKeyMap = new Map<string, EntityField>();
  private readonly byIdMap = new Map<number, EntityField>();
  private readonly optionLabels = new Map<number, string>();

  constructor(
    /** Live fields in id order (system fields first). */
    readonly fields: EntityField[],
    /** Keys of deleted custom fields: values sent for them are ignored, as Pipedrive does. */
    readonly deletedKeys: ReadonlySet<string>,
    readonly entity: FieldEntity = 'person',
  ) {
    for (const field of fields) {
      this.byKeyMap.set(field.key, field);
      this.byKeyMap.set(field.code, field);
      this.byIdMap.set(field.id, field);
      for (const option of field.options ?? []) this.optionLabels.set(option.id, option.label);
    }
  }

  /** The label of an option of any field (option ids are unique across fields). */
  optionLabel(optionId: number): string | undefined {
    return this.optionLabels.get(optionId);
  }

  /** By v1 key or v2 field_code. */
  byKey(keyOrCode: string): EntityField | undefined {
    return this.byKeyMap.get(keyOrCode);
  }

  byId(id: number): EntityField | undefined {
    return this.byIdMap.get(id);
  }

  get custom(): EntityField[] {
    return this.fields.filter((f) => f.isCustom);
  }

  /** The system field whose options are the entity's labels. */
  get labelField(): EntityField {
    return this.byKeyMap.get(LABEL_FIELD_KEY) as EntityField;
  }
}

/** Person fields were the first; the engine is the same for every entity. */
export { FieldDefinitions as PersonFieldDefinitions };
export type PersonField = EntityField;

/** The company's person fields (see loadFields). */
export function loadPersonFields(db: Executor, companyId: number): Promise<FieldDefinitions> {
  return loadFields(db, companyId, 'person');
}

/**
 * Reads the company's fields of one entity. The system fields are seeded on first use (for companies created
 * before fields existed, by bootstrap, by tests, or by any other path), with Pipedrive's default labels.
 */
export async function loadFields(db: Executor, companyId: number, entity: FieldEntity): Promise<FieldDefinitions> {
  const read = () => Promise.all([repo.listFieldRows(db, companyId, entity), repo.listOptionRows(db, companyId, entity)]);
  let [rows, options] = await read();
  const present = new Set(rows.map((r) => r.field_key));
  if (SYSTEM_FIELDS[entity].some((spec) => !present.has(spec.key))) {
    await (db.isTransaction ? seedSystemFields(db, companyId, entity) : db.transaction().execute((trx) => seedSystemFields(trx, companyId, entity)));
    [rows, options] = await read();
  }
  return definitionsFromRows(rows, options, entity);
}

/**
 * Inserts the system fields a company lacks. Concurrent callers are safe: the unique (company, key) index makes
 * each insert happen once, and only the caller that inserted the label field seeds the default labels.
 */
export async function seedSystemFields(db: Executor, companyId: number, entity: FieldEntity = 'person'): Promise<void> {
  const now = nowStored();
  const rows: NewPersonFieldRow[] = SYSTEM_FIELDS[entity].map((spec, index) => ({
    company_id: companyId,
    entity,
    field_key: spec.key,
    name: spec.name,
    field_type: spec.type,
    is_custom: 0,
    order_nr: index + 1,
    add_visible_flag: spec.addVisible ? 1 : 0,
    details_visible_flag: 1,
    show_in_add_deal_dialog: 0,
    add_deal_dialog_order: null,
    important_flag: 0,
    important_stage_ids: '[]',
    mandatory_flag: spec.mandatory ? 1 : 0,
    created_by_user_id: null,
    last_updated_by_user_id: null,
    add_time: now,
    update_time: now,
    deleted_time: null,
  }));
  const inserted = await repo.insertMissingFields(db, rows);
  const label = inserted.find((r) => r.field_key === LABEL_FIELD_KEY);
  if (label) {
    await repo.insertOptions(
      db,
      DEFAULT_LABELS[entity].map((l, index) => ({
        company_id: companyId,
        field_id: label.id,
        label: l.label,
        color: l.color,
        order_nr: index + 1,
        add_time: now,
        update_time: now,
      })),
    );
  }
}

function definitionsFromRows(rows: PersonFieldRow[], optionRows: PersonFieldOptionRow[], entity: FieldEntity): FieldDefinitions {
  const optionsByField = new Map<number, FieldOption[]>();
  for (const o of optionRows) {
    let list = optionsByField.get(o.field_id);
    if (!list) optionsByField.set(o.field_id, (list = []));
    list.push({ id: o.id, label: o.label, color: o.color, add_time: o.add_time, update_time: o.update_time });
  }
  const live: EntityField[] = [];
  const deleted = new Set<string>();
  for (const row of rows) {
    if (row.deleted_time !== null) {
      deleted.add(row.field_key);
      continue;
    }
    const system = row.is_custom === 1 ? undefined : systemField(row.field_key, entity);
    // A system field this version no longer knows is not served.
    if (row.is_custom !== 1 && !system) continue;
    live.push({
      id: row.id,
      key: row.field_key,
      code: system?.code ?? row.field_key,
      name: row.name,
      type: row.field_type as FieldType,
      isCustom: row.is_custom === 1,
      orderNr: row.order_nr,
      addVisible: row.add_visible_flag === 1,
      detailsVisible: row.details_visible_flag === 1,
      showInAddDeal: row.show_in_add_deal_dialog === 1,
      addDealOrder: row.add_deal_dialog_order,
      important: row.important_flag === 1,
      importantStageIds: JSON.parse(row.important_stage_ids),
      mandatory: row.mandatory_flag === 1,
      createdBy: row.created_by_user_id,
      updatedBy: row.last_updated_by_user_id,
      addTime: row.add_time,
      updateTime: row.update_time,
      options: hasOptions(row.field_type) ? (optionsByField.get(row.id) ?? []) : null,
      system,
    });
  }
  return new FieldDefinitions(live, deleted, entity);
}

/**
 * The custom fields whose values the search endpoints should look into, with their keys and types
 * (`varchar`, `varchar_auto`, `text`, `phone`, `double`, `monetary`, `address`, as Pipedrive searches).
 */
export function searchableCustomFields(definitions: FieldDefinitions): EntityField[] {
  return definitions.custom.filter((f) => (SEARCHABLE_CUSTOM_FIELD_TYPES as readonly string[]).includes(f.type));
}
