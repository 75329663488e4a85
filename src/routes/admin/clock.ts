import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { advanceClock, clockState, freezeClock, now, resetClock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { purgeDeleted } from '../../domain/purge.js';
import { parseTimestamp } from '../../domain/time.js';
import type { Database } from '../../store/schema.js';
import { ADMIN_TAG } from './tag.js';

const ClockBody = Type.Object(
  {
    frozen_at: Type.Optional(Type.String({ description: 'Stop the clock at this instant (RFC 3339, e.g. 2026-01-31T09:00:00Z)' })),
    advance_by_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 * 86_400, description: 'Move the clock forward, frozen or running' })),
  },
  { additionalProperties: false },
);

const ClockEnvelope = Type.Object({
  success: Type.Literal(true),
  data: Type.Object({
    now: Type.String({ description: "personsd's time" }),
    frozen: Type.Boolean(),
    offset_seconds: Type.Number({ description: 'How far a running clock is ahead of real time' }),
  }),
});

function describeClock() {
  const state = clockState();
  return { success: true as const, data: { now: new Date(now()).toISOString(), frozen: state.frozenAt !== null, offset_seconds: state.offsetMs / 1000 } };
}

/**
 * personsd's clock for test suites. A change runs the purge at once, so a 30-day advance removes what was deleted
 * 30 days "ago" without waiting for the next hourly purge; webhook retries and bans fall due at the dispatcher's
 * next poll.
 */
export const adminClockRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/clock', { schema: { tags: [ADMIN_TAG], summary: "personsd's clock", response: { 200: ClockEnvelope } } }, async () => describeClock());

  app.put(
    '/clock',
    { schema: { tags: [ADMIN_TAG], summary: 'Freeze the clock at an instant and/or move it forward', body: ClockBody, response: { 200: ClockEnvelope } } },
    async (request) => {
      const { frozen_at, advance_by_seconds } = request.body;
      if (frozen_at === undefined && advance_by_seconds === undefined) throw invalid('send frozen_at, advance_by_seconds or both');
      if (frozen_at !== undefined) {
        const stored = parseTimestamp(frozen_at);
        if (stored === null) throw invalid(`frozen_at must be an RFC 3339 date-time, got "${frozen_at}"`);
        freezeClock(Date.parse(stored));
      }
      if (advance_by_seconds !== undefined) advanceClock(advance_by_seconds * 1000);
      await purgeDeleted(db);
      return describeClock();
    },
  );

  app.delete('/clock', { schema: { tags: [ADMIN_TAG], summary: 'Return to real time', response: { 200: ClockEnvelope } } }, async () => {
    resetClock();
    return describeClock();
  });
};
