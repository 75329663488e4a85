import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CounterStore, TakeRequest, TakeResult } from './counters.js';
import { RedisUnreachableError, withoutPassword } from './redis-unreachable.js';

/*
 * Windows are sorted sets of request timestamps (score = ms, member unique per request); budgets are integers.
 * Each operation is one Lua script, so processes sharing the Redis never interleave a check with a count.
 */
const PRUNE = `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))`;

// KEYS: window, budget. ARGV: now, window ms, window limit, member, cost, budget limit, budget ttl ms.
const TAKE = `
${PRUNE}
local used = redis.call('ZCARD', KEYS[1])
local spent = tonumber(redis.call('GET', KEYS[2]) or '0')
local verdict = 0
if used >= tonumber(ARGV[3]) then verdict = 1
elseif spent + tonumber(ARGV[5]) > tonumber(ARGV[6]) then verdict = 2 end
if verdict == 0 then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  used = used + 1
  spent = redis.call('INCRBY', KEYS[2], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2] or ARGV[1]
return {verdict, used, tostring(oldest), spent}`;

// KEYS: window. ARGV: now, window ms.
const COUNT = `${PRUNE}
return redis.call('ZCARD', KEYS[1])`;

// KEYS: window. ARGV: now, window ms, member.
const RECORD = `${PRUNE}
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('ZCARD', KEYS[1])`;

const VERDICTS = ['ok', 'burst', 'daily'] as const;

type Scripted = Redis & {
  personsdTake(window: string, budget: string, ...args: (string | number)[]): Promise<[number, number, string, number]>;
  personsdCount(window: string, now: number, windowMs: number): Promise<number>;
  personsdRecord(window: string, now: number, windowMs: number, member: string): Promise<number>;
};

/** Counters shared by every process that uses the same Redis and key prefix. */
export class RedisCounterStore implements CounterStore {
  private constructor(private readonly redis: Scripted) {}

  /** Connects, failing fast when Redis cannot be reached, so a misconfigured REDIS_URL stops the start. */
  static async connect(url: string, keyPrefix: string): Promise<RedisCounterStore> {
    // Loaded only when counters live in Redis (about 90 ms of a start otherwise).
    const { Redis } = await import('ioredis');
    const redis = new Redis(url, {
      keyPrefix,
      lazyConnect: true,
      // A request must not wait on a Redis that is down: commands fail at once and the limiter lets it through.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
      connectTimeout: 3000,
    });
    redis.defineCommand('personsdTake', { numberOfKeys: 2, lua: TAKE });
    redis.defineCommand('personsdCount', { numberOfKeys: 1, lua: COUNT });
    redis.defineCommand('personsdRecord', { numberOfKeys: 1, lua: RECORD });
    // ioredis reports connection trouble as 'error' events; without a listener they would crash the process.
    // The last one also says why a first connection failed; connect() itself only rejects with "Connection is closed".
    let lastError: Error | undefined;
    redis.on('error', (error: Error) => {
      lastError = error;
    });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new RedisUnreachableError(withoutPassword(url), (lastError ?? (error as Error)).message);
    }
    return new RedisCounterStore(redis as Scripted);
  }

  async take({ now, window, budget }: TakeRequest): Promise<TakeResult> {
    const [verdict, used, oldest, spent] = await this.redis.personsdTake(
      window.key,
      budget.key,
      now,
      window.ms,
      window.limit,
      member(now),
      budget.cost,
      budget.limit,
      budget.ttlMs,
    );
    return {
      verdict: VERDICTS[verdict],
      windowUsed: Number(used),
      windowResetMs: Number(used) === 0 ? 0 : Math.max(0, Number(oldest) + window.ms - now),
      budgetUsed: Number(spent),
    };
  }

  async count(key: string, windowMs: number, now: number): Promise<number> {
    return Number(await this.redis.personsdCount(key, now, windowMs));
  }

  async record(key: string, windowMs: number, now: number): Promise<number> {
    return Number(await this.redis.personsdRecord(key, now, windowMs, member(now)));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

const member = (now: number) => `${now}:${randomBytes(6).toString('hex')}`;
