import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` writes the console (vite, console/vite.config.mjs): dist/console, from src/routes or dist/routes. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** Paths that belong to the API: an unknown one there stays the JSON 404, never the console's page. */
const API_PREFIXES = ['/v1/', '/api/', '/oauth/', '/_personsd', '/docs', '/openapi', '/console/api/', '/metrics', '/health', '/ready', '/live'];

/** The console's page may load only its own files and talk only to this server. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * Serves the web console built into dist/console: hashed files under /assets/ for a year (their names change
 * with their content), everything else revalidated by ETag, and index.html for any other GET that asks for a page,
 * so a client route (/persons/12) survives a reload. Files are read once and kept: the console is a few hundred kB.
 */
export async function consoleRoutes(app: FastifyInstance, options: { dir?: string }): Promise<void> {
  const dir = options.dir ?? CONSOLE_DIR;
  const cache = new Map<string, Asset | null>();
  const load = (relative: string): Asset | null => {
    if (cache.has(relative)) return cache.get(relative)!;
    const path = normalize(join(dir, relative));
    let asset: Asset | null = null;
    if (path.startsWith(dir.endsWith(sep) ? dir : dir + sep) && existsSync(path) && statSync(path).isFile()) {
      const body = readFileSync(path);
      asset = { body, type: TYPES[extname(path)] ?? 'application/octet-stream', etag: `"${statSync(path).mtimeMs.toString(36)}-${body.length.toString(36)}"` };
    }
    if (cache.size < 1000) cache.set(relative, asset);
    return asset;
  };
  const send = (request: FastifyRequest, reply: FastifyReply, asset: Asset, immutable: boolean) => {
    reply.header('content-type', asset.type).header('etag', asset.etag);
    reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (asset.type.startsWith('text/html')) reply.header('content-security-policy', CSP);
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    return reply.send(asset.body);
  };
  const page = (request: FastifyRequest, reply: FastifyReply) => {
    const index = load('index.html');
    if (!index) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The console is not built. Run `npm run build` (it writes dist/console), then reload.');
    }
    return send(request, reply, index, false);
  };

  app.get('/', { schema: { hide: true } }, page);
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = '/' + (request.params as { '*': string })['*'];
    if (API_PREFIXES.some((prefix) => path.startsWith(prefix))) return reply.callNotFound();
    const asset = path.includes('\0') ? null : load(path.slice(1));
    if (asset) return send(request, reply, asset, path.startsWith('/assets/'));
    // A file that is not there (an old hashed name, a typo) is a 404; any other path is a page of the console.
    if (extname(path) !== '' || !(request.headers.accept ?? '').includes('text/html')) return reply.callNotFound();
    return page(request, reply);
  });
}
