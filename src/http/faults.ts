import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FaultDecision, FaultRules } from '../domain/testing/faults.js';
import { errorBody } from './envelope.js';

const REASONS: Record<number, string> = {
  400: 'Bad request',
  401: 'unauthorized access',
  403: 'Forbidden',
  404: 'Not found',
  429: 'Request over limit',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * Applies the fault rules a test set (POST /_personsd/faults) to every request but the admin API's own, first of
 * all hooks. Costs one property read per request while no rule is set.
 */
export function installFaults(app: FastifyInstance, rules: FaultRules): void {
  app.addHook('onRequest', async (request, reply) => {
    if (rules.empty || request.url.startsWith('/_personsd')) return;
    const decision = rules.decide(request.method, request.url.split('?')[0]);
    if (!decision) return;
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.kind) return breakConnection(request, reply, decision);
    if (decision.status !== undefined) return answer(reply, decision.status, decision.body);
  });
}

function answer(reply: FastifyReply, status: number, body?: unknown): FastifyReply {
  if (status === 429) {
    // Pipedrive's rate-limit headers, as a client that backs off reads them.
    reply.headers({ 'x-ratelimit-limit': 80, 'x-ratelimit-remaining': 0, 'x-ratelimit-reset': 2, 'retry-after': '2' });
  }
  return reply.status(status).send(body ?? errorBody(REASONS[status] ?? `Injected fault ${status}`, 'Injected by a personsd fault rule (POST /_personsd/faults).'));
}

/** Takes the socket from Fastify and ends it the way the rule says, with no (or a partial) answer. */
function breakConnection(request: FastifyRequest, reply: FastifyReply, decision: FaultDecision): void {
  reply.hijack();
  const socket = request.raw.socket;
  switch (decision.kind) {
    case 'reset':
      socket.resetAndDestroy();
      return;
    case 'empty':
      socket.end();
      return;
    case 'truncated': {
      const body = '{"success":true,"data":{"id":1,"name":"';
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length * 4}\r\n\r\n${body}`);
      return;
    }
  }
}
