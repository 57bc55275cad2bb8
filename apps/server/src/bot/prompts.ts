/**
 * What the bot asked a user to type next (a voucher code, a top-up amount, the reason of a problem
 * report), in memory like QuantityMemory: lost on restart (the user presses the button again),
 * forgotten after its time, bounded (the oldest entries go first). One open question per user
 * across the whole bot: a new one replaces the old, and each handler takes only its own kinds.
 */

/** A question waiting for the user's next text message. */
export type Prompt =
  | { kind: 'voucher'; productId: number; quantity: number }
  | { kind: 'topup' }
  | { kind: 'reason'; orderId: string; stockItemId: number };

export type PromptKind = Prompt['kind'];

/** Presses that leave an open question open: no-ops, ➕/➖, and "Lewati" (it answers the reason). */
export function keepsPrompt(action: { kind: string } | null): boolean {
  return action?.kind === 'noop' || action?.kind === 'quantity' || action?.kind === 'reportSkip';
}

/** How long a prompt waits for its answer, unless `set` is given another time. */
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

  /** Waits `ttlMs` for `userId`'s next message as the answer to `prompt`. */
  set(userId: number, prompt: Prompt, ttlMs = this.#ttlMs): void {
    this.#pending.delete(userId);
    this.#pending.set(userId, { prompt, until: this.#now() + ttlMs });
    if (this.#pending.size > this.#max) {
      const oldest = this.#pending.keys().next().value;
      if (oldest !== undefined) this.#pending.delete(oldest);
    }
  }

  /** The user's open prompt if it is one of `kinds` (a timed-out one is dropped), else null. */
  peek<K extends PromptKind>(userId: number, kinds: readonly K[]): Extract<Prompt, { kind: K }> | null {
    const entry = this.#pending.get(userId);
    if (!entry) return null;
    if (entry.until <= this.#now()) {
      this.#pending.delete(userId);
      return null;
    }
    return (kinds as readonly PromptKind[]).includes(entry.prompt.kind)
      ? (entry.prompt as Extract<Prompt, { kind: K }>)
      : null;
  }

  /** Like `peek`, and removes it: a prompt is answered once. */
  take<K extends PromptKind>(userId: number, kinds: readonly K[]): Extract<Prompt, { kind: K }> | null {
    const prompt = this.peek(userId, kinds);
    if (prompt) this.#pending.delete(userId);
    return prompt;
  }

  /** Forgets the user's prompt (they did something else). */
  clear(userId: number): void {
    this.#pending.delete(userId);
  }
}
