// Compiles the test files (and all they import from src/ and from most packages) into plain JavaScript once per run,
// so each test process loads a few bundled chunks instead of transpiling a few hundred TypeScript modules through
// tsx's loader (that halved the CPU a test file spends before its first test, about 1.7 s to 0.8 s per process) or
// loading some 1,200 files of packages one by one (bundling them saved another 0.4 s of CPU per process on a slow VM).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { REQUIRE_BANNER, SERVER_EXTERNAL, bundleServer } from './bundle.js';

/**
 * Bundling moves code into shared chunks, so `import.meta.url` would point at a chunk. Tests and sources find the
 * CLI, the README and fixtures relative to themselves: each file keeps its own location.
 */
const ownLocation = (root) => ({
  name: 'own-location',
  setup(build) {
    build.onResolve({ filter: /^personsd\/testing$/ }, () => ({ path: join(root, 'src/app/testing.ts') }));
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
});

// The packages the server keeps out of its bundle, and the test tools: the official clients (each test of them loads
// the one it drives), the browser driver, the build tools.
const TEST_EXTERNAL = [...SERVER_EXTERNAL, 'pg', 'playwright-core', 'pipedrive', 'pipedrive-v22', 'pipedrive-v24', 'esbuild', 'vite', 'tsx', 'autocannon'];

/** Builds the given test files into outdir, keeping their paths; returns the built path of each. */
export async function buildTests(root, files, outdir) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: files,
    outdir,
    outbase: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: TEST_EXTERNAL,
    banner: { js: REQUIRE_BANNER },
    // No keepNames, as in the server's bundle (scripts/bundle.js): setting names at run time cost the in-process
    // servers about a third more CPU per request.
    logLevel: 'error',
    plugins: [ownLocation(root)],
  });
  return new Map(files.map((file) => [file, join(outdir, file.replace(/\.ts$/, '.js'))]));
}

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Bundles the server again (scripts/bundle.js, about two seconds) when a source is newer than dist/bundle/. The CLI
 * and process tests start `bin/personsd.js`, which runs the bundle only when it is current and goes through tsx
 * otherwise: several seconds of CPU per start, which after an edit would double those tests' time.
 */
export async function refreshDist(root) {
  const main = join(root, 'dist', 'bundle', 'main.js');
  if (existsSync(main) && newestIn(join(root, 'src')) <= statSync(main).mtimeMs) return false;
  await bundleServer(root);
  return true;
}

/**
 * Builds the web console (console/ → dist/console, vite) when a file of console/ is newer than the last build, so
 * the browser tests and the server's `/` always serve the current sources. About two seconds; nothing when current.
 */
export async function refreshConsole(root) {
  const index = join(root, 'dist', 'console', 'index.html');
  const sources = join(root, 'console');
  if (!existsSync(sources)) return false;
  if (existsSync(index) && newestIn(sources) <= statSync(index).mtimeMs) return false;
  const { build } = await import('vite');
  await build({ configFile: join(sources, 'vite.config.mjs'), logLevel: 'error' });
  return true;
}
