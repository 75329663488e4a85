import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import { type KeyHit, personsWithContactKeys, personsWithMatchKeys, visibleLivePersons } from '../../store/repositories/person-match-keys.repository.js';
import { findOrganization } from '../../store/repositories/organizations.repository.js';
import {
  findOrganizationIdByName,
  insertImportedContacts,
  insertImportedKeys,
  insertImportedPersons,
  refreshImportStatistics,
} from '../../store/repositories/person-transfer.repository.js';
import * as persons from '../../store/repositories/persons.repository.js';
import type { NewContactRow, PersonRow } from '../../store/repositories/persons.repository.js';
import { findUser } from '../../store/repositories/users.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { DomainError, invalid } from '../errors.js';
import type { Region } from '../normalize/contact-keys.js';
import { DUPLICATE_RULES, type DuplicateRule, MIN_PHONE_KEY_DIGITS } from '../identity/duplicate-rules.js';
import { upsertInput } from '../identity/identity-writes.js';
import { type CompanyIdentity, type DuplicatePolicy, type IdentitySettings, policyFor } from '../identity/identity-settings.js';
import { type PersonIdentity, identityOf } from '../identity/person-identity.js';
import { contactRowsOf } from '../person-model/contact-rows.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import { type PersonFieldDefinitions, loadPersonFields } from '../person-fields/definitions.js';
import { applyPersonFieldRules } from '../persons/person-custom-fields.js';
import { type PersonInput, type PersonValues, applyPersonInput } from '../person-model/person-input.js';
import { columnsFromValues, emptyPersonValues, valuesFromRow } from '../person-model/person-row.js';
import type { PersonsService } from '../persons/persons.service.js';
import { indexNewPersons } from '../search/search-index.js';
import { fold } from '../search/search-text.js';
import { subscribes } from '../webhooks/subscription.js';
import { listLiveWebhooks } from '../../store/repositories/webhooks.repository.js';
import { nowStored } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import { type ColumnTarget, resolveColumn, rowInput } from './person-columns.js';
import { type CsvRecord, readCsv } from './person-csv.js';
import { type VcardRecord, readVcards } from './vcard.js';
import type { ImportOptions, ImportReport, ImportRowReport } from './import-report.js';

/** One row on its way in: its body, or why it was refused before any lookup. */
interface IncomingRow {
  row: number;
  line?: number;
  input?: PersonInput;
  orgName?: string;
  error?: string;
}

/** A validated row waiting to be created with the batch, with its columns and keys worked out once. */
interface PendingCreate {
  report: ImportRowReport;
  values: PersonValues;
  identity: PersonIdentity;
  columns: ReturnType<typeof columnsFromValues>;
  contacts: NewContactRow[];
}

/**
 * Where a key was seen earlier in this import: a person already written, or a row's report (its id set once the row
 * is written). Only the report: what a pending row holds besides (its values, columns, contact rows and keys) must
 * be free to go once its batch is written, or an import keeps every row's data until it ends.
 */
type Seen = { personId: number; row: number } | { report: ImportRowReport; row: number };

const personIdOf = (seen: Seen): number | undefined => ('personId' in seen ? seen.personId : seen.report.id);

const BATCH = 2000;

/**
 * Imports persons from CSV or vCard. Each row is all or nothing: it is checked like a create (the same rules and
 * messages), then created, used to update its duplicate (`upsert`), skipped (`reject`: a duplicate of a person
 * or of an earlier row) or rejected with the reason. Creates go in batches through the bulk insert path, with
 * duplicate lookups, match keys and search text batched too; each batch is one transaction, and a batch the
 * database refuses is retried row by row so only the failing row is rejected.
 */
