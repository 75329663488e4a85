import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { ActivityV1Schema, activitiesV1Routes } from './activities.js';
import { ActivityTypeV1Schema, activityTypesRoutes } from './activity-types.js';
import { DealV1 } from './deals.schemas.js';
import { dealsV1Routes } from './deals.js';
import { FilterV1Schemas, filtersRoutes } from './filters.js';
import { itemSearchRoutes } from './item-search.js';
import { NoteCommentV1Schema, noteCommentsRoutes } from './note-comments.js';
import { NoteV1Schema, notesRoutes } from './notes.js';
import { OrganizationV1 } from './organizations.schemas.js';
import { organizationsV1Routes } from './organizations.js';
import { PersonFieldV1, fieldsV1Routes } from './person-fields.js';
import { personFollowersV1Routes } from './person-followers.js';
import { recordFollowersV1Routes } from './record-followers.js';
import { personHistoryRoutes } from './person-history.js';
import { recordHistoryRoutes } from './record-history.js';
import { personMergeRoutes } from './person-merge.js';
import { personPermittedUsersRoutes } from './person-permitted-users.js';
import { personPictureV1Routes } from './person-picture.js';
import { PersonV1 } from './persons.schemas.js';
import { personsV1Routes } from './persons.js';
import { pipelinesV1Routes } from './pipelines.js';
import { userAccessRoutes } from './user-access.js';
import { UserV1Schema, usersRoutes } from './users.js';
import { WebhookV1Schema, webhooksRoutes } from './webhooks.js';

/** Shared schemas the v1 routes refer to by $ref; added once to the app. */
export const v1Schemas = [UserV1Schema, PersonFieldV1, WebhookV1Schema, PersonV1, NoteV1Schema, NoteCommentV1Schema, ActivityV1Schema, ActivityTypeV1Schema, OrganizationV1, DealV1, ...FilterV1Schemas];

/** Every v1 route (Pipedrive serves them under /v1 and /api/v1; the caller picks the prefix and protects the scope). */
export async function v1Routes(scope: FastifyInstance, { services }: { services: Services }): Promise<void> {
  await scope.register(usersRoutes, { services });
  await scope.register(userAccessRoutes, { services });
  await scope.register(webhooksRoutes, { services });
  await scope.register(fieldsV1Routes, { services, entity: 'person' });
  await scope.register(fieldsV1Routes, { services, entity: 'organization' });
  await scope.register(fieldsV1Routes, { services, entity: 'deal' });
  await scope.register(itemSearchRoutes, { services });
  await scope.register(personFollowersV1Routes, { services });
  await scope.register(recordFollowersV1Routes, { services, entity: 'organization' });
  await scope.register(recordFollowersV1Routes, { services, entity: 'deal' });
  await scope.register(personHistoryRoutes, { services });
  await scope.register(recordHistoryRoutes, { services });
  await scope.register(personPermittedUsersRoutes, { services });
  await scope.register(personPictureV1Routes, { services });
  await scope.register(personMergeRoutes, { services });
  await scope.register(personsV1Routes, { services });
  await scope.register(organizationsV1Routes, { services });
  await scope.register(dealsV1Routes, { services });
  await scope.register(notesRoutes, { services });
  await scope.register(noteCommentsRoutes, { services });
  await scope.register(activitiesV1Routes, { services });
  await scope.register(activityTypesRoutes, { services });
  await scope.register(filtersRoutes, { services });
  await scope.register(pipelinesV1Routes, { services });
}
