import type { Executor } from '../../store/executor.js';
import { hasActivityTypes, insertDefaultActivityTypes } from '../../store/repositories/activity-types.repository.js';
import { nowStored } from '../time.js';

/** Gives a company the types every company starts with (call, meeting, task, deadline, email, lunch). */
export async function seedActivityTypes(db: Executor, companyId: number): Promise<void> {
  await insertDefaultActivityTypes(db, companyId, nowStored());
}

/**
 * Before a company's types are read: one that never had any (made by a path that does not seed, such as a test
 * writing the companies table itself) gets the defaults now, as person fields are seeded on first use.
 */
export async function ensureActivityTypes(db: Executor, companyId: number): Promise<void> {
  if (!(await hasActivityTypes(db, companyId))) await seedActivityTypes(db, companyId);
}
