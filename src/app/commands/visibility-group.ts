import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { withStore } from './with-store.js';
import { assignVisibilityGroup, createVisibilityGroup } from '../../domain/access/visibility.js';

export const GROUP_USAGE = `usage: personsd group create --company <id> --name <name> [--parent <group id>]
       personsd group assign --company <id> --user <id> --group <group id | none>`;

const id = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);

/** `personsd group …`: visibility groups, which decide who sees persons at visible_to 3 and 5. */
export async function visibilityGroupCommand(config: Config, args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    options: { company: { type: 'string' }, name: { type: 'string' }, parent: { type: 'string' }, user: { type: 'string' }, group: { type: 'string' } },
    allowPositionals: true,
  });
  const company = id(values.company);
  const create = positionals[0] === 'create' && company !== undefined && values.name && (values.parent === undefined || id(values.parent) !== undefined);
  const assign = positionals[0] === 'assign' && company !== undefined && id(values.user) !== undefined && (values.group === 'none' || id(values.group) !== undefined);
  if (!create && !assign) {
    console.error(GROUP_USAGE);
    return 2;
  }
  return withStore(config, async (store) => {
    if (create) {
      const groupId = await createVisibilityGroup(store.db, company, values.name as string, id(values.parent) ?? null);
      process.stdout.write(`${groupId}\n`);
    } else {
      await assignVisibilityGroup(store.db, company, id(values.user) as number, values.group === 'none' ? null : (id(values.group) as number));
    }
    return 0;
  });
}
