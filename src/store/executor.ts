import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Repositories take either the database or an open transaction, so a service decides the transaction's scope. */
export type Executor = Kysely<Database> | Transaction<Database>;
