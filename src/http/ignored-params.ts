import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../domain/errors.js';

/** Names the query parameters a route ignored, so a developer can spot a typo without the call failing. */
export const IGNORED_PARAMS_HEADER = 'x-personsd-ignored-params';

/**
 * Pipedrive ignores query parameters a route does not know; refusing them broke clients that add a harmless one.
 * Parameters the route's schema declares are still validated (a wrong value is a 400 naming it); anything else is
 * dropped before validation and listed in a response header.
 */
export function ignoreUnknownQueryParameters(app: FastifyInstance): void {
  app.addHook('preValidation', (request, reply, done) => {
    const ignored = dropUnknown(request);
    if (ignored.length === 0) return done();
    const narrowing = ignored.find((name) => NARROWING.has(name));
    if (narrowing) return done(invalid(`${narrowing} is not supported on this route yet; ignoring it would answer unfiltered results`));
    reply.header(IGNORED_PARAMS_HEADER, ignored.join(','));
    done();
  });
}

function dropUnknown(request: FastifyRequest): string[] {
  const declared = declaredParameters(request.routeOptions.schema?.querystring);
  const query = request.query as Record<string, unknown> | undefined;
  if (declared === undefined || query === null || typeof query !== 'object') return [];
  const ignored: string[] = [];
  for (const name of Object.keys(query)) {
    if (declared.has(name)) continue;
    ignored.push(name);
    delete query[name];
  }
  return ignored;
}

/** Parameters that narrow a list: ignoring one would hand back rows the caller asked to leave out. */
const NARROWING = new Set(['filter_id', 'pipeline_id', 'stage_id']);

const declaredCache = new WeakMap<object, Set<string>>();

/** The parameter names of a closed query schema; undefined for a route that takes any parameter. */
function declaredParameters(schema: unknown): Set<string> | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const object = schema as { properties?: Record<string, unknown>; additionalProperties?: unknown };
  if (object.additionalProperties !== false || object.properties === undefined) return undefined;
  let names = declaredCache.get(schema);
  if (!names) {
    names = new Set(Object.keys(object.properties));
    declaredCache.set(schema, names);
  }
  return names;
}