export class PersonImportService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly persons: PersonsService,
    private readonly organizations: OrganizationsService,
    private readonly identity: IdentitySettings,
    /**
     * The person listeners a batch's creates are told to: the webhook outbox's (called only when the company has a
     * webhook for person creates, looked up once per batch) and the others except the search index, which a batch
     * fills itself.
     */
    private readonly createListeners: { others: () => WriteListener<PersonRow>[]; webhooks: WriteListener<PersonRow> },
  ) {}

  async importCsv(actor: Actor, source: AsyncIterable<Buffer | string> | Buffer, options: ImportOptions = {}): Promise<ImportReport> {
    const fields = await loadPersonFields(this.db, actor.companyId);
    const records = readCsv(source);
    const first = await records.next();
    if (first.done || !('header' in first.value)) throw invalid('the file has no header row', 'The first line names the columns, e.g. name,email,phone.');
    const header = first.value.header;
    const ignored: string[] = [];
    for (const key of Object.keys(options.mapping ?? {})) if (!header.includes(key)) throw invalid(`mapping names the column "${key}", which the header does not have`);
    const columns = header.map((name) => {
      const target = resolveColumn(name, options.mapping?.[name], fields);
      if (target === undefined) ignored.push(name);
      return { header: name, target: target ?? ({ kind: 'ignore' } as ColumnTarget) };
    });
    const counts = { blankRows: 0 };
    const rows = (async function* (): AsyncGenerator<IncomingRow> {
      for await (const record of records as AsyncIterable<CsvRecord>) {
        if ('blank' in record) {
          counts.blankRows += 1;
          continue;
        }
        if ('error' in record) {
          yield { row: record.row, line: record.line, error: `row ${record.row} (line ${record.line}) ${record.error}` };
          continue;
        }
        try {
          yield { row: record.row, line: record.line, ...rowInput(record.cells, columns, fields) };
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          yield { row: record.row, line: record.line, error: err.message };
        }
      }
    })();
    const report = await this.importRows(actor, rows, fields, ignored, options);
    report.blank_rows = counts.blankRows;
    return report;
  }

  async importVcards(actor: Actor, text: string, options: ImportOptions = {}): Promise<ImportReport> {
    const fields = await loadPersonFields(this.db, actor.companyId);
    const rows = (async function* (): AsyncGenerator<IncomingRow> {
      for (const card of readVcards(text) as VcardRecord[]) {
        if ('error' in card) yield { row: card.row, line: card.line, error: `card ${card.row} (line ${card.line}) ${card.error}` };
        else {
          // CATEGORIES name person labels; names the company has no label for are left out.
          const options = fields.labelField.options ?? [];
          const labelIds = card.labels.map((name) => options.find((o) => fold(o.label) === fold(name))?.id).filter((id): id is number => id !== undefined);
          const input = labelIds.length > 0 ? { ...card.input, label_ids: [...new Set(labelIds)] } : card.input;
          yield { row: card.row, line: card.line, input, orgName: card.orgName };
        }
      }
    })();
    return this.importRows(actor, rows, fields, [], options);
  }

  private async importRows(actor: Actor, rows: AsyncIterable<IncomingRow>, fields: PersonFieldDefinitions, ignored: string[], options: ImportOptions): Promise<ImportReport> {
    const company = await this.identity.of(this.db, actor.companyId);
    const run = new ImportRun(this, actor, company, policyFor(options.duplicatePolicy, company), fields, await viewerOf(this.db, actor));
    const report: ImportReport = { created: 0, updated: 0, skipped: 0, rejected: 0, blank_rows: 0, ignored_columns: ignored, rows: [] };
    let batch: IncomingRow[] = [];
    let done = 0;
    let batches = 0;
    const flush = async () => {
      await run.batch(batch, report.rows);
      done += batch.length;
      batch = [];
      options.onProgress?.(done);
      // After batches 1, 2, 4, 8, …: the tables' statistics keep up with their growth in a handful of runs.
      batches += 1;
      if ((batches & (batches - 1)) === 0) await refreshImportStatistics(this.db);
    };
    for await (const row of rows) {
      batch.push(row);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    for (const row of report.rows) report[row.status] += 1;
    return report;
  }

  /** @internal ImportRun's way to the services and the database. */
  get parts() {
    return { db: this.db, persons: this.persons, organizations: this.organizations, listeners: this.createListeners };
  }
}

