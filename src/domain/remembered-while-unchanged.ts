/** A value that changes whenever what is remembered may have changed; undefined: remember nothing now. */
export type ChangeStamp = () => string | undefined | Promise<string | undefined>;

const MAX_REMEMBERED = 10_000;

/**
 * Values per company that only change when the store's settings stamp moves (store/db.ts `settingsStamp`): read
 * once, then answered from memory until the stamp changes, when everything is forgotten at once. A value read after
 * the stamp was taken is at least as new as the stamp says, so it may be kept under it; a change committed later
 * moves the stamp the next request reads (on PostgreSQL behind a round trip that every earlier commit's
 * notification precedes), exactly as remembered API tokens are refused after a revocation.
 *
 * Only for reads in transactions that do not change what they read: a change made in the reader's own uncommitted
 * transaction moves no stamp on PostgreSQL.
 */
export class RememberedWhileUnchanged<V> {
  private stamp: string | undefined;
  private readonly values = new Map<number, V>();

  constructor(private readonly settingsStamp: ChangeStamp) {}

  /** The company's value, read by `read` unless remembered; `keep` says which values read may be remembered. */
  async get(companyId: number, read: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    let now: string | undefined;
    try {
      now = await this.settingsStamp();
    } catch {
      now = undefined; // the stamp is unreadable: read, remember nothing
    }
    if (now === undefined) return read();
    if (now !== this.stamp) {
      this.values.clear();
      this.stamp = now;
    }
    if (this.values.has(companyId)) return this.values.get(companyId) as V;
    const value = await read();
    if (this.stamp === now && keep(value)) {
      if (this.values.size >= MAX_REMEMBERED) this.values.clear();
      this.values.set(companyId, value);
    }
    return value;
  }
}
