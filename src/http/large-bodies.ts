import type { FastifyInstance } from 'fastify';

/**
 * Answers longer than this many characters go to the socket as bytes rather than as a string.
 *
 * Node writes a string by encoding it into a new backing store three times its length; past about 130,000
 * characters (a v1 page of 100 persons is 152,000) that costs several times what encoding it into a Buffer first
 * does: measured with a bare node:http server and autocannon at 50 connections, CPU µs a response, string against
 * `Buffer.from` (docs/benchmarks.md, 2026-12-08): 120,000 characters 162–201 against 220–226, 135,000 835–850
 * against 272–420, 152,000 500–628 against 166–247, 300,000 875–1,825 against 433–572. Below the cliff the string is
 * as fast or faster (50,000 characters, a v2 page of 100: 78–99 against 108–115), so smaller answers stay strings.
 */
export const LARGE_BODY_CHARS = 100_000;

/** Sends every answer longer than LARGE_BODY_CHARS, whichever route or serializer wrote it, as a Buffer. */
export function sendLargeBodiesAsBytes(app: FastifyInstance): void {
  app.addHook('onSend', (_request, _reply, payload, done) => {
    done(null, typeof payload === 'string' && payload.length > LARGE_BODY_CHARS ? Buffer.from(payload) : payload);
  });
}
