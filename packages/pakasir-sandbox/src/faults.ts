// The fault model, in one place: what can go wrong, sandbox-wide (options, the handle's setter,
// POST /sandbox/faults) or for one request (the X-Sandbox-Fault header). Randomness (jitter,
// errorRate) comes from the seeded PRNG, so a run with the same seed fails the same way.
import { badRequest, SandboxError } from './errors.js';
import { type Random, randomInt } from './random.js';

/** The statuses an injected server error may take. */
export type ErrorStatus = 500 | 502 | 503;
const ERROR_STATUSES: readonly number[] = [500, 502, 503];

/**
 * Sandbox-wide faults. Counters (`errors`, `hangs`, `resets`, `webhook…s`) mean "the next N" and
 * count down as they fire; the others apply until changed. Request faults hit `/api/…` only, never
 * the pages or `/sandbox/…`, and stop the request before it is processed.
 */
export interface FaultSettings {
  /** Every API answer waits this long (ms). */
  latencyMs: number;
  /** …plus a seeded-random 0 to `jitterMs` (ms). */
  jitterMs: number;
  /** The next API answers, one status each, in order, e.g. [503, 502]. */
  errors: ErrorStatus[];
  /** Chance (0 to 1) that any other API request answers 503. */
  errorRate: number;
  /** The next N API requests never get an answer (until the client aborts or the sandbox closes). */
  hangs: number;
  /** The next N API requests get their connection reset, without an answer. */
  resets: number;
  /** The next N webhooks are not sent (logged as "dropped"). */
  webhookDrops: number;
  /** The next N webhooks are sent twice, the copy right after the first settles. */
  webhookDuplicates: number;
  /** The next N webhooks say amount + 1 (signed as sent, so only a check of the amount catches it). */
  webhookWrongAmounts: number;
  /** Every webhook waits this long before its first attempt (ms). */
  webhookDelayMs: number;
}

/** What happens to one webhook. */
export interface WebhookFaults {
  drop: boolean;
  duplicate: boolean;
  wrongAmount: boolean;
  delayMs: number;
}

/** What happens to one API request; `webhook` applies to the webhook the request triggers. */
export interface RequestPlan {
  latencyMs: number;
  action: 'answer' | 'hang' | 'reset' | ErrorStatus;
  webhook: Partial<WebhookFaults>;
}

export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  errors: [],
  errorRate: 0,
  hangs: 0,
  resets: 0,
  webhookDrops: 0,
  webhookDuplicates: 0,
  webhookWrongAmounts: 0,
  webhookDelayMs: 0,
});

const COUNTERS = ['hangs', 'resets', 'webhookDrops', 'webhookDuplicates', 'webhookWrongAmounts'] as const;
const DURATIONS = ['latencyMs', 'jitterMs', 'webhookDelayMs'] as const;

/** Checks a partial FaultSettings from outside (JSON, options, the handle); throws a SandboxError naming the problem. */
export function checkFaultSettings(input: unknown): Partial<FaultSettings> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new SandboxError('faults must be a JSON object');
  const out: Partial<FaultSettings> = {};
  for (const [key, value] of Object.entries(input)) {
    if ((COUNTERS as readonly string[]).includes(key) || (DURATIONS as readonly string[]).includes(key)) {
      if (!Number.isSafeInteger(value) || (value as number) < 0)
        throw new SandboxError(`faults.${key} must be a whole number >= 0, got ${JSON.stringify(value)}`);
      out[key as (typeof COUNTERS)[number] | (typeof DURATIONS)[number]] = value as number;
    } else if (key === 'errors') {
      if (!Array.isArray(value) || !value.every((status) => ERROR_STATUSES.includes(status)))
        throw new SandboxError(
          `faults.errors must be a list of 500, 502 or 503, got ${JSON.stringify(value)}`,
        );
      out.errors = [...(value as ErrorStatus[])];
    } else if (key === 'errorRate') {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1))
        throw new SandboxError(`faults.errorRate must be a number from 0 to 1, got ${JSON.stringify(value)}`);
      out.errorRate = value;
    } else {
      throw new SandboxError(`unknown fault ${JSON.stringify(key)}`);
    }
  }
  return out;
}

/**
 * Parses the X-Sandbox-Fault header: comma-separated `latency=MS`, `status=500|502|503`, `hang`,
 * `reset`, `webhook-drop`, `webhook-duplicate`, `webhook-wrong-amount`, `webhook-delay=MS`.
 * @example parseFaultHeader('latency=200, webhook-duplicate')
 */
