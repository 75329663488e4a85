import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { ErrorObject } from 'ajv';
import { madeOnce } from '../store/made-once.js';

/*
 * Route schemas are compiled on a route's first request instead of at start. Compiling all ~300 validators and
 * serializers took about 0.6 s of CPU per app (a third of a cold start, and most of each test file's set-up),
 * while a process typically serves a few dozen routes; the first call of a route pays its ~2 ms once.
 */

interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * The process's compiled validators and serializers by what they are compiled from (a part's schema as JSON text): an
 * app built again in the same process (each test file's server, a restarted app) reuses them instead of compiling
 * each route afresh, which was about 14% of a test process's CPU.
 */
const compiledBySource = new Map<string, unknown>();

export const compiledOnce = <T>(key: string, compile: () => T): T => madeOnce(compiledBySource, key, compile) as T;

/** A short number for each distinct set of an app's shared schemas and options (their JSON text is long). */
const sharedSets = new Map<string, number>();

/** A validator that compiles itself when first called, and carries the compiled one's errors like Ajv's do. */
export function lazyValidator(compile: () => Validator): Validator {
  let compiled: Validator | undefined;
  const validate: Validator = (data) => {
    compiled ??= compile();
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = null;
  return validate;
}

type SerializerFactory = (externalSchemas: unknown, options: unknown) => (route: unknown) => (data: unknown) => string;

/** Fastify's own response serializer (fast-json-stringify), built per route on the route's first response. */
export function lazySerializerFactory(): SerializerFactory {
  const build = SerializerSelector() as unknown as SerializerFactory;
  return (externalSchemas, options) => {
    const compilerFor = build(externalSchemas, options);
    // What every serializer of this app is compiled with besides its own schema, looked up once per app.
    let shared: number | undefined;
    return (route) => {
      let serialize: ((data: unknown) => string) | undefined;
      return (data) => {
        if (serialize === undefined) {
          shared ??= madeOnce(sharedSets, JSON.stringify([externalSchemas, options]), () => sharedSets.size + 1);
          const key = `serializer\n${shared}\n${JSON.stringify((route as { schema: unknown }).schema)}`;
          serialize = compiledOnce(key, () => compilerFor(route));
        }
        return serialize(data);
      };
    };
  };
}
