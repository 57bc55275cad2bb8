/**
 * What the bot asked a user to type next (a voucher code, a top-up amount), in memory like
 * QuantityMemory: lost on restart (the user presses the button again), forgotten after `ttlMs`,
 * bounded (the oldest entries go first). One prompt per user: a new one replaces the old.
 */

/** A question waiting for the user's next text message. */
export type Prompt = { kind: 'voucher'; productId: number; quantity: number } | { kind: 'topup' };

/** How long a prompt waits for its answer. */
export const PROMPT_TTL_MS = 5 * 60_000;

export class PendingPrompts {
  readonly #pending = new Map<number, { prompt: Prompt; until: number }>();
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { max?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#max = options.max ?? 10_000;
    this.#ttlMs = options.ttlMs ?? PROMPT_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Waits for `userId`'s next message as the answer to `prompt`. */
  set(userId: number, prompt: Prompt): void {
    this.#pending.delete(userId);
    this.#pending.set(userId, { prompt, until: this.#now() + this.#ttlMs });
    if (this.#pending.size > this.#max) {
      const oldest = this.#pending.keys().next().value;
      if (oldest !== undefined) this.#pending.delete(oldest);
    }
  }

  /** The user's open prompt (removed: it is answered once), or null when none or timed out. */
  take(userId: number): Prompt | null {
    const entry = this.#pending.get(userId);
    if (!entry) return null;
    this.#pending.delete(userId);
    return entry.until > this.#now() ? entry.prompt : null;
  }

  /** Forgets the user's prompt (they did something else). */
  clear(userId: number): void {
    this.#pending.delete(userId);
  }
}
