import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './envelope.js';

export const ADMIN_TOKEN_HEADER = 'x-personsd-admin-token';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The admin API's check: the header against PERSONSD_ADMIN_TOKEN, compared as SHA-256 digests in constant time
 * (equal lengths whatever was sent, so neither the content nor the length of the token leaks through timing).
 */
export function adminGuard(adminToken: string) {
  const expected = digest(adminToken);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const sent = request.headers[ADMIN_TOKEN_HEADER];
    if (typeof sent === 'string' && timingSafeEqual(digest(sent), expected)) return;
    return reply
      .status(401)
      .send(errorBody('unauthorized access', `Send the admin token (PERSONSD_ADMIN_TOKEN) in the ${ADMIN_TOKEN_HEADER} header.`, { errorCode: 401 }));
  };
}
