#!/usr/bin/env node
// Bundles the server (src/app/main.ts and every module and package it imports) into dist/bundle/, which
// bin/personsd.js runs. Loading ~1,600 separate files (TypeBox, Kysely, libphonenumber, Ajv, Fastify and personsd's
// own) was most of a start's CPU; one bundle with a chunk per lazily loaded command cuts it (docs/benchmarks.md,
// "Start"). Packages that find files beside their own code, or are native, stay in node_modules.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

export const SERVER_EXTERNAL = [
  'better-sqlite3', // native; its worker threads load it by path
  'sharp', // native
  'pg-native', // pg's optional native binding
  '@fastify/swagger-ui', // serves the static files beside its code
  'pino', // starts transports from files by path
  'ioredis', // loaded on demand (REDIS_URL); bundled, its CommonJS exports lost the named `Redis` class
];

/** Bundled CommonJS packages call require(); an ES module has none of its own. */
export const REQUIRE_BANNER = "import { createRequire as __personsdRequire } from 'node:module'; const require = __personsdRequire(import.meta.url);";

export async function bundleServer(root) {
  const outdir = join(root, 'dist', 'bundle');
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'src/app/main.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: SERVER_EXTERNAL,
    banner: { js: REQUIRE_BANNER },
    // No keepNames: it wraps every function expression in a call that sets its name, each time one is made; nothing
    // here reads a function's or class's name (errors set theirs).
    sourcemap: true,
    logLevel: 'error',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundleServer(join(import.meta.dirname, '..'));
