/**
 * Token buckets by client: each client may take `burst` tokens at once, refilled at one
 * token per `refillSeconds`. Memory is bounded: past `maxClients` tracked, full buckets
 * (clients who are back to their burst) are forgotten first. Pure; one per app server, so
 * behind a load balancer each server limits on its own.
 */

/** A bucket's shape. */
export interface RateLimit {
  /** Tokens a fresh client has: creations allowed back to back. */
  burst: number;
  /** Seconds to earn one token back. */
  refillSeconds: number;
  /** Clients tracked before full buckets are dropped. */
  maxClients: number;
}

/** What {@link RateLimiter.take} decided. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Buckets by client key (an address). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * @param limit the buckets' shape.
   * @param now milliseconds since the epoch (a parameter so tests can move time).
   */
  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for `client`, or says in how many whole seconds one will be there (the `Retry-After` value). */
  take(client: string): RateDecision {
    const now = this.now();
    const bucket = this.refilled(client, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.buckets.set(client, bucket);
      this.prune(now);
      return { allowed: true };
    }
    this.buckets.set(client, bucket);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) * this.limit.refillSeconds)) };
  }

  private refilled(client: string, now: number): { tokens: number; at: number } {
    const bucket = this.buckets.get(client);
    if (!bucket) return { tokens: this.limit.burst, at: now };
    const earned = (now - bucket.at) / 1000 / this.limit.refillSeconds;
    return { tokens: Math.min(this.limit.burst, bucket.tokens + earned), at: now };
  }

  private prune(now: number): void {
    if (this.buckets.size <= this.limit.maxClients) return;
    for (const [client] of this.buckets) {
      if (this.refilled(client, now).tokens >= this.limit.burst) this.buckets.delete(client);
    }
    // Still over (a flood of distinct clients): drop the oldest entries.
    for (const [client] of this.buckets) {
      if (this.buckets.size <= this.limit.maxClients) break;
      this.buckets.delete(client);
    }
  }
}

/**
 * The client's address for rate limiting: the last `X-Forwarded-For` entry. `next start`
 * fills that header from the socket when the request has none, and a proxy in front
 * appends the address it saw. A client talking to `next start` directly can send its own
 * header and so pick its key: the route's global bucket bounds what that gains.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").pop()?.trim();
  return last || "unknown";
}
