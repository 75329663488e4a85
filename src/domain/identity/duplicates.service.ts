import type { Kysely } from 'kysely';
import * as persons from '../../store/repositories/persons.repository.js';
import type { Database } from '../../store/schema.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import { notFound } from '../errors.js';
import { valuesFromRow } from '../person-model/person-row.js';
import { type DuplicateCandidate, findDuplicates } from './duplicates.js';
import { subjectOf } from './identity-writes.js';
import type { IdentitySettings } from './identity-settings.js';

/** `GET /api/v2/persons/{id}/duplicates`: the persons the caller may see that look like this one, best first. */
export class DuplicatesService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly identity: IdentitySettings,
  ) {}

  async find(actor: Actor, id: number, limit: number): Promise<DuplicateCandidate[]> {
    const viewer = await viewerOf(this.db, actor);
    const row = await persons.findPerson(this.db, actor.companyId, id, viewer);
    if (!row) throw notFound('Person not found', `No person with id ${id} exists in this company.`);
    const { region } = await this.identity.of(this.db, actor.companyId);
    return findDuplicates(this.db, actor.companyId, subjectOf(valuesFromRow(row), region, id), viewer, { limit });
  }
}
