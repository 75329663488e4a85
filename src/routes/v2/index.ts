import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { ActivityV2, activitiesRoutes } from './activities.js';
import { activityFieldsRoutes } from './activity-fields.js';
import { dealsRoutes } from './deals.js';
import { itemSearchV2Routes } from './item-search.js';
import { Organization, organizationsRoutes } from './organizations.js';
import { fieldsV2Routes } from './person-fields.js';
import { PersonFieldV2 } from './person-fields.schemas.js';
import { personFollowersRoutes } from './person-followers.js';
import { recordFollowersRoutes } from './record-followers.js';
import { personIdentityRoutes } from './person-identity.js';
import { personPictureRoutes } from './person-picture.js';
import { personTransferRoutes } from './person-transfer.js';
import { personsRoutes } from './persons.js';
import { pipelinesRoutes } from './pipelines.js';
import { Person } from './persons.schemas.js';
import { searchRoutes } from './search.js';
import { userFollowersRoutes } from './user-followers.js';

/** Shared schemas the v2 routes refer to by $ref; added once to the app. */
export const v2Schemas = [Person, Organization, PersonFieldV2, ActivityV2];

export interface V2Options {
  services: Services;
  /** The largest import file (POST /api/v2/persons/import), in bytes. */
  importBodyLimit: number;
}

/** Every v2 route (served under /api/v2; the caller protects the scope). */
export async function v2Routes(scope: FastifyInstance, { services, importBodyLimit }: V2Options): Promise<void> {
  await scope.register(personsRoutes, { services });
  await scope.register(searchRoutes, { services });
  await scope.register(itemSearchV2Routes, { services });
  await scope.register(fieldsV2Routes, { services, entity: 'person' });
  await scope.register(fieldsV2Routes, { services, entity: 'organization' });
  await scope.register(fieldsV2Routes, { services, entity: 'deal' });
  await scope.register(organizationsRoutes, { services });
  await scope.register(dealsRoutes, { services });
  await scope.register(pipelinesRoutes, { services });
  await scope.register(activitiesRoutes, { services });
  await scope.register(activityFieldsRoutes, { services });
  await scope.register(personFollowersRoutes, { services });
  await scope.register(recordFollowersRoutes, { services, entity: 'organization' });
  await scope.register(recordFollowersRoutes, { services, entity: 'deal' });
  await scope.register(personPictureRoutes, { services });
  await scope.register(personIdentityRoutes, { services });
  await scope.register(personTransferRoutes, { services, importBodyLimit });
  await scope.register(userFollowersRoutes, { services });
}
