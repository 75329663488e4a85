import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';

/** personsd's mark: a person's silhouette beside the name, in the top bar and as the favicon. */
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="190" height="40" viewBox="0 0 190 40">
<circle cx="20" cy="13" r="8" fill="#2f7d5b"/><path d="M5 37c0-9 7-14 15-14s15 5 15 14z" fill="#2f7d5b"/>
<text x="44" y="28" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="24" font-weight="600" fill="#ffffff">personsd</text>
</svg>`;
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="13" r="8" fill="#2f7d5b"/><path d="M5 37c0-9 7-14 15-14s15 5 15 14z" fill="#2f7d5b"/></svg>`;

/** The order of the document: v2 (Pipedrive's current API) first, then v1, then OAuth and the service's own. */
const SECTIONS = ['/api/v2/', '/api/v1/', '/oauth/'];
const section = (path: string) => {
  const index = SECTIONS.findIndex((prefix) => path.startsWith(prefix));
  return index < 0 ? SECTIONS.length : index;
};

/**
 * Each route's place in the document. v1 is served under /v1 and /api/v1 alike; the document lists it once, under
 * /api/v1 (the prefix OAuth apps use, beside /api/v2). Tags name the API version, so v1 and v2 persons are apart.
 */
function transform({ schema, url }: { schema: FastifySchema; url: string }) {
  if (url.startsWith('/v1/')) return { schema: { ...schema, hide: true }, url };
  const version = url.startsWith('/api/v2/') ? 'v2' : url.startsWith('/api/v1/') ? 'v1' : undefined;
  const tags = (schema as { tags?: string[] } | undefined)?.tags;
  if (!version || !tags) return { schema, url };
  return { schema: { ...schema, tags: tags.map((tag) => `${version}: ${tag.replace(/ \(v1\)$/, '')}`) }, url };
}

type Document = { paths?: Record<string, Record<string, { tags?: string[] }>>; tags?: { name: string }[] };

/** Paths in section order (stable within one), and the tags in the order their first path comes. */
function ordered(document: Document): Document {
  const paths = Object.entries(document.paths ?? {}).sort(([a], [b]) => section(a) - section(b));
  const tags = [...new Set(paths.flatMap(([, operations]) => Object.values(operations).flatMap((operation) => operation.tags ?? [])))];
  return { ...document, paths: Object.fromEntries(paths), tags: tags.map((name) => ({ name })) };
}

/** The OpenAPI document generated from the route schemas (/openapi.json) and its reference UI (/docs), personsd's own. */
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'personsd',
        description: 'A Pipedrive-compatible Persons service. v1 routes answer under /v1 and /api/v1 alike; they are listed once, under /api/v1.',
        version: '0.1.0',
      },
      components: { securitySchemes: { api_key: { type: 'apiKey', in: 'header', name: 'x-api-token' } } },
      security: [{ api_key: [] }],
    },
    transform,
    transformObject: (documents) => ordered((documents as { openapiObject: Document }).openapiObject) as never,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    logo: { type: 'image/svg+xml', content: Buffer.from(LOGO), href: '/docs', target: '_self' },
    theme: {
      title: 'personsd API',
      favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: Buffer.from(ICON) }],
    },
    uiConfig: { docExpansion: 'none', deepLinking: true },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
