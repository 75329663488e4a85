import type { Executor } from '../../store/executor.js';
import type { Actor } from '../actor.js';
import { type ChangeStamp, RememberedWhileUnchanged } from '../remembered-while-unchanged.js';
import { type FieldDefinitions, loadFields } from './definitions.js';
import type { FieldEntity } from './entities.js';

/** A company's field definitions of one entity, as a read needs them. */
export type FieldsOf = (db: Executor, actor: Pick<Actor, 'companyId' | 'arrivedAt'>, entity?: FieldEntity) => Promise<FieldDefinitions>;

/**
 * Field definitions remembered between moves of the settings stamp, which every change to fields and their options
 * moves (migrations 024, 025 and 031): a v1 read renders custom fields and labels through them, and reading them was
 * two of a v1 GET's six statements. Inside a transaction they are read afresh, since the transaction may have
 * changed them itself. The definitions are shared by every request that asks until the stamp moves: nothing may
 * change them.
 */
export function rememberedFields(settingsStamp: ChangeStamp): FieldsOf {
  const remembered = new RememberedWhileUnchanged<FieldDefinitions, string>(settingsStamp);
  return (db, actor, entity = 'person') => {
    const read = () => loadFields(db, actor.companyId, entity);
    return db.isTransaction ? read() : remembered.get(`${actor.companyId} ${entity}`, read, { since: actor.arrivedAt });
  };
}
