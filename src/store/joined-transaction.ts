import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * The transaction as a database whose own transactions join it: code that opens `db.transaction()` for each
 * write (every service) then runs inside the caller's one transaction, so a batch of such writes commits or
 * rolls back whole. Methods are bound to the transaction itself (Kysely keeps its state in private fields).
 */
export function joinOuterTransaction(trx: Transaction<Database>): Kysely<Database> {
  const joined: Kysely<Database> = new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => ({ execute: <T>(work: (db: Kysely<Database>) => Promise<T>) => work(joined) });
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Kysely<Database>;
  return joined;
}
