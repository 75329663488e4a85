import { assignVisibilityGroup, createVisibilityGroup } from '../../domain/access/visibility.js';
import { findCompany } from '../../store/repositories/users.repository.js';
import type { Store } from '../../store/db.js';
import { type Config, ConfigError } from '../config.js';
import { withStore } from './with-store.js';

/** `personsd group create`: a visibility group (who sees persons at visible_to 3 and 5); prints its id. */
export function createGroupCommand(config: Config, options: { company: number; name: string; parent?: number }): Promise<number> {
  return withStore(config, async (store) => {
    await mustExist(store, options.company);
    const groupId = await createVisibilityGroup(store.db, options.company, options.name, options.parent ?? null);
    process.stdout.write(`${groupId}\n`);
    return 0;
  });
}

/** `personsd group assign`: moves a user into a visibility group, or back to the top group with `none`. */
export function assignGroupCommand(config: Config, options: { company: number; user: number; group: number | null }): Promise<number> {
  return withStore(config, async (store) => {
    await mustExist(store, options.company);
    await assignVisibilityGroup(store.db, options.company, options.user, options.group);
    return 0;
  });
}

async function mustExist(store: Store, companyId: number): Promise<void> {
  if (!(await findCompany(store.db, companyId))) throw new ConfigError(`no company with id ${companyId} (\`personsd users\` lists the users and their companies)`);
}
