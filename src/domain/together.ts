/**
 * Waits for steps of one transaction that were started at once because none needs another's result. Their
 * statements still reach the database one after another (Kysely runs a transaction's queries in turn on its one
 * connection); a step's JavaScript runs while another's statement is on its way. A failure is thrown only once every
 * step has finished, so no statement of a failed write is still on its way when the transaction rolls back.
 */
export async function together(steps: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(steps)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
