// The one request path of the SDK: timeout, retries with backoff and jitter, an Idempotency-Key on
// every POST (the same across retries), typed errors. Everything global (fetch, crypto, timers) is
// looked up when a request is made, never when the module is imported.
import { apiErrorFor, parseBody } from './answer.js';
import { ApiError, ConnectionError, QuickCartError, RequestTimeoutError } from './errors.js';

/** A fetch: the global one, undici's, a test double, a Workers service binding's. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** How the transport sends; `QuickCart` fills it from its options. */
export interface TransportOptions {
  /** Without a trailing slash. */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  /** Default: `globalThis.fetch` at the time of each request. */
  fetch?: FetchLike | undefined;
  /** For tests: the jitter's random source, and how to wait. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Options every call takes as its last argument. */
export interface RequestOptions {
  /** This call's timeout per attempt, instead of the client's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /** Aborts the call (and its retries): it rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** POST only: the Idempotency-Key to send (default: a random UUID per call, kept across retries). */
  idempotencyKey?: string | undefined;
  /** Retries after the first attempt, instead of the client's `maxRetries`. */
  maxRetries?: number | undefined;
}

/** One API call. */
export interface ApiRequest extends RequestOptions {
  method: 'GET' | 'POST';
  /** Path below baseUrl, already percent-encoded, e.g. `/v1/payments/pay_abc`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** What one attempt ended with: an answer, or no answer. */
export type Outcome =
  | { status: number; code?: string; retryAfterSeconds?: number | undefined; inProgress?: boolean }
  | { error: ConnectionError };

/** The longest Retry-After the SDK waits out by itself; a longer one is thrown to the caller. */
export const MAX_RETRY_AFTER_SECONDS = 30;

/**
 * Whether attempt number `attempt` (0-based) may be followed by another. Every call may be sent
 * again: GETs are reads, and every POST carries an Idempotency-Key, so the server replays the first
 * answer instead of acting twice. Retried: no answer, 429 (unless Retry-After is over 30 s), 5xx,
 * and 409 "still in progress" (a retry that overtook its first attempt). Not retried: other 4xx,
 * and 502 GATEWAY_ERROR, which the server answers after its own retry of the gateway, having
 * refunded the token and recorded the payment as failed: retrying at once would only add load to a
 * failing gateway, so the caller decides (the same transaction_id may be sent again later).
 * @example shouldRetry({ status: 503 }, 0, 2) // true
 */
export function shouldRetry(outcome: Outcome, attempt: number, maxRetries: number): boolean {
  if (attempt >= maxRetries) return false;
  if ('error' in outcome) return true;
  const { status } = outcome;
  if (status === 429) return (outcome.retryAfterSeconds ?? 0) <= MAX_RETRY_AFTER_SECONDS;
  if (status === 409) return outcome.inProgress === true;
  if (outcome.code === 'GATEWAY_ERROR') return false;
  return status >= 500 && status !== 501;
}

/**
 * Exponential backoff with full jitter in the upper half (0.25–0.5 s, 0.5–1 s, 1–2 s … capped at
 * 8 s), or Retry-After when the answer gave one.
 * @example backoffDelayMs(1, undefined, Math.random) // 500 to 1000
 */
export function backoffDelayMs(
  attempt: number,
  retryAfterSeconds: number | undefined,
  random: () => number,
): number {
  if (retryAfterSeconds !== undefined) return retryAfterSeconds * 1000;
  const ceiling = Math.min(8000, 500 * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function outcomeOf(error: ApiError | ConnectionError): Outcome {
  if (error instanceof ConnectionError) return { error };
  return {
    status: error.status,
    code: error.code,
    retryAfterSeconds: error.retryAfterSeconds,
    inProgress: error.details.in_progress === true,
  };
}

/** A random UUID from WebCrypto (Node ≥ 19, Deno, Bun, Workers, browsers). */
function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** Sends API requests for one client; the api key lives in a private field, never in errors or logs. */
export class Transport {
  readonly #apiKey: string;
  readonly #options: Omit<TransportOptions, 'apiKey'>;

  constructor(options: TransportOptions) {
    const { apiKey, ...rest } = options;
    this.#apiKey = apiKey;
    this.#options = rest;
  }

  /** Sends `request`, retrying as `shouldRetry` allows; resolves with the parsed JSON of the 2xx answer. */
  async request<T>(request: ApiRequest): Promise<T> {
    const options = this.#options;
    const maxRetries = request.maxRetries ?? options.maxRetries;
    const idempotencyKey =
      request.method === 'POST' ? (request.idempotencyKey ?? newIdempotencyKey()) : undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.#attempt(request, idempotencyKey)) as T;
      } catch (error) {
        if (!(error instanceof ApiError || error instanceof ConnectionError)) throw error;
        const outcome = outcomeOf(error);
        if (!shouldRetry(outcome, attempt, maxRetries)) throw error;
        const retryAfter = 'status' in outcome ? outcome.retryAfterSeconds : undefined;
        const delay = backoffDelayMs(attempt, retryAfter, options.random ?? Math.random);
        await (options.sleep ?? sleep)(delay, request.signal);
      }
    }
  }

  /** One attempt: the parsed body of a 2xx answer, or a typed error. */
  async #attempt(request: ApiRequest, idempotencyKey: string | undefined): Promise<unknown> {
    const options = this.#options;
    const call = `${request.method} ${request.path}`;
    const query = request.query ? `?${new URLSearchParams(request.query)}` : '';
    const timeoutMs = request.timeoutMs ?? options.timeoutMs;
    // One controller for the timeout and the caller's signal; the timer is cleared as soon as the
    // answer is read (AbortSignal.timeout would keep a timer alive per request for timeoutMs).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const signal = request.signal;
    const onAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    // Only the headers a call needs: each one costs measurable time per request in undici.
    const headers: Record<string, string> = { authorization: `Bearer ${this.#apiKey}` };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    let response: Response;
    let text: string;
    try {
      const fetch = options.fetch ?? globalThis.fetch;
      response = await fetch(`${options.baseUrl}${request.path}${query}`, {
        method: request.method,
        headers,
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof QuickCartError) throw error;
      if (timedOut) {
        throw new RequestTimeoutError(`QuickCart did not answer ${call} within ${timeoutMs} ms`, {
          timeoutMs,
          cause: error,
        });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConnectionError(`could not reach QuickCart for ${call}: ${reason}`, { cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    const body = parseBody(text);
    if (!response.ok) throw apiErrorFor(call, { ...pick(response), body });
    if (typeof body !== 'object' || body === null) {
      throw new ApiError(`QuickCart answered ${response.status} to ${call} with a body that is not JSON`, {
        status: response.status,
        code: 'INVALID_RESPONSE',
        requestId: response.headers.get('x-request-id'),
        details: {},
        body,
      });
    }
    return body;
  }
}

const pick = (response: Response) => ({
  status: response.status,
  statusText: response.statusText,
  headers: response.headers,
});
