import { listAllUsers } from '../../store/repositories/users.repository.js';
import type { Config } from '../config.js';
import { withStore } from './with-store.js';

/** `personsd users [--company <id>]`: the users as a table on stdout, so an operator finds the id a command needs. */
export async function usersCommand(config: Config, options: { company?: number }): Promise<number> {
  return withStore(config, async (store) => {
    const users = await listAllUsers(store.db, options.company);
    if (users.length === 0) {
      console.error(
        options.company === undefined
          ? 'no users yet: the first `personsd serve` creates a company, its admin and a token'
          : `company ${options.company} has no users (or does not exist)`,
      );
      return 0;
    }
    const rows = [
      ['id', 'company', 'admin', 'active', 'name', 'email'],
      ...users.map((u) => [String(u.id), String(u.company_id), u.is_admin === 1 ? 'yes' : 'no', u.active_flag === 1 ? 'yes' : 'no', u.name, u.email]),
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    for (const row of rows) process.stdout.write(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ') + '\n');
    return 0;
  });
}
