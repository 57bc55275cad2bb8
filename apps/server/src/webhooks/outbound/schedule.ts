/**
 * What happens after an attempt, as pure functions (style item 1): delivered, retried later (when),
 * given up, or the endpoint disabled. The worker only applies the decision.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The pause before each retry: 7 retries (8 attempts) over about 27.6 hours, each ±20 % jitter.
 * Index i is the pause after attempt i + 1.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
];

/** The longest Retry-After honoured; a longer one waits this long. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/** How an attempt ended. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfterMs: number | null }
  /** No answer: connection refused or reset, timeout, DNS failure. */
  | { kind: 'network' }
  /** The target failed the SSRF guard (see ssrf.ts): never sent. */
  | { kind: 'refused' };

/** What to do next. */
export type Decision =
  | { action: 'delivered' }
  | { action: 'retry'; delayMs: number }
  | { action: 'give_up'; reason: string }
  | { action: 'disable'; reason: string };

/**
 * `Retry-After` in milliseconds from `now`: delay-seconds or an HTTP date; null when absent or
 * unreadable; 0 for a date in the past.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * SECOND;
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return null;
  return Math.max(0, at - now.getTime());
}

/** `base` with ±20 % jitter; `random` in [0, 1). */
export function withJitter(base: number, random: number): number {
  return Math.round(base * (0.8 + 0.4 * random));
}

/** Options of `decide()`. */
export interface DecideOptions {
  outcome: AttemptOutcome;
  /** The number of the attempt that just ended, from 1. */
  attempt: number;
  schedule?: readonly number[];
  /** Default Math.random. */
  random?: () => number;
}

/**
 * The decision after an attempt: any 2xx is delivered; 410 disables the endpoint; a refused target
 * is given up at once; anything else (3xx, 4xx, 5xx, no answer) is retried on the schedule, never
 * sooner than Retry-After, until the schedule runs out.
 * @example decide({ outcome: { kind: 'response', status: 503, retryAfterMs: 120_000 }, attempt: 1 })
 * // { action: 'retry', delayMs: 120000 } (Retry-After beats the 5 s ± 20 % of the schedule)
 */
export function decide(options: DecideOptions): Decision {
  const { outcome, attempt } = options;
  const schedule = options.schedule ?? DEFAULT_RETRY_SCHEDULE_MS;
  if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
    return { action: 'delivered' };
  }
  if (outcome.kind === 'response' && outcome.status === 410) {
    return { action: 'disable', reason: 'the endpoint answered 410 Gone' };
  }
  if (outcome.kind === 'refused') return { action: 'give_up', reason: 'the target was refused' };
  const base = schedule[attempt - 1];
  if (base === undefined) return { action: 'give_up', reason: `no success after ${attempt} attempts` };
  const jittered = withJitter(base, (options.random ?? Math.random)());
  const retryAfter = outcome.kind === 'response' ? outcome.retryAfterMs : null;
  const delayMs =
    retryAfter === null ? jittered : Math.max(jittered, Math.min(retryAfter, MAX_RETRY_AFTER_MS));
  return { action: 'retry', delayMs };
}
