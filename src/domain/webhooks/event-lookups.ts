import type { Executor } from '../../store/executor.js';
import { findOrganization } from '../../store/repositories/organizations.repository.js';
import { findCompany, findUser } from '../../store/repositories/users.repository.js';
import { type PersonFieldDefinitions, loadPersonFields } from '../person-fields/definitions.js';

/**
 * What payloads need beyond the changed row (names, the company, field definitions), read inside the write's
 * transaction and at most once per write however many webhooks receive it. Nothing is read unless a webhook
 * matched, so writes in a company without webhooks pay for none of it.
 */
export class EventLookups {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(
    /** The write's transaction, for shapes that read more. */
    readonly db: Executor,
    readonly companyId: number,
  ) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.cache.get(key) as Promise<T> | undefined;
    if (value === undefined) {
      value = load();
      this.cache.set(key, value);
    }
    return value;
  }

  /** The company's domain, as Pipedrive's `meta.host` names the company the event belongs to. */
  host(): Promise<string> {
    return this.once('host', async () => (await findCompany(this.db, this.companyId))?.domain ?? '');
  }

  userName(id: number): Promise<string | null> {
    return this.once(`user:${id}`, async () => (await findUser(this.db, this.companyId, id))?.name ?? null);
  }

  organizationName(id: number | null): Promise<string | null> {
    if (id === null) return Promise.resolve(null);
    return this.once(`org:${id}`, async () => (await findOrganization(this.db, this.companyId, id))?.name ?? null);
  }

  personFields(): Promise<PersonFieldDefinitions> {
    return this.once('person-fields', () => loadPersonFields(this.db, this.companyId));
  }
}