export function parseFaultHeader(header: string): Omit<RequestPlan, 'action'> & {
  action: RequestPlan['action'] | null;
} {
  const plan: Omit<RequestPlan, 'action'> & { action: RequestPlan['action'] | null } = {
    latencyMs: 0,
    action: null,
    webhook: {},
  };
  for (const token of header.split(',')) {
    const [name = '', value, extra] = token.trim().split('=');
    if (name === '' && value === undefined) continue;
    const number = () => {
      if (value === undefined || extra !== undefined || !/^\d{1,9}$/.test(value))
        throw badRequest(`X-Sandbox-Fault: ${name} needs a whole number, as in ${name}=200`);
      return Number(value);
    };
    const flag = () => {
      if (value !== undefined) throw badRequest(`X-Sandbox-Fault: ${name} takes no value`);
    };
    switch (name) {
      case 'latency':
        plan.latencyMs += number();
        break;
      case 'status': {
        const status = number();
        if (!ERROR_STATUSES.includes(status))
          throw badRequest(`X-Sandbox-Fault: status must be 500, 502 or 503, got ${status}`);
        plan.action = status as ErrorStatus;
        break;
      }
      case 'hang':
      case 'reset':
        flag();
        plan.action = name;
        break;
      case 'webhook-drop':
        flag();
        plan.webhook.drop = true;
        break;
      case 'webhook-duplicate':
        flag();
        plan.webhook.duplicate = true;
        break;
      case 'webhook-wrong-amount':
        flag();
        plan.webhook.wrongAmount = true;
        break;
      case 'webhook-delay':
        plan.webhook.delayMs = number();
        break;
      default:
        throw badRequest(`X-Sandbox-Fault: unknown fault ${JSON.stringify(name)}`);
    }
  }
  return plan;
}

/** The sandbox's current faults and the decisions they lead to. */
export class FaultController {
  #settings: FaultSettings;
  readonly #random: Random;

  constructor(initial: Partial<FaultSettings>, random: Random) {
    this.#settings = { ...NO_FAULTS, errors: [], ...checkFaultSettings(initial) };
    this.#random = random;
  }

  /** A copy of the current settings (counters as they stand now). */
  current(): FaultSettings {
    return { ...this.#settings, errors: [...this.#settings.errors] };
  }

  /** Replaces the given settings, keeps the others; returns the result. Throws a SandboxError for bad values. */
  set(changes: Partial<FaultSettings>): FaultSettings {
    this.#settings = { ...this.#settings, ...checkFaultSettings(changes) };
    return this.current();
  }

  /** Back to no faults at all. */
  reset(): FaultSettings {
    this.#settings = { ...NO_FAULTS, errors: [] };
    return this.current();
  }

  /**
   * Decides the fate of one API request: the header's faults first, then the sandbox's counters
   * (reset, hang, errors, in that order; one per request), then errorRate.
   */
  planRequest(header: string | undefined): RequestPlan {
    const wanted = parseFaultHeader(header ?? '');
    const s = this.#settings;
    const jitter = s.jitterMs > 0 ? randomInt(this.#random, s.jitterMs) : 0;
    const latencyMs = s.latencyMs + jitter + wanted.latencyMs;
    let action: RequestPlan['action'] = wanted.action ?? 'answer';
    if (wanted.action === null) {
      if (s.resets > 0) {
        s.resets--;
        action = 'reset';
      } else if (s.hangs > 0) {
        s.hangs--;
        action = 'hang';
      } else if (s.errors.length > 0) {
        action = s.errors.shift() as ErrorStatus;
      } else if (s.errorRate > 0 && this.#random() < s.errorRate) {
        action = 503;
      }
    }
    return { latencyMs, action, webhook: wanted.webhook };
  }

  /** Decides the fate of one webhook: `wanted` (from the request that triggered it) or the counters. */
  planWebhook(wanted: Partial<WebhookFaults> = {}): WebhookFaults {
    const s = this.#settings;
    const take = (counter: 'webhookDrops' | 'webhookDuplicates' | 'webhookWrongAmounts') => {
      if (s[counter] === 0) return false;
      s[counter]--;
      return true;
    };
    const delayMs = s.webhookDelayMs + (wanted.delayMs ?? 0);
    if (wanted.drop || take('webhookDrops'))
      return { drop: true, duplicate: false, wrongAmount: false, delayMs };
    return {
      drop: false,
      duplicate: wanted.duplicate === true || take('webhookDuplicates'),
      wrongAmount: wanted.wrongAmount === true || take('webhookWrongAmounts'),
      delayMs,
    };
  }
}
