/** REDIS_URL names a Redis that cannot be reached when the counters are set up; the start stops with this. */
export class RedisUnreachableError extends Error {
  constructor(
    /** REDIS_URL without its password. */
    readonly url: string,
    /** Why, as the connection reported it (`connect ECONNREFUSED 127.0.0.1:6379`). */
    readonly reason: string,
  ) {
    super(`cannot reach Redis at ${url}: ${reason}`);
    this.name = 'RedisUnreachableError';
  }
}

/** The URL as it may be printed: any password replaced. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
