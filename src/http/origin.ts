import type { FastifyRequest } from 'fastify';

/** The scheme and host the client reached this service at, for links the service hands out to itself. */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
