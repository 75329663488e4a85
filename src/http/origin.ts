import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** PUBLIC_URL without its trailing slash; undefined when not configured. */
    publicUrl: string | undefined;
  }
}

/** Makes `requestOrigin` answer PUBLIC_URL in every scope of the app. */
export function registerPublicUrl(app: FastifyInstance, publicUrl: string | undefined): void {
  app.decorate('publicUrl', publicUrl);
}

/**
 * The base URL of links the service hands out to itself (picture URLs, the OAuth api_domain): PUBLIC_URL when
 * configured, else the scheme and host the request names, which the client controls (Host, or X-Forwarded-Host
 * from a trusted proxy).
 */
export function requestOrigin(request: FastifyRequest): string {
  return request.server.publicUrl ?? `${request.protocol}://${request.host}`;
}
