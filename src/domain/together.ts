/**
 * Waits for steps of one transaction that were started at once because none needs another's result. On PostgreSQL
 * their statements go out pipelined (postgres-client.ts), one round trip for all of them instead of one each; on
 * SQLite they run one after another as before. A failure is thrown only once every step has finished, so no
 * statement of a failed write is still on its way when the transaction rolls back.
 */
export async function together(steps: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(steps)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
