/**
 * What each API operation costs and which OAuth scopes it accepts, taken from the `x-token-cost` and
 * `security: - oauth2: [...]` of the operation in Pipedrive's v1 and v2 specs. Keys are `version METHOD path`
 * with every path parameter written `{}`. A route listed here needs ANY ONE of its scopes.
 *
 * A route missing from the table fails safe: it costs what Pipedrive's generic rule says for its kind (see
 * genericCost) and an OAuth token needs the `admin` scope for it. So a route added later without a row here is
 * reachable with an API token and an admin-scoped OAuth token only, never silently open to every app.
 */
const SPEC_OPERATIONS: Record<string, readonly [cost: number, scopes: readonly string[]]> = {
  'v1 GET /organizations/{}/changelog': [20, ['recents:read']],
  'v1 GET /organizations/{}/flow': [40, ['recents:read']],
  'v1 GET /organizations/{}/followers': [20, ['contacts:read', 'contacts:full']],
  'v1 POST /organizations/{}/followers': [10, ['contacts:full']],
  'v1 DELETE /organizations/{}/followers/{}': [6, ['contacts:full']],
  'v1 PUT /organizations/{}/merge': [40, ['contacts:full']],
  'v1 GET /organizations/{}/permittedUsers': [10, ['contacts:read', 'contacts:full']],
  'v1 GET /persons/{}/changelog': [20, ['recents:read']],
  'v1 GET /persons/{}/flow': [40, ['recents:read']],
  'v1 GET /persons/{}/followers': [20, ['contacts:read', 'contacts:full']],
  'v1 POST /persons/{}/followers': [10, ['contacts:full']],
  'v1 DELETE /persons/{}/followers/{}': [6, ['contacts:full']],
  'v1 PUT /persons/{}/merge': [40, ['contacts:full']],
  'v1 GET /persons/{}/permittedUsers': [10, ['contacts:read', 'contacts:full']],
  'v1 DELETE /persons/{}/picture': [6, ['contacts:full']],
  'v1 POST /persons/{}/picture': [10, ['contacts:full']],
  'v1 GET /personFields': [20, ['contacts:read', 'contacts:full', 'contact-fields:full', 'admin']],
  'v1 POST /personFields': [10, ['contact-fields:full', 'admin']],
  'v1 DELETE /personFields': [10, ['contact-fields:full', 'admin']],
  'v1 GET /personFields/{}': [2, ['contacts:read', 'contacts:full', 'contact-fields:full', 'admin']],
  'v1 DELETE /personFields/{}': [6, ['contact-fields:full', 'admin']],
  'v1 PUT /personFields/{}': [10, ['contact-fields:full', 'admin']],
  'v1 GET /users': [20, ['users:read']],
  'v1 POST /users': [10, ['admin']],
  'v1 GET /users/find': [40, ['users:read']],
  'v1 GET /users/me': [2, ['base']],
  'v1 GET /users/{}': [2, ['users:read']],
  'v1 PUT /users/{}': [10, ['admin']],
  'v1 GET /users/{}/followers': [20, ['users:read']],
  'v1 GET /webhooks': [10, ['admin']],
  'v1 POST /webhooks': [10, ['admin']],
  'v1 DELETE /webhooks/{}': [6, ['admin']],
  'v2 GET /deals': [10, ['deals:read', 'deals:full']],
  'v2 POST /deals': [5, ['deals:full']],
  'v2 DELETE /deals/{}': [3, ['deals:full']],
  'v2 GET /deals/{}': [1, ['deals:read', 'deals:full']],
  'v2 PATCH /deals/{}': [5, ['deals:full']],
  'v2 GET /deals/{}/followers': [10, ['deals:read', 'deals:full']],
  'v2 POST /deals/{}/followers': [5, ['deals:full']],
  'v2 DELETE /deals/{}/followers/{}': [3, ['deals:full']],
  'v2 GET /deals/search': [20, ['deals:read', 'deals:full', 'search:read']],
  'v2 GET /persons': [10, ['contacts:read', 'contacts:full']],
  'v2 POST /persons': [5, ['contacts:full']],
  'v2 DELETE /persons/{}': [3, ['contacts:full']],
  'v2 GET /persons/{}': [1, ['contacts:read', 'contacts:full']],
  'v2 PATCH /persons/{}': [5, ['contacts:full']],
  'v2 GET /persons/{}/followers': [10, ['contacts:read', 'contacts:full']],
  'v2 POST /persons/{}/followers': [5, ['contacts:full']],
  'v2 GET /persons/{}/followers/changelog': [10, ['contacts:read', 'contacts:full']],
  'v2 DELETE /persons/{}/followers/{}': [3, ['contacts:full']],
  'v2 GET /persons/{}/picture': [1, ['contacts:read', 'contacts:full']],
  // personsd's own: the image behind the picture URLs, priced and scoped like the picture object.
  'v2 GET /persons/{}/picture/{}': [1, ['contacts:read', 'contacts:full']],
  // personsd's identity extensions, priced like their nearest Pipedrive operations and scoped as person reads and writes.
  'v2 GET /persons/{}/duplicates': [10, ['contacts:read', 'contacts:full']],
  'v2 POST /persons/{}/unmerge': [40, ['contacts:full']],
  'v2 POST /persons/import': [100, ['contacts:full']],
  'v2 GET /persons/export': [20, ['contacts:read', 'contacts:full']],
  // GET /persons/{id}.vcf has the key of GET /persons/{id} (routeKey reads `:id.vcf` as one parameter): priced and scoped as that read.
  'v2 GET /identitySettings': [1, ['contacts:read', 'contacts:full', 'admin']],
  'v2 PATCH /identitySettings': [5, ['admin']],
  'v2 GET /personFields': [10, ['contacts:read', 'contacts:full', 'admin', 'contact-fields:full']],
  'v2 POST /personFields': [5, ['admin', 'contact-fields:full']],
  'v2 GET /personFields/{}': [1, ['contacts:read', 'contacts:full', 'admin', 'contact-fields:full']],
  'v2 PATCH /personFields/{}': [5, ['contacts:full', 'admin', 'contact-fields:full']],
  'v2 DELETE /personFields/{}': [3, ['admin', 'contact-fields:full']],
  'v2 POST /personFields/{}/options': [5, ['contacts:full', 'admin', 'contact-fields:full']],
  'v2 DELETE /personFields/{}/options': [3, ['contacts:full', 'admin', 'contact-fields:full']],
  'v2 PATCH /personFields/{}/options': [5, ['contacts:full', 'admin', 'contact-fields:full']],
  'v2 GET /organizations': [10, ['contacts:read', 'contacts:full']],
  'v2 POST /organizations': [5, ['contacts:full']],
  'v2 DELETE /organizations/{}': [3, ['contacts:full']],
  'v2 GET /organizations/{}': [1, ['contacts:read', 'contacts:full']],
  'v2 PATCH /organizations/{}': [5, ['contacts:full']],
  'v2 GET /organizations/{}/followers': [10, ['contacts:read', 'contacts:full']],
  'v2 POST /organizations/{}/followers': [5, ['contacts:full']],
  'v2 GET /organizations/{}/followers/changelog': [10, ['contacts:read', 'contacts:full']],
  'v2 DELETE /organizations/{}/followers/{}': [3, ['contacts:full']],
  'v2 GET /organizations/search': [20, ['contacts:read', 'contacts:full', 'search:read']],
  'v2 GET /persons/search': [20, ['contacts:read', 'contacts:full', 'search:read']],
  'v2 GET /itemSearch': [20, ['search:read']],
  'v2 GET /itemSearch/field': [20, ['search:read']],
  // The v1 spec no longer lists v1 item search; Pipedrive's generic v1 search cost, and v2's scope.
  'v1 GET /itemSearch': [40, ['search:read']],
  'v1 GET /itemSearch/field': [40, ['search:read']],
};

