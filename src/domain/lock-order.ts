/**
 * Locks records in ascending id order, whatever order the caller names them in, so two transactions locking the same
 * pair (two merges of the same organizations or deals, either way round) wait for each other instead of deadlocking.
 */
export async function lockInIdOrder<T>(ids: readonly number[], lock: (id: number) => Promise<T | undefined>): Promise<Map<number, T | undefined>> {
  const locked = new Map<number, T | undefined>();
  for (const id of [...new Set(ids)].sort((a, b) => a - b)) locked.set(id, await lock(id));
  return locked;
}
