import type { FastifyInstance } from 'fastify';

/** Counts the requests being served right now: from arrival until the response is finished or the connection gone. */
export class InFlightRequests {
  count = 0;

  track(app: FastifyInstance): void {
    app.addHook('onRequest', (_request, reply, done) => {
      this.count++;
      reply.raw.once('close', () => this.count--);
      done();
    });
  }
}