/** One import's state: what it has seen (keys → persons or pending rows) and what it remembers (owners, organizations). */
class ImportRun {
  private readonly seen = new Map<string, Seen>();
  private pending: PendingCreate[] = [];
  private readonly users = new Map<number, boolean>();
  private readonly orgIds = new Map<number, boolean>();
  private readonly orgsByName = new Map<string, number>();

  constructor(
    private readonly service: PersonImportService,
    private readonly actor: Actor,
    private readonly company: CompanyIdentity,
    private readonly policy: DuplicatePolicy,
    private readonly fields: PersonFieldDefinitions,
    private readonly viewer: Awaited<ReturnType<typeof viewerOf>>,
  ) {}

  private get region(): Region | undefined {
    return this.company.region;
  }

  async batch(rows: IncomingRow[], out: ImportRowReport[]): Promise<void> {
    const { db } = this.service.parts;
    const checked: Array<{ report: ImportRowReport; input: PersonInput; values: PersonValues; identity: PersonIdentity; contacts: NewContactRow[] }> = [];
    for (const row of rows) {
      const report: ImportRowReport = { row: row.row, ...(row.line !== undefined && { line: row.line }), status: 'rejected' };
      out.push(report);
      if (row.error !== undefined || row.input === undefined) {
        report.reason = row.error ?? 'is empty';
        continue;
      }
      try {
        // The organization a row names is found (or created) once the row has passed its checks, so a refused
        // row leaves no organization behind.
        const values = await this.check(db, row.input);
        const input = row.orgName === undefined ? row.input : { ...row.input, org_id: (values.org_id = await this.organizationNamed(row.orgName)) };
        const contacts = contactRowsOf(values, this.region);
        checked.push({ report, input, values, contacts, identity: identityOf(values, this.region, contacts) });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        report.reason = `row ${row.row}: ${err.message}`;
      }
    }
    const existing = this.policy === 'allow' ? new Map<string, KeyHit[]>() : await this.lookUp(db, checked.map((c) => c.identity));
    const afterFlush: Array<() => void> = [];
    for (const row of checked) {
      const duplicate = this.policy === 'allow' ? undefined : this.duplicateOf(row.identity, existing);
      if (duplicate === undefined) {
        const pending = { report: row.report, values: row.values, identity: row.identity, contacts: row.contacts, columns: columnsFromValues(row.values) };
        this.pending.push(pending);
        this.remember(row.identity, { report: row.report, row: row.report.row });
      } else if (this.policy === 'reject') {
        row.report.status = 'skipped';
        const why = `${DUPLICATE_RULES[duplicate.rule].describe} (${duplicate.key})`;
        const named = (id: number | undefined) => {
          row.report.reason = id !== undefined ? `duplicate of person ${id}${duplicate.seen.row > 0 ? ` (row ${duplicate.seen.row})` : ''}: ${why}` : `duplicate of row ${duplicate.seen.row}, which was not imported: ${why}`;
          if (id !== undefined) row.report.id = id;
        };
        // A duplicate of a row of this batch gets its person's id once the batch is written.
        if (personIdOf(duplicate.seen) === undefined) afterFlush.push(() => named(personIdOf(duplicate.seen)));
        else named(personIdOf(duplicate.seen));
      } else {
        if (personIdOf(duplicate.seen) === undefined) await this.flush();
        const target = personIdOf(duplicate.seen);
        if (target === undefined) {
          row.report.reason = `row ${row.report.row}: its duplicate, row ${duplicate.seen.row}, was not imported`;
          continue;
        }
        await this.upsert(row.report, target, row.input, duplicate.rule);
        if (row.report.status === 'updated') this.remember(row.identity, { personId: target, row: row.report.row });
      }
    }
    await this.flush();
    for (const fix of afterFlush) fix();
  }

