import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import { findCompanyIdentity, updateCompanyIdentity } from '../../store/repositories/company-identity.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { forbidden, invalid } from '../errors.js';
import { type Region, parseRegion } from '../normalize/contact-keys.js';
import { type ChangeStamp, RememberedWhileUnchanged } from '../remembered-while-unchanged.js';
import { rekeyPersons } from './identity-rebuild.js';

export const DUPLICATE_POLICIES = ['allow', 'reject', 'upsert'] as const;
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

/** What a company's writes read phone numbers in and do with duplicates. */
export interface CompanyIdentity {
  region: Region | undefined;
  policy: DuplicatePolicy;
}

export interface IdentitySettingsInput {
  default_region?: string | null;
  duplicate_policy?: DuplicatePolicy | null;
}

/** The settings as `GET /api/v2/identitySettings` shows them. */
export interface IdentitySettingsView {
  default_region: string | null;
  duplicate_policy: DuplicatePolicy | null;
  effective_region: string | null;
  effective_duplicate_policy: DuplicatePolicy;
}

/**
 * Per-company identity settings over the installation's defaults (PERSONSD_DEFAULT_REGION), read in the caller's
 * transaction; a person write's reading is remembered while the store's settings stamp holds (`forWrite`).
 */
export class IdentitySettings {
  private readonly remembered: RememberedWhileUnchanged<CompanyIdentity> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    readonly defaultRegion: Region | undefined,
    settingsStamp?: ChangeStamp,
  ) {
    this.remembered = settingsStamp && new RememberedWhileUnchanged(settingsStamp);
  }

  /** For a write that leaves the settings alone: remembered between changes, on PostgreSQL one round trip fewer. */
  forWrite(db: Executor, actor: Actor): Promise<CompanyIdentity> {
    const companyId = actor.companyId;
    return this.remembered ? this.remembered.get(companyId, () => this.of(db, companyId), { since: actor.arrivedAt }) : this.of(db, companyId);
  }

  async of(db: Executor, companyId: number): Promise<CompanyIdentity> {
    const row = await findCompanyIdentity(db, companyId);
    return {
      region: (row?.default_region as Region | null) ?? this.defaultRegion,
      policy: (row?.duplicate_policy as DuplicatePolicy | null) ?? 'allow',
    };
  }

  /** The region national numbers of the company are read in. */
  readonly regionOf = async (companyId: number, db: Executor = this.db): Promise<Region | undefined> => (await this.of(db, companyId)).region;

  async get(actor: Actor): Promise<IdentitySettingsView> {
    return this.view(this.db, actor.companyId);
  }

  /**
   * Admins only. A new region re-keys every phone number of the company (and its search text) in the same
   * transaction, so duplicate checks and search agree with the setting at once.
   */
  async update(actor: Actor, input: IdentitySettingsInput): Promise<IdentitySettingsView> {
    if (!actor.isAdmin) throw forbidden('Only admins may change the identity settings');
    if (input.duplicate_policy !== undefined && input.duplicate_policy !== null && !DUPLICATE_POLICIES.includes(input.duplicate_policy)) {
      throw invalid(`duplicate_policy must be one of ${DUPLICATE_POLICIES.join(', ')}`);
    }
    const region = input.default_region === undefined || input.default_region === null ? input.default_region : parseRegion(input.default_region, 'default_region');
    return this.db.transaction().execute(async (trx) => {
      const before = await this.of(trx, actor.companyId);
      const changes = {
        ...(region !== undefined && { default_region: region }),
        ...(input.duplicate_policy !== undefined && { duplicate_policy: input.duplicate_policy }),
      };
      if (Object.keys(changes).length > 0) await updateCompanyIdentity(trx, actor.companyId, changes);
      const after = await this.of(trx, actor.companyId);
      if (after.region !== before.region) await rekeyPersons(trx, actor.companyId, async () => after.region, { reindexSearch: true });
      return this.view(trx, actor.companyId);
    });
  }

  private async view(db: Executor, companyId: number): Promise<IdentitySettingsView> {
    const row = await findCompanyIdentity(db, companyId);
    const effective = await this.of(db, companyId);
    return {
      default_region: row?.default_region ?? null,
      duplicate_policy: (row?.duplicate_policy as DuplicatePolicy | null) ?? null,
      effective_region: effective.region ?? null,
      effective_duplicate_policy: effective.policy,
    };
  }
}

/** The policy a write applies: the request's (`duplicate_policy` query parameter or header), else the company's. */
export function policyFor(requested: string | undefined, company: CompanyIdentity): DuplicatePolicy {
  if (requested === undefined || requested === '') return company.policy;
  if (!(DUPLICATE_POLICIES as readonly string[]).includes(requested)) {
    throw invalid(`duplicate_policy must be one of ${DUPLICATE_POLICIES.join(', ')}; got "${requested}"`);
  }
  return requested as DuplicatePolicy;
}
