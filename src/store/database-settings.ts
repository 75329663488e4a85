/** Which database the store opens, and how it treats PostgreSQL connections. */
export type DatabaseConfig =
  | { dialect: 'sqlite'; path: string }
  | ({ dialect: 'postgres'; url: string } & PostgresSettings);

export interface PostgresSettings {
  /** Connections each process keeps open at most. */
  poolSize: number;
  /** How long to wait for a connection (a new one, or a free one from a busy pool) before the request fails with 503. */
  connectTimeoutMs: number;
  /** Longest a single SQL statement may run (0 = no limit); migrations run without it. */
  statementTimeoutMs: number;
  /**
   * Where to LISTEN for credential and settings changes (see settings-signal.ts): the database URL itself unless
   * set; a direct connection when DATABASE_URL goes through a transaction-pooling PgBouncer, which cannot deliver
   * notifications; `false` remembers no tokens and no settings at all.
   */
  listenUrl?: string | false;
}

export const DEFAULT_POSTGRES_SETTINGS: PostgresSettings = { poolSize: 10, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 };
