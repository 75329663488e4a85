import { randomBytes } from 'node:crypto';
import type { Actor } from './domain/actor.js';
import { CursorCodec } from './domain/cursor.js';
import { OrganizationsService } from './domain/organizations/organizations.service.js';
import { PersonsService } from './domain/persons/persons.service.js';
import { authenticate } from './domain/users/tokens.js';
import { UsersService } from './domain/users/users.service.js';
import { ensureSetting } from './store/repositories/settings.repository.js';
import type { Store } from './store/db.js';
import type { WriteListener } from './domain/write-events.js';
import type { PersonRow } from './store/repositories/persons.repository.js';
import type { OrganizationRow } from './store/repositories/organizations.repository.js';

/** Everything the routes call, built once per process from the store. Holds no state a restart would lose. */
export interface Services {
  store: Store;
  persons: PersonsService;
  organizations: OrganizationsService;
  users: UsersService;
  authenticate(token: string): Promise<Actor | undefined>;
}

export async function createServices(store: Store): Promise<Services> {
  // Shared by every process on the database, so a cursor issued by one process is accepted by the others.
  const cursorSecret = await ensureSetting(store.db, 'cursor_secret', randomBytes(32).toString('hex'));
  const cursors = new CursorCodec(cursorSecret);
  // Work that must commit with every person / organization write (index, history, outbox) registers here.
  const personListeners: WriteListener<PersonRow>[] = [];
  const organizationListeners: WriteListener<OrganizationRow>[] = [];
  return {
    store,
    persons: new PersonsService(store.db, cursors, personListeners),
    organizations: new OrganizationsService(store.db, cursors, organizationListeners),
    users: new UsersService(store.db),
    authenticate: (token: string) => authenticate(store.db, token),
  };
}
