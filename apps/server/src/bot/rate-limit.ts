/**
 * Per-key limits of seed 003 ("User Actions: 10 commands per minute per user", "Payment Checks:
 * 5 status checks per minute per order", admins 100 per minute), in memory: the bot runs in one
 * process. A sliding window: a key may act `limit` times in any `windowMs`. Keys whose window has
 * emptied are dropped, so memory follows active users only.
 */
export class SlidingWindowLimiter {
  readonly #hits = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #sinceSweep = 0;

  constructor(options: { limit: number; windowMs: number; now?: () => number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
  }

  /** Records an action of `key` and says whether it is allowed (a refused one is not recorded). */
  take(key: string): boolean {
    const now = this.#now();
    if (++this.#sinceSweep >= 1000) this.#sweep(now);
    const since = now - this.#windowMs;
    const hits = (this.#hits.get(key) ?? []).filter((at) => at > since);
    if (hits.length >= this.#limit) {
      this.#hits.set(key, hits);
      return false;
    }
    hits.push(now);
    this.#hits.set(key, hits);
    return true;
  }

  /** How many keys are tracked (tests, metrics). */
  get size(): number {
    return this.#hits.size;
  }

  #sweep(now: number): void {
    this.#sinceSweep = 0;
    const since = now - this.#windowMs;
    for (const [key, hits] of this.#hits) {
      if (hits.every((at) => at <= since)) this.#hits.delete(key);
    }
  }
}

/** The limits of the bot (seed 003 "Internal Rate Limits"). */
export interface BotLimits {
  commandsPerMinute: number;
  adminCommandsPerMinute: number;
  statusChecksPerMinute: number;
}

export const SEED_LIMITS: BotLimits = {
  commandsPerMinute: 10,
  adminCommandsPerMinute: 100,
  statusChecksPerMinute: 5,
};
