/**
 * A value that changes whenever what is remembered may have changed; undefined: remember nothing now. `since` (a
 * `performance.now()` reading, an Actor's `arrivedAt`) asks only for the changes committed before that moment, which
 * a check already made for the same request may answer.
 */
export type ChangeStamp = (since?: number) => string | undefined | Promise<string | undefined>;

const MAX_REMEMBERED = 10_000;

/**
 * Values per key (a company, an API token) that only change when the store's settings stamp moves (store/db.ts
 * `settingsStamp`): read once, then answered from memory until the stamp changes, when everything is forgotten at
 * once. At most MAX_REMEMBERED keys are held, in this process's memory only. A value read after
 * the stamp was taken is at least as new as the stamp says, so it may be kept under it; a change committed later
 * moves the stamp the next request reads (on PostgreSQL behind a round trip that every earlier commit's
 * notification precedes), exactly as remembered API tokens are refused after a revocation.
 *
 * Only for reads in transactions that do not change what they read: a change made in the reader's own uncommitted
 * transaction moves no stamp on PostgreSQL.
 */
export class RememberedWhileUnchanged<V, K extends number | string = number> {
  private stamp: string | undefined;
  private readonly values = new Map<K, V>();

  constructor(private readonly settingsStamp: ChangeStamp) {}

  /**
   * The key's value, read by `read` unless remembered; `keep` says which values read may be remembered; `since`, when
   * the request asking arrived (`Actor.arrivedAt`): changes committed after it need not be seen.
   */
  async get(key: K, read: () => Promise<V>, { keep = () => true, since }: { keep?: (value: V) => boolean; since?: number } = {}): Promise<V> {
    let now: string | undefined;
    try {
      now = await this.settingsStamp(since);
    } catch {
      now = undefined; // the stamp is unreadable: read, remember nothing
    }
    if (now === undefined) return read();
    if (now !== this.stamp) {
      this.values.clear();
      this.stamp = now;
    }
    if (this.values.has(key)) return this.values.get(key) as V;
    const value = await read();
    if (this.stamp === now && keep(value)) {
      if (this.values.size >= MAX_REMEMBERED) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
