import type BetterSqlite3 from 'better-sqlite3';
import { type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, SqliteDialect, type SqliteDatabase } from 'kysely';
import { WriteLoad } from './write-load.js';
import type { WriteTurns } from './write-turns.js';

/**
 * Kysely's SQLite dialect with a driver of our own, for three reasons.
 *
 * IMMEDIATE transactions. Kysely begins DEFERRED ones; a deferred transaction that reads and then writes fails at
 * once with SQLITE_BUSY when another process wrote in between (the busy timeout does not apply to that upgrade),
 * which is what several processes on one file do all day. IMMEDIATE takes the write lock at BEGIN, waiting up to
 * busy_timeout for it, so transactions from several processes queue instead of failing.
 *
 * Group commit. The commit is the costliest statement of a person's create (docs/benchmarks.md). While writes arrive
 * faster than one a turn of the event loop (WriteLoad), each write transaction runs in a savepoint of one open
 * transaction, and the transaction commits when the turn ends: each member's promise settles only after that COMMIT,
 * so an answered write is as durable as before, and a member that fails rolls back its savepoint alone. A query
 * outside any transaction commits the open group first, so it never reads what is not yet committed.
 *
 * Write turns (write-turns.ts). In the processes of `serve --workers N` a write transaction begins only in this
 * process's turn, asked of the primary: while it waits, the connection serves this process's other queries, instead
 * of the process sleeping in SQLite's busy handler until a sibling's write lock is released.
 */
export function sqliteDialect(
  database: SqliteDatabase,
  raw: BetterSqlite3.Database,
  options: { turns?: WriteTurns } = {},
): { dialect: SqliteDialect; driver: SqliteDriver } {
  const driver = new SqliteDriver(database, raw, options.turns);
  const dialect = new (class extends SqliteDialect {
    override createDriver(): Driver {
      return driver;
    }
  })({ database });
  return { dialect, driver };
}

const MEMBER = 'personsd_group_member';

interface Group {
  waiting: { resolve: () => void; reject: (error: unknown) => void }[];
}

type LeaseState = 'idle' | 'alone' | 'member' | 'awaiting-commit';

/** One acquisition of the single connection; Kysely hands it back to release it. */
class Lease implements DatabaseConnection {
  state: LeaseState = 'idle';
  releasedEarly = false;

  constructor(private readonly driver: SqliteDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.state === 'idle') this.driver.commitOpenGroup();
    return Promise.resolve(this.driver.run<R>(query));
  }

  // Part of Kysely's interface; nothing in personsd streams a query.
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported here');
  }
}

export class SqliteDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #load = new WriteLoad();
  #group: Group | undefined;
  /** Whether this process holds its write turn: granted and not yet used, or in use while SQLite's transaction is open. */
  #holdsTurn = false;
  #turnAsked: Promise<void> | undefined;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly raw: BetterSqlite3.Database,
    private readonly turns?: WriteTurns,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return new Lease(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    this.#load.count();
    // One process (no turns) begins at once, as before turns existed: no await before its BEGIN.
    const waited = this.turns !== undefined && (await this.#awaitTurn(this.turns));
    if (this.#group === undefined) {
      try {
        this.#exec('begin immediate');
      } finally {
        this.#settleTurn();
      }
      // Having waited for the turn, other writes of this process have likely queued behind it: they join its group.
      if (!(this.#load.busy || waited)) {
        lease.state = 'alone';
        return;
      }
      this.#group = { waiting: [] };
      // When the turn ends, the commit takes the connection in its turn (exclusively commits the open group).
      setImmediate(() => void this.exclusively(() => undefined));
    }
    this.#exec(`savepoint ${MEMBER}`);
    lease.state = 'member';
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.state === 'alone') {
      try {
        this.#exec('commit');
      } finally {
        this.#settleTurn();
      }
      lease.state = 'idle';
      return;
    }
    this.#exec(`release ${MEMBER}`);
    const group = this.#group as Group;
    const committed = new Promise<void>((resolve, reject) => group.waiting.push({ resolve, reject }));
    lease.state = 'awaiting-commit';
    lease.releasedEarly = true;
    this.#mutex.unlock();
    await committed;
    lease.state = 'idle';
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const state = lease.state;
    lease.state = 'idle';
    // A member whose group failed to commit was rolled back with it; SQLite itself ends a transaction on some
    // errors (a full disk, an I/O error), and then an open group's earlier members are lost with it.
    if (state === 'awaiting-commit') return;
    try {
      if (!this.raw.inTransaction) {
        if (state === 'member') this.#failGroup(new Error('the database ended the transaction after an error'));
        return;
      }
      if (state === 'alone') this.#exec('rollback');
      else {
        this.#exec(`rollback to ${MEMBER}`);
        this.#exec(`release ${MEMBER}`);
      }
    } finally {
      this.#settleTurn();
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection as Lease).releasedEarly) this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    this.database.close();
  }

  /** Runs `work` with the connection to itself and every accepted write committed (snapshots copy the file). */
  async exclusively<T>(work: () => T): Promise<T> {
    await this.#mutex.lock();
    try {
      this.commitOpenGroup();
      return work();
    } finally {
      this.#mutex.unlock();
    }
  }

  /** Commits the open group now; called with the connection held, so no member is halfway through. */
  commitOpenGroup(): void {
    const group = this.#group;
    if (group === undefined) return;
    this.#group = undefined;
    try {
      this.#exec('commit');
    } catch (error) {
      if (this.raw.inTransaction) this.#exec('rollback');
      for (const member of group.waiting) member.reject(error);
      return;
    } finally {
      this.#settleTurn();
    }
    for (const member of group.waiting) member.resolve();
  }

  run<R>(query: CompiledQuery): QueryResult<R> {
    const statement = this.database.prepare(query.sql);
    if (statement.reader) return { rows: statement.all(query.parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(query.parameters);
    return { numAffectedRows: BigInt(changes), insertId: lastInsertRowid === undefined ? undefined : BigInt(lastInsertRowid), rows: [] };
  }

  /**
   * With the connection held and no group open to join, waits for this process's write turn, handing the connection
   * to other queries meanwhile. Leases that ask while a turn is on its way share the one request; the first to hold
   * the connection once it is granted uses it, and the others join its group or ask again once it has ended.
   */
  async #awaitTurn(turns: WriteTurns): Promise<boolean> {
    let waited = false;
    while (this.#group === undefined && !this.#holdsTurn) {
      this.#mutex.unlock();
      try {
        this.#turnAsked ??= turns.take().then(
          () => {
            this.#turnAsked = undefined;
            this.#holdsTurn = true;
          },
          (error: unknown) => {
            this.#turnAsked = undefined;
            throw error;
          },
        );
        waited = true;
        await this.#turnAsked;
      } finally {
        await this.#mutex.lock();
      }
    }
    return waited;
  }

  /** Called where a transaction may have ended (or failed to begin): gives back a turn no transaction uses. */
  #settleTurn(): void {
    if (this.turns === undefined || !this.#holdsTurn || this.raw.inTransaction) return;
    this.#holdsTurn = false;
    this.turns.give();
  }

  #failGroup(error: Error): void {
    const group = this.#group;
    this.#group = undefined;
    for (const member of group?.waiting ?? []) member.reject(error);
  }

  #exec(sql: string): void {
    this.database.prepare(sql).run([]);
  }
}

/** First come, first served: a group's commit waits behind exactly the requests that were waiting before it. */
class Mutex {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  unlock(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}
