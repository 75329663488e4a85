/** Named copies of the whole database that a test suite takes and goes back to (the admin API's snapshots). */
export interface Snapshots {
  take(name: string): Promise<void>;
  /** Puts every table back as it was when the snapshot was taken; false when there is no such snapshot. */
  restore(name: string): Promise<boolean>;
  list(): Promise<string[]>;
  remove(name: string): Promise<boolean>;
  /** Drops every snapshot (the store closes). */
  dispose(): Promise<void>;
}

export const SNAPSHOT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Kysely's own bookkeeping stays as it is: a snapshot never moves the schema back. */
export const isMigrationTable = (name: string) => name.startsWith('kysely_');
