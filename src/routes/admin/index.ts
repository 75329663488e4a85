import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { adminGuard } from '../../http/admin-guard.js';
import { adminClockRoutes } from './clock.js';
import { adminCompaniesRoutes } from './companies.js';
import { adminFixturesRoutes } from './fixtures.js';
import { adminFaultsRoutes } from './faults.js';
import { adminRequestsRoutes } from './requests.js';
import { adminSinksRoutes, sinkReceiverRoutes } from './sinks.js';
import { adminSnapshotsRoutes } from './snapshots.js';
import type { WebhookSinks } from '../../domain/testing/webhook-sinks.js';
import type { RequestJournal } from '../../http/request-journal.js';
import type { FaultSet } from '../../domain/testing/fault-set.js';

export interface AdminRoutesOptions {
  services: Services;
  adminToken: string;
  faults: FaultSet;
  journal: RequestJournal;
  sinks: WebhookSinks;
}

/**
 * The admin API for test suites, under /_personsd. Registered only when PERSONSD_ADMIN_TOKEN is set: otherwise no
 * such route exists and every /_personsd path answers like any unknown route.
 */
export async function adminRoutes(app: FastifyInstance, options: AdminRoutesOptions): Promise<void> {
  const { services } = options;
  await app.register(sinkReceiverRoutes, { sinks: options.sinks });
  await app.register(async (guarded) => {
    guarded.addHook('onRequest', adminGuard(options.adminToken));
    await guarded.register(adminCompaniesRoutes, { tenants: services.tenants });
    await guarded.register(adminFixturesRoutes, { services });
    await guarded.register(adminFaultsRoutes, { faults: options.faults, authenticate: services.authenticate, tenants: services.tenants });
    await guarded.register(adminRequestsRoutes, { journal: options.journal });
    await guarded.register(adminSinksRoutes, { sinks: options.sinks });
    await guarded.register(adminClockRoutes, { db: services.store.db });
    await guarded.register(adminSnapshotsRoutes, { snapshots: services.store.snapshots });
  });
}
