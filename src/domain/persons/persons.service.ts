import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import type { KeysetPage } from '../../store/keyset.js';
import { findOrganization } from '../../store/repositories/organizations.repository.js';
import * as persons from '../../store/repositories/persons.repository.js';
import type { PersonListFilter, PersonRow } from '../../store/repositories/persons.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { invalid, notFound } from '../errors.js';
import { type ListRequest, pageFromRequest, pageResult, timeFilters } from '../paging.js';
import { nowStored } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import { applyPersonFieldRules } from './person-custom-fields.js';
import { type PersonInput, type PersonValues, applyPersonInput } from './person-input.js';
import { columnsFromValues, contactRows, contactsChanged, emptyPersonValues, valuesFromRow } from './person-row.js';

export interface PersonListRequest extends ListRequest, PersonListFilter {}

export class PersonsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
    /** Run inside every write's transaction (search index, history, webhook outbox). */
    private readonly listeners: WriteListener<PersonRow>[] = [],
  ) {}

  async get(actor: Actor, id: number): Promise<PersonRow> {
    const row = await persons.findPerson(this.db, actor.companyId, id, await viewerOf(this.db, actor));
    if (!row) throw personNotFound(id);
    return row;
  }

  async create(actor: Actor, input: PersonInput): Promise<PersonRow> {
    const now = nowStored();
    const values = applyPersonInput(emptyPersonValues(actor.userId, now), input, true, now);
    return this.db.transaction().execute(async (trx) => {
      await checkReferences(trx, actor, values, input);
      await applyPersonFieldRules(trx, actor, values, input, true);
      const id = await persons.insertPerson(trx, { company_id: actor.companyId, ...columnsFromValues(values), deleted_time: null });
      await persons.replaceContacts(trx, actor.companyId, id, contactRows(values));
      const after = (await persons.findPerson(trx, actor.companyId, id)) as PersonRow;
      await notifyWrite(this.listeners, trx, { entity: 'person', action: 'create', actor, before: null, after });
      return after;
    });
  }

  async update(actor: Actor, id: number, input: PersonInput): Promise<PersonRow> {
    return this.db.transaction().execute(async (trx) => {
      // Locked: a concurrent PATCH waits, then builds on this one's result instead of overwriting it.
      const row = await persons.findPersonForUpdate(trx, actor.companyId, id, await viewerOf(trx, actor));
      if (!row) throw personNotFound(id);
      const current = valuesFromRow(row);
      const next = applyPersonInput(current, input, false, nowStored());
      await checkReferences(trx, actor, next, input);
      await applyPersonFieldRules(trx, actor, next, input, false);
      await persons.updatePerson(trx, actor.companyId, id, columnsFromValues(next));
      if (contactsChanged(current, next)) await persons.replaceContacts(trx, actor.companyId, id, contactRows(next));
      const after = (await persons.findPerson(trx, actor.companyId, id)) as PersonRow;
      await notifyWrite(this.listeners, trx, { entity: 'person', action: 'change', actor, before: row, after });
      return after;
    });
  }

  async remove(actor: Actor, id: number): Promise<{ id: number }> {
    return this.db.transaction().execute(async (trx) => {
      const before = await persons.findPersonForUpdate(trx, actor.companyId, id, await viewerOf(trx, actor));
      if (!before || !(await persons.markPersonDeleted(trx, actor.companyId, id, nowStored()))) throw personNotFound(id);
      await notifyWrite(this.listeners, trx, { entity: 'person', action: 'delete', actor, before, after: null });
      return { id };
    });
  }

  async list(actor: Actor, request: PersonListRequest): Promise<{ rows: PersonRow[]; nextCursor: string | null }> {
    if (request.ids && request.ids.length > 100) throw invalid('ids may list at most 100 ids');
    const page: KeysetPage = pageFromRequest(this.cursors, request);
    const rows = await persons.listPersons(this.db, actor.companyId, timeFilters(request), page, await viewerOf(this.db, actor));
    return pageResult(this.cursors, page, rows);
  }
}

function personNotFound(id: number) {
  return notFound('Person not found', `No person with id ${id} exists in this company.`);
}

/** The owner must be an active user of the company and the organization a live one of the same company. */
async function checkReferences(db: Executor, actor: Actor, values: PersonValues, input: PersonInput): Promise<void> {
  if (input.owner_id !== undefined) {
    const owner = await findUser(db, actor.companyId, values.owner_id);
    if (!owner || owner.active_flag !== 1) throw invalid(`owner_id ${values.owner_id} is not an active user of this company`);
  }
  if (input.org_id !== undefined && values.org_id !== null) {
    const org = await findOrganization(db, actor.companyId, values.org_id);
    if (!org) throw invalid(`org_id ${values.org_id} is not an organization of this company`);
  }
}
