import { viewerOf } from '../access/visibility.js';
import type { Kysely } from 'kysely';
import { organizationNames } from '../../store/repositories/person-transfer.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { loadPersonFields } from '../person-fields/definitions.js';
import { valuesFromRow } from '../person-model/person-row.js';
import type { PersonListRequest, PersonsService } from '../persons/persons.service.js';
import { personsCsv } from './person-csv.js';
import { personVcard } from './vcard.js';

export type ExportFormat = 'csv' | 'vcf';

/** Persons as CSV or vCard: one, or every person of a filtered list the caller may see. */
export class PersonExportService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly persons: PersonsService,
  ) {}

  async vcard(actor: Actor, id: number): Promise<string> {
    return this.render(actor, [await this.persons.get(actor, id)], 'vcf');
  }

  /** The list's filters (ids, owner, organization, deal, update times) apply; it is read page by page in id order. */
  async list(actor: Actor, filter: Omit<PersonListRequest, 'cursor' | 'limit' | 'sortBy' | 'direction'>, format: ExportFormat): Promise<string> {
    const rows: PersonRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.persons.list(actor, { ...filter, limit: 500, cursor });
      rows.push(...page.rows);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return this.render(actor, rows, format);
  }

  private async render(actor: Actor, rows: PersonRow[], format: ExportFormat): Promise<string> {
    const fields = await loadPersonFields(this.db, actor.companyId);
    const orgIds = [...new Set(rows.map((r) => r.org_id).filter((id): id is number => id !== null))];
    const orgs = await organizationNames(this.db, actor.companyId, orgIds, await viewerOf(this.db, actor));
    const persons = rows.map((row) => ({ id: row.id, values: valuesFromRow(row), orgName: row.org_id === null ? null : (orgs.get(row.org_id) ?? null) }));
    if (format === 'csv') return personsCsv(persons, fields);
    const labelOf = (id: number) => fields.labelField.options?.find((o) => o.id === id)?.label;
    return persons.map((p) => personVcard(p.id, p.values, p.orgName, p.values.label_ids.map(labelOf).filter((l): l is string => l !== undefined))).join('');
  }
}
