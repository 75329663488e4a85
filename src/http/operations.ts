import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import type { KnownScope } from '../domain/access/scopes.js';

/*
 * Every API route declares, in its Fastify route `config`, what it costs and which OAuth scopes it accepts, taken
 * from the `x-token-cost` and `security: - oauth2: [...]` of the operation in Pipedrive's v1 and v2 specs (for
 * personsd's own routes: the nearest Pipedrive operation's). A route needs ANY ONE of its scopes. An API route
 * without both refuses to register, so none can be added without them.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Token cost against the company's daily budget. */
    cost?: number;
    /** OAuth scopes of which a token needs one (Pipedrive's names: a typo does not compile). */
    scopes?: readonly KnownScope[];
  }
  interface FastifyInstance {
    /** Every API operation registered so far, as declared by its route. */
    operations: Operation[];
  }
}

export type ApiVersion = 'v1' | 'v2';

export interface Operation {
  method: string;
  /** The route as Fastify knows it, e.g. `/api/v2/persons/:id`. */
  url: string;
  version: ApiVersion;
  cost: number;
  scopes: readonly string[];
  /** Search routes have their own, smaller burst window. */
  search: boolean;
}

/** What an OAuth token needs where no route matched (a 404): nothing short of admin learns what is there. */
export const UNMAPPED_ROUTE_SCOPES: readonly string[] = ['admin'];

/** The API version of a route (`/v1/…`, `/api/v1/…`, `/api/v2/…`), or undefined outside the API (health, docs, OAuth). */
export function apiVersionOf(routeUrl: string): ApiVersion | undefined {
  const match = /^(?:\/api)?\/(v1|v2)\//.exec(routeUrl);
  if (!match || (match[1] === 'v2' && !routeUrl.startsWith('/api/'))) return undefined;
  return match[1] as ApiVersion;
}

const isSearchPath = (url: string) => /\/(search|itemSearch)(\/|$)/.test(url);

/** The operation behind a matched route, from the route's own config; undefined outside the API. */
export function operationOf(method: string, routeUrl: string, config: FastifyContextConfig): Operation | undefined {
  const version = apiVersionOf(routeUrl);
  if (!version || config.cost === undefined || config.scopes === undefined) return undefined;
  return { method, url: routeUrl, version, cost: config.cost, scopes: config.scopes, search: isSearchPath(routeUrl) };
}

/** Makes every route registered in `scope` declare its cost and scopes, and lists it in `catalogue`. */
export function requireDeclaredOperations(scope: FastifyInstance, catalogue: Operation[]): void {
  scope.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as FastifyContextConfig;
    const url = route.url;
    if (typeof config.cost !== 'number' || !Array.isArray(config.scopes) || config.scopes.length === 0) {
      throw new Error(`${String(route.method)} ${url} declares no cost or no OAuth scopes (route config: { cost, scopes })`);
    }
    for (const method of [route.method].flat()) {
      const operation = operationOf(method, url, config);
      if (operation) catalogue.push(operation);
    }
  });
}
