export { hardenedServerOptions } from './hardening.js';
import type { FastifyInstance } from 'fastify';
import type { AccessConfig } from '../app/access-config.js';
import { OAuthService } from '../domain/access/oauth.service.js';
import { seatCounter } from '../domain/access/seats.js';
import { oauthRoutes } from '../routes/oauth.js';
import type { Services } from '../app/services.js';
import { requireAuth } from './auth.js';
import { AuthFailureThrottle } from './auth-throttle.js';
import { registerHardening } from './hardening.js';
import { registerPublicUrl } from './origin.js';
import type { CounterStore } from './rate-limit/counters.js';
import { MemoryCounterStore } from './rate-limit/memory-counters.js';
import { RateLimiter, enforceRateLimits } from './rate-limit/rate-limit.js';
import { RedisCounterStore } from './rate-limit/redis-counters.js';
import { enforceScopes } from './scopes.js';

export interface Access {
  /** Makes an API scope require a valid token, then applies the rate limits and the OAuth scopes to it. */
  protect(scope: FastifyInstance): void;
  /** Registers /oauth/authorize, /oauth/token and /oauth/revoke (after the OpenAPI plugin, to be documented). */
  registerOAuthRoutes(app: FastifyInstance): Promise<void>;
}

/** Builds the access machinery for one app: hardening, counters (memory or Redis), failed-token throttle, rate limits, OAuth. */
export async function setUpAccess(app: FastifyInstance, services: Services, config: AccessConfig): Promise<Access> {
  await registerHardening(app, config);
  registerPublicUrl(app, config.publicUrl);
  const needsCounters = config.rateLimit.enabled || config.authFailuresPerMinute > 0;
  const counters: CounterStore | undefined = !needsCounters
    ? undefined
    : config.redisUrl
      ? await RedisCounterStore.connect(config.redisUrl, config.redisKeyPrefix)
      : new MemoryCounterStore();
  if (counters) app.addHook('onClose', () => counters.close());
  const throttle = counters && config.authFailuresPerMinute > 0 ? new AuthFailureThrottle(counters, config.authFailuresPerMinute) : undefined;
  const limiter = counters && config.rateLimit.enabled ? new RateLimiter(config.rateLimit, counters, seatCounter(services.store.db)) : undefined;
  const oauth = new OAuthService(services.store.db, config.oauth);
  return {
    protect(scope) {
      requireAuth(scope, services.authenticate, throttle);
      if (limiter) enforceRateLimits(scope, limiter);
      enforceScopes(scope);
    },
    async registerOAuthRoutes(app) {
      await app.register(oauthRoutes, { services, oauth, throttle });
    },
  };
}
