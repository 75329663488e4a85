import type { Executor } from '../../store/executor.js';
import { findOrganization } from '../../store/repositories/organizations.repository.js';
import { findCompany, findUser } from '../../store/repositories/users.repository.js';
import { usersWhoMaySeeRecord } from '../access/visibility.js';
import { type PersonFieldDefinitions, loadFields, loadPersonFields } from '../person-fields/definitions.js';
import type { FieldEntity } from '../person-fields/entities.js';

/**
 * What payloads need beyond the changed row (names, the company, field definitions), read inside the write's
 * transaction and at most once per write however many webhooks receive it. Nothing is read unless a webhook
 * matched, so writes in a company without webhooks pay for none of it.
 */
export class EventLookups {
  constructor(
    /** The write's transaction, for shapes that read more. */
    readonly db: Executor,
    readonly companyId: number,
    /** The user the payload is rendered for: names of records they may not see read as null. */
    private readonly receiverId: number | null = null,
    private readonly cache = new Map<string, Promise<unknown>>(),
  ) {}

  /** The same lookups (and what they have read) for a payload one user receives. */
  forReceiver(userId: number): EventLookups {
    return new EventLookups(this.db, this.companyId, userId, this.cache);
  }

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

  /** The organization's name, or null when the receiver may not see the organization (as the REST API hides it). */
  async organizationName(id: number | null): Promise<string | null> {
    if (id === null) return null;
    const org = await this.once(`org:${id}`, async () => {
      const row = await findOrganization(this.db, this.companyId, id);
      return row && { name: row.name, viewers: await usersWhoMaySeeRecord(this.db, this.companyId, row) };
    });
    if (!org) return null;
    return this.receiverId === null || org.viewers.includes(this.receiverId) ? org.name : null;
  }

  personFields(): Promise<PersonFieldDefinitions> {
    return this.once('person-fields', () => loadPersonFields(this.db, this.companyId));
  }

  /** The fields of organizations or deals, read once per event. */
  fieldsOf(entity: Exclude<FieldEntity, 'person'>): Promise<PersonFieldDefinitions> {
    return this.once(`${entity}-fields`, () => loadFields(this.db, this.companyId, entity));
  }
}