  /** A row's values as a create would make them, with the create's checks (field rules, owner, organization). */
  private async check(db: Executor, input: PersonInput): Promise<PersonValues> {
    const now = nowStored();
    const values = applyPersonInput(emptyPersonValues(this.actor.userId, now), input, true, now);
    if (input.owner_id !== undefined && !(await this.activeUser(db, values.owner_id))) throw invalid(`owner_id ${values.owner_id} is not an active user of this company`);
    if (values.org_id !== null && !(await this.organizationExists(db, values.org_id))) throw invalid(`org_id ${values.org_id} is not an organization of this company`);
    await applyPersonFieldRules(db, this.actor, values, input, true, { loaded: this.fields });
    return values;
  }

  /** The strong-rule keys of a batch, looked up in a few queries; only persons the importer may see count. */
  private async lookUp(db: Executor, identities: PersonIdentity[]): Promise<Map<string, KeyHit[]>> {
    const companyId = this.actor.companyId;
    const emails = identities.flatMap((i) => i.emails);
    const phones = identities.flatMap((i) => i.phones).filter((p) => p.replace(/\D/g, '').length >= MIN_PHONE_KEY_DIGITS);
    const orgNames = identities.flatMap((i) => i.matchKeys.filter((k) => k.rule === 'org_name').map((k) => k.key));
    const hits = [
      ...(await personsWithContactKeys(db, companyId, 'email', emails, 100_000)),
      ...(await personsWithContactKeys(db, companyId, 'phone', phones, 100_000)),
      ...(await personsWithMatchKeys(db, companyId, 'org_name', orgNames, 100_000)),
    ];
    const visible = new Set((await visibleLivePersons(db, companyId, [...new Set(hits.map((h) => h.person_id))], this.viewer)).map((p) => p.id));
    const byKey = new Map<string, KeyHit[]>();
    for (const hit of hits) {
      if (!visible.has(hit.person_id)) continue;
      const key = `${hit.kind}:${hit.key}`;
      byKey.set(key, [...(byKey.get(key) ?? []), hit]);
    }
    for (const list of byKey.values()) list.sort((a, b) => a.person_id - b.person_id);
    return byKey;
  }

  /** The first strong rule a row matches, against earlier rows of the file and then the company's persons. */
  private duplicateOf(identity: PersonIdentity, existing: Map<string, KeyHit[]>): { rule: DuplicateRule; key: string; seen: Seen } | undefined {
    for (const [rule, kind, keys] of this.strongKeys(identity)) {
      for (const key of keys) {
        const earlier = this.seen.get(`${kind}:${key}`);
        if (earlier) return { rule, key: display(key), seen: earlier };
        const hit = existing.get(`${kind}:${key}`)?.[0];
        if (hit) return { rule, key: display(key), seen: { personId: hit.person_id, row: 0 } };
      }
    }
    return undefined;
  }

  private strongKeys(identity: PersonIdentity): Array<[DuplicateRule, string, string[]]> {
    return [
      ['same_email', 'email', identity.emails],
      ['same_phone', 'phone', identity.phones.filter((p) => p.replace(/\D/g, '').length >= MIN_PHONE_KEY_DIGITS)],
      ['same_name_same_organization', 'org_name', identity.matchKeys.filter((k) => k.rule === 'org_name').map((k) => k.key)],
    ];
  }

  private remember(identity: PersonIdentity, seen: Seen): void {
    for (const [, kind, keys] of this.strongKeys(identity)) for (const key of keys) if (!this.seen.has(`${kind}:${key}`)) this.seen.set(`${kind}:${key}`, seen);
  }

