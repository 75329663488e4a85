import { type FilterSelections, withFilterId, withLabel } from '../filters/filter-selection.js';
import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import type { KeysetPage } from '../../store/keyset.js';
import { findOrganizationForShare } from '../../store/repositories/organizations.repository.js';
import * as persons from '../../store/repositories/persons.repository.js';
import type { PersonListFilter, PersonOffsetPage, PersonRow } from '../../store/repositories/persons.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import type { CursorCodec } from '../cursor.js';
import { invalid, notFound } from '../errors.js';
import { type ListRequest, pageFromRequest, pageResult, timeFilters } from '../paging.js';
import { nowStored } from '../time.js';
import { type WriteEvent, type WriteListener, notifyWrite } from '../write-events.js';
import { type MandatoryFieldCheck, applyPersonFieldRules } from './person-custom-fields.js';
import { type PersonInput, type PersonValues, applyPersonInput } from '../person-model/person-input.js';
import { columnsFromValues, emptyPersonValues, valuesFromRow } from '../person-model/person-row.js';
import { duplicateConflict } from '../identity/duplicate-conflict.js';
import { type DuplicateCandidate, strongestDuplicate } from '../identity/duplicates.js';
import { type IdentityRows, identityChanged, identityRowsOf, subjectOf, upsertInput } from '../identity/identity-writes.js';
import { writePersonIdentityRows } from '../../store/repositories/person-identity-rows.repository.js';
import { together } from '../together.js';
import { type CompanyIdentity, type DuplicatePolicy, IdentitySettings, policyFor } from '../identity/identity-settings.js';

export interface PersonListRequest extends ListRequest, PersonListFilter {
  /** A saved people filter; replaces ids, owner_id, org_id and deal_id (Pipedrive ignores them beside it). */
  filterId?: number;
  /** personsd's extension: only persons carrying this label (beside a filter too). */
  labelId?: number;
}

/** The most persons one bulk delete may name. */
const MAX_BULK = 500;

export interface PersonWriteOptions {
  /** The request's duplicate_policy (query parameter or header); the company's setting when absent. */
  duplicatePolicy?: string;
}

/** A create answered by `upsert` updated the duplicate it found instead of creating a person. */
export interface PersonWriteResult {
  row: PersonRow;
  outcome: 'created' | 'updated';
  duplicate?: DuplicateCandidate;
}

