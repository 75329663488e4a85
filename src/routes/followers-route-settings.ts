import type { Services } from '../app/services.js';
import type { KnownScope } from '../domain/access/scopes.js';
import type { FollowedEntity, RecordFollowersService } from '../domain/record-followers/record-followers.service.js';

/** What the followers routes of organizations and deals differ in (scopes from the specs). */
export function followersRouteSettings(services: Services, entity: FollowedEntity) {
  const isDeal = entity === 'deal';
  const service: RecordFollowersService = isDeal ? services.dealFollowers : services.organizationFollowers;
  const read: KnownScope[] = isDeal ? ['deals:read', 'deals:full'] : ['contacts:read', 'contacts:full'];
  const write: KnownScope[] = isDeal ? ['deals:full'] : ['contacts:full'];
  return { service, path: isDeal ? 'deals' : 'organizations', one: isDeal ? 'a deal' : 'an organization', read, write, tag: isDeal ? 'Deals' : 'Organizations' };
}