export type ApiVersion = 'v1' | 'v2';

export interface Operation {
  version: ApiVersion;
  /** Token cost against the company's daily budget. */
  cost: number;
  /** OAuth scopes of which a token needs one. */
  scopes: readonly string[];
  /** Search routes have their own, smaller burst window. */
  search: boolean;
  /** False when the route has no row in the table and the fail-safe defaults apply. */
  mapped: boolean;
}

export const UNMAPPED_ROUTE_SCOPES: readonly string[] = ['admin'];

/** The route as Fastify knows it (`/api/v2/persons/:id`), as a table key's version and path (`v2`, `/persons/{}`). */
export function routeKey(routeUrl: string): { version: ApiVersion; path: string } | undefined {
  const match = /^(?:\/api)?\/(v1|v2)(\/.*)$/.exec(routeUrl);
  if (!match) return undefined;
  const version = match[1] as ApiVersion;
  if (version === 'v2' && !routeUrl.startsWith('/api/')) return undefined;
  return { version, path: match[2].replace(/:[^/]+/g, '{}').replace(/\/+$/, '') };
}

const isSearchPath = (path: string) => /\/(search|itemSearch)(\/|$)/.test(path);

/**
 * Pipedrive's rule for operations without their own cost: v1 get 2, list 20, update 10, delete 6, search 40;
 * v2 about half (1, 10, 5, 3, 20). A path ending in a parameter reads one item; otherwise it lists.
 */
export function genericCost(version: ApiVersion, method: string, path: string): number {
  const v1 = (() => {
    if (isSearchPath(path)) return 40;
    switch (method) {
      case 'GET':
      case 'HEAD':
        return path.endsWith('{}') ? 2 : 20;
      case 'DELETE':
        return 6;
      default:
        return 10;
    }
  })();
  return version === 'v1' ? v1 : Math.ceil(v1 / 2);
}

/** The operation behind a matched route, or undefined for routes outside /v1 and /api/v2 (health, docs, OAuth). */
export function operationFor(method: string, routeUrl: string): Operation | undefined {
  const key = routeKey(routeUrl);
  if (!key) return undefined;
  const verb = method === 'HEAD' ? 'GET' : method;
  const row = SPEC_OPERATIONS[`${key.version} ${verb} ${key.path}`];
  const search = isSearchPath(key.path);
  if (row) return { version: key.version, cost: row[0], scopes: row[1], search, mapped: true };
  return { version: key.version, cost: genericCost(key.version, verb, key.path), scopes: UNMAPPED_ROUTE_SCOPES, search, mapped: false };
}
