export { hardenedServerOptions } from './hardening.js';
import type { FastifyInstance } from 'fastify';
import type { AccessConfig } from './access-settings.js';
import { type Authenticator, type RejectionExplainer, type SessionAuthenticator, requireAuth } from './auth.js';
import { AuthFailureThrottle } from './auth-throttle.js';
import { enforceBudgetFaults } from './budget-faults.js';
import type { BudgetFaults } from '../domain/testing/budget-faults.js';
import { registerHardening } from './hardening.js';
import { registerPublicUrl } from './origin.js';
import type { CounterStore } from './rate-limit/counters.js';
import { MemoryCounterStore } from './rate-limit/memory-counters.js';
import { RateLimiter, enforceRateLimits } from './rate-limit/rate-limit.js';
import { RedisCounterStore } from './rate-limit/redis-counters.js';
import { type Operation, requireDeclaredOperations } from './operations.js';
import { enforceScopes } from './scopes.js';

export interface Access {
  /** Makes an API scope require a valid token, then applies the rate limits and the OAuth scopes its routes declare. */
  protect(scope: FastifyInstance): void;
  /** Counts failed token checks per client address (the OAuth token endpoint counts with it too); undefined when off. */
  throttle: AuthFailureThrottle | undefined;
}

export interface AccessNeeds {
  authenticate: Authenticator;
  /** The web console's session cookies: accepted by the API scopes beside tokens (with CSRF checks on writes). */
  authenticateSession?: SessionAuthenticator;
  /** Why a token was refused, for a 401 that says what to do. */
  explainRejection: RejectionExplainer;
  /** Active users of a company: its daily rate-limit budget grows with them. */
  seats: (companyId: number) => Promise<number>;
  /** Daily budgets a test suite declared spent (the admin API's faults); absent without the admin API. */
  budgetFaults?: BudgetFaults;
}

/** Builds the access machinery for one app: hardening, counters (memory or Redis), failed-token throttle, rate limits, scopes. */
export async function setUpAccess(app: FastifyInstance, needs: AccessNeeds, config: AccessConfig): Promise<Access> {
  const operations: Operation[] = [];
  app.decorate('operations', operations);
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
  const limiter = counters && config.rateLimit.enabled ? new RateLimiter(config.rateLimit, counters, needs.seats) : undefined;
  return {
    throttle,
    protect(scope) {
      requireDeclaredOperations(scope, operations);
      requireAuth(scope, needs.authenticate, needs.explainRejection, throttle, needs.authenticateSession);
      if (needs.budgetFaults) enforceBudgetFaults(scope, needs.budgetFaults, config.rateLimit, needs.seats);
      if (limiter) enforceRateLimits(scope, limiter);
      enforceScopes(scope);
    },
  };
}