export class PersonsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cursors: CursorCodec,
    /** Run inside every write's transaction (search index, history, webhook outbox). */
    private readonly listeners: WriteListener<PersonRow>[] = [],
    private readonly identity: IdentitySettings = new IdentitySettings(db, undefined),
    /** Saved filters, for `filter_id`. */
    private readonly filters?: FilterSelections,
    /** Whether a create must check mandatory fields: remembered by the API's services, read each time otherwise. */
    private readonly hasMandatoryField?: MandatoryFieldCheck,
  ) {}

  async get(actor: Actor, id: number): Promise<PersonRow> {
    const row = await persons.findPerson(this.db, actor.companyId, id, await viewerOf(this.db, actor));
    if (!row) throw personNotFound(id);
    return row;
  }

  async create(actor: Actor, input: PersonInput, options: PersonWriteOptions = {}): Promise<PersonRow> {
    return (await this.createWithOutcome(actor, input, options)).row;
  }

  /** A create under the duplicate policy: `reject` answers 409 naming the duplicate, `upsert` updates it instead. */
  async createWithOutcome(actor: Actor, input: PersonInput, options: PersonWriteOptions = {}): Promise<PersonWriteResult> {
    const now = nowStored();
    const values = applyPersonInput(emptyPersonValues(actor.userId, now), input, true, now);
    return this.db.transaction().execute(async (trx) => {
      const company = await this.identity.forWrite(trx, actor);
      const policy = policyFor(options.duplicatePolicy, company);
      await checkReferences(trx, actor, values, input);
      await applyPersonFieldRules(trx, actor, values, input, true, { hasMandatoryField: this.hasMandatoryField });
      if (policy !== 'allow') {
        const duplicate = await strongestDuplicate(trx, actor.companyId, subjectOf(values, company.region), await viewerOf(trx, actor));
        if (duplicate && policy === 'reject') throw duplicateConflict(duplicate);
        if (duplicate) {
          const united = upsertInput(valuesFromRow(duplicate.person), input, company.region);
          return { row: await this.updateIn(trx, actor, duplicate.person.id, united, company, 'allow'), outcome: 'updated' as const, duplicate };
        }
      }
      return { row: await this.insertIn(trx, actor, values, company), outcome: 'created' as const };
    });
  }

  /** Inserts validated values as a new person, with its identity keys and listeners, in the caller's transaction. */
  async insertIn(trx: Executor, actor: Actor, values: PersonValues, company: CompanyIdentity): Promise<PersonRow> {
    const after = await persons.insertPerson(trx, { company_id: actor.companyId, ...columnsFromValues(values), deleted_time: null });
    await this.recordWrite(trx, identityRowsOf(values, company.region), { entity: 'person', action: 'create', actor, before: null, after });
    return after;
  }

  /** Under `reject` or `upsert`, a change that makes the person a duplicate of another is a 409. */
  async update(actor: Actor, id: number, input: PersonInput, options: PersonWriteOptions = {}): Promise<PersonRow> {
    return this.db.transaction().execute(async (trx) => {
      const company = await this.identity.forWrite(trx, actor);
      return this.updateIn(trx, actor, id, input, company, policyFor(options.duplicatePolicy, company));
    });
  }

  /** An update in the caller's transaction (imports run many in one). */
  async updateIn(trx: Executor, actor: Actor, id: number, input: PersonInput, company: CompanyIdentity, policy: DuplicatePolicy): Promise<PersonRow> {
    // Locked: a concurrent PATCH waits, then builds on this one's result instead of overwriting it.
    const viewer = await viewerOf(trx, actor);
    // The organization before the person: deleting an organization locks it, then its persons (to unlink them).
    if (typeof input.org_id === 'number') await findOrganizationForShare(trx, actor.companyId, input.org_id);
    const row = await persons.findPersonForUpdate(trx, actor.companyId, id, viewer);
    if (!row) throw personNotFound(id);
    const current = valuesFromRow(row);
    const next = applyPersonInput(current, input, false, nowStored());
    await checkReferences(trx, actor, next, input);
    await applyPersonFieldRules(trx, actor, next, input, false);
    // An update has nothing to insert, so `upsert` guards it like `reject`: it must not make a duplicate.
    if (policy !== 'allow' && identityChanged(current, next)) {
      const duplicate = await strongestDuplicate(trx, actor.companyId, subjectOf(next, company.region, id), viewer);
      if (duplicate) throw duplicateConflict(duplicate);
    }
    const after = await persons.updateLockedPerson(trx, row, columnsFromValues(next));
    await this.recordWrite(trx, identityRowsOf(next, company.region, current), { entity: 'person', action: 'change', actor, before: row, after });
    return after;
  }

  /**
   * A written person's identity rows and its listeners: different rows, written at once (one round trip on
   * PostgreSQL). A create's rows have nothing to replace.
   */
  private async recordWrite(trx: Executor, identity: IdentityRows, event: WriteEvent<PersonRow> & { after: PersonRow }): Promise<void> {
    const { actor, after } = event;
    await together([
      writePersonIdentityRows(trx, actor.companyId, after.id, identity.rows, event.action !== 'create'),
      notifyWrite(this.listeners, trx, { ...event, phoneKeys: identity.phoneKeys }),
    ]);
  }

  async remove(actor: Actor, id: number): Promise<{ id: number }> {
    return this.db.transaction().execute(async (trx) => {
      const before = await persons.findPersonForUpdate(trx, actor.companyId, id, await viewerOf(trx, actor));
      if (!before || !(await persons.markPersonDeleted(trx, actor.companyId, id, nowStored()))) throw personNotFound(id);
      await notifyWrite(this.listeners, trx, { entity: 'person', action: 'delete', actor, before, after: null });
      return { id };
    });
  }

  /** Deletes all the persons or none: an id that is missing or hidden from the actor is a 404 and changes nothing. */
  async removeMany(actor: Actor, ids: readonly number[]): Promise<number[]> {
    if (ids.length > MAX_BULK) throw invalid(`ids may list at most ${MAX_BULK} ids`);
    const unique = [...new Set(ids)];
    return this.db.transaction().execute(async (trx) => {
      const viewer = await viewerOf(trx, actor);
      const time = nowStored();
      for (const id of unique) {
        const before = await persons.findPersonForUpdate(trx, actor.companyId, id, viewer);
        if (!before || !(await persons.markPersonDeleted(trx, actor.companyId, id, time))) throw personNotFound(id);
        await notifyWrite(this.listeners, trx, { entity: 'person', action: 'delete', actor, before, after: null });
      }
      return unique;
    });
  }

  /** A page by offset (v1): `more` tells whether another page follows. */
  async listByOffset(actor: Actor, filter: PersonListFilter, page: PersonOffsetPage, filterId?: number): Promise<{ rows: PersonRow[]; more: boolean }> {
    const narrowed = await withFilterId(this.filters, actor, filter, filterId, 'people');
    const rows = await persons.listPersonsByOffset(this.db, actor.companyId, narrowed, page, await viewerOf(this.db, actor));
    return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
  }

  async list(actor: Actor, request: PersonListRequest): Promise<{ rows: PersonRow[]; nextCursor: string | null }> {
    const { page, filter } = await this.listQuery(actor, request);
    return pageResult(this.cursors, page, await persons.listPersons(this.db, actor.companyId, filter, page, await viewerOf(this.db, actor)));
  }

  /** The same page as `list`, each person as the v2 JSON text of a read without options (rendered by the store). */
  async listDocs(actor: Actor, request: PersonListRequest): Promise<{ docs: string[]; nextCursor: string | null }> {
    const { page, filter } = await this.listQuery(actor, request);
    const { rows, nextCursor } = pageResult(this.cursors, page, await persons.listPersonDocs(this.db, actor.companyId, filter, page, await viewerOf(this.db, actor)));
    return { docs: rows.map((row) => row.doc), nextCursor };
  }

  private async listQuery(actor: Actor, request: PersonListRequest): Promise<{ page: KeysetPage; filter: PersonListFilter }> {
    if (request.filterId === undefined && request.ids && request.ids.length > 100) throw invalid('ids may list at most 100 ids');
    const page: KeysetPage = pageFromRequest(this.cursors, request);
    const { filterId, labelId, ...filter } = timeFilters(request);
    return { page, filter: withLabel(await withFilterId(this.filters, actor, filter, filterId, 'people'), labelId) };
  }
}

function personNotFound(id: number) {
  return notFound('Person not found', `No person with id ${id} exists in this company.`);
}

/** The owner must be an active user of the company and the organization a live one of the same company that the caller sees. */
async function checkReferences(db: Executor, actor: Actor, values: PersonValues, input: PersonInput): Promise<void> {
  if (input.owner_id !== undefined) {
    const owner = await findUser(db, actor.companyId, values.owner_id);
    if (!owner || owner.active_flag !== 1) throw invalid(`owner_id ${values.owner_id} is not an active user of this company`);
  }
  if (input.org_id !== undefined && values.org_id !== null) {
    // Share-locked: a concurrent delete of the organization waits for this write, then unlinks the person too.
    const org = await findOrganizationForShare(db, actor.companyId, values.org_id, await viewerOf(db, actor));
    if (!org) throw invalid(`org_id ${values.org_id} is not an organization of this company`);
  }
}
