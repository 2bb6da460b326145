/**
 * The per-user message limit, counted in a store all server processes share. Writing to
 * that store for every message would put one PostgreSQL upsert (or redis call) on every
 * message of every console, so each process counts a user's messages locally and writes
 * them in chunks: one store call per `chunk` messages. The limit can be overshot by at most
 * chunk - 1 messages per process per window, which is noise next to 1000/s. Once the store
 * says the user is over, this process refuses the user's messages until the window ends,
 * without asking again.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { isRateLimiterRes } from './limiter-store.js';

/** Messages a process counts locally before it writes them to a shared store. */
export const SHARED_STORE_CHUNK = 10;
/** Local counts older than one limiter window start again (the store's window has moved on). */
const LOCAL_WINDOW_MS = 1_000;

export class UserRate {
  private readonly local = new Map<string, { count: number; since: number }>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly chunk: number,
  ) {}

  /** True when the message may pass. Throws when the store itself fails (the caller decides). */
  async allow(userKey: string): Promise<boolean> {
    const now = Date.now();
    const until = this.blockedUntil.get(userKey);
    if (until !== undefined) {
      if (now < until) return false;
      this.blockedUntil.delete(userKey);
    }
    let entry = this.local.get(userKey);
    if (!entry || now - entry.since > LOCAL_WINDOW_MS) {
      entry = { count: 0, since: now };
      this.local.set(userKey, entry);
    }
    entry.count++;
    if (entry.count < this.chunk) return true;
    const points = entry.count;
    this.local.delete(userKey);
    try {
      await this.limiter.consume(userKey, points);
      return true;
    } catch (rejection) {
      if (!isRateLimiterRes(rejection)) throw rejection;
      this.blockedUntil.set(userKey, Date.now() + rejection.msBeforeNext);
      return false;
    }
  }
}