  /** `upsert`: the row updates its duplicate, in a transaction of its own; a refused update rejects the row. */
  private async upsert(report: ImportRowReport, personId: number, input: PersonInput, rule: DuplicateRule): Promise<void> {
    const { db, persons: service } = this.service.parts;
    try {
      const row = await db.transaction().execute(async (trx) => {
        const current = await persons.findPerson(trx, this.actor.companyId, personId);
        if (!current) throw invalid(`person ${personId}, its duplicate, no longer exists`);
        return service.updateIn(trx, this.actor, personId, upsertInput(valuesFromRow(current), input, this.region), this.company, 'allow');
      });
      report.status = 'updated';
      report.id = row.id;
      report.reason = `updated its duplicate: ${DUPLICATE_RULES[rule].describe}`;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      report.reason = `row ${report.row}: ${err.message}`;
    }
  }

  /** Creates the pending rows in one transaction; when the database refuses it, row by row. */
  private async flush(): Promise<void> {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    const { db, listeners } = this.service.parts;
    const companyId = this.actor.companyId;
    try {
      const ids = await db.transaction().execute(async (trx) => {
        const created = await insertImportedPersons(trx, pending.map((p) => ({ ...p.columns, company_id: companyId })));
        await insertImportedContacts(trx, pending.flatMap((p, i) => p.contacts.map((c) => ({ ...c, company_id: companyId, person_id: created[i] }))));
        await insertImportedKeys(trx, pending.flatMap((p, i) => p.identity.matchKeys.map((k) => ({ ...k, company_id: companyId, person_id: created[i] }))));
        const rows = pending.map((p, i) => ({ ...p.columns, id: created[i], company_id: companyId, picture_id: null, deleted_time: null }) as PersonRow);
        const phoneKeys = new Map(pending.map((p, i) => [created[i], p.contacts.filter((c) => c.kind === 'phone').map((c) => c.normalized)]));
        await indexNewPersons(trx, companyId, rows, undefined, phoneKeys);
        const webhooks = (await listLiveWebhooks(trx, companyId)).some((w) => subscribes(w, 'person', 'create'));
        const told = webhooks ? [...listeners.others(), listeners.webhooks] : listeners.others();
        for (const after of rows) await notifyWrite(told, trx, { entity: 'person', action: 'create', actor: this.actor, before: null, after });
        return created;
      });
      pending.forEach((p, i) => this.created(p, ids[i]));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      for (const p of pending) await this.createOne(p, err as Error);
    }
  }

  private async createOne(p: PendingCreate, batchError: Error): Promise<void> {
    const { db, persons: service } = this.service.parts;
    try {
      const row = await db.transaction().execute((trx) => service.insertIn(trx, this.actor, p.values, this.company));
      this.created(p, row.id);
    } catch (err) {
      p.report.reason = `row ${p.report.row}: ${err instanceof DomainError ? err.message : `could not be stored (${(err as Error).message ?? batchError.message})`}`;
    }
  }

  private created(p: PendingCreate, id: number): void {
    p.report.status = 'created';
    p.report.id = id;
  }

  private async activeUser(db: Executor, id: number): Promise<boolean> {
    if (!this.users.has(id)) this.users.set(id, (await findUser(db, this.actor.companyId, id))?.active_flag === 1);
    return this.users.get(id) as boolean;
  }

  private async organizationExists(db: Executor, id: number): Promise<boolean> {
    if (!this.orgIds.has(id)) this.orgIds.set(id, (await findOrganization(db, this.actor.companyId, id, this.viewer)) !== undefined);
    return this.orgIds.get(id) as boolean;
  }

  /** The organization of that name, created when the company has none the importer sees (as Pipedrive's import does). */
  private async organizationNamed(name: string): Promise<number> {
    const known = this.orgsByName.get(name);
    if (known !== undefined) return known;
    const { db, organizations } = this.service.parts;
    const id = (await findOrganizationIdByName(db, this.actor.companyId, name, this.viewer)) ?? (await organizations.create(this.actor, { name })).id;
    this.orgsByName.set(name, id);
    this.orgIds.set(id, true);
    return id;
  }
}

/** A key as a reason shows it: an organization-and-name key without the organization id. */
function display(key: string): string {
  return key.includes('|') ? key.slice(key.indexOf('|') + 1) : key;
}
