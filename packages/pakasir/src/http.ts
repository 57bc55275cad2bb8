// The one request path of the client: timeout, retries with backoff and jitter, typed errors.
import { PakasirApiError, PakasirError, PakasirNetworkError, PakasirTimeoutError } from './errors.js';

/** When a request may be sent again after a failure. */
export type RetryPolicy =
  /** Reads and anything idempotent: network errors, timeouts, 429 and 5xx. */
  | 'idempotent'
  /** Requests that may have taken effect: only 429 and connection failures before an answer. */
  | 'unsafe';

/** What the client reads of an answer to `fetch`: a WHATWG `Response` is one. */
export interface FetchAnswer {
  readonly status: number;
  readonly statusText?: string;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  /** Only `healthCheck` uses it, to drop a body it does not read. */
  readonly body?: { cancel(): Promise<void> } | null;
  text(): Promise<string>;
}

/**
 * The `fetch` the client calls: `globalThis.fetch`, or anything that answers the same calls with
 * a `FetchAnswer` (an in-process server need not build a WHATWG Response: see pakasir-sandbox's
 * `lightFetch`).
 */
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchAnswer>;

export interface HttpOptions {
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  fetch: FetchLike;
  /** For tests: the random source of the jitter, and how to wait. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  retry: RetryPolicy;
  signal?: AbortSignal | undefined;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
}

/** What one attempt ended with: an answer, or the error that stopped it. */
export type Outcome =
  | { status: number; retryAfterSeconds?: number }
  | { error: PakasirNetworkError | PakasirTimeoutError };

const MAX_RETRY_AFTER_SECONDS = 30;

/** Whether attempt number `attempt` (0-based) may be followed by another. Pure: tested alone. */
export function shouldRetry(
  outcome: Outcome,
  attempt: number,
  maxRetries: number,
  policy: RetryPolicy,
): boolean {
  if (attempt >= maxRetries) return false;
  if ('error' in outcome) {
    // A timeout or a reset may have reached Pakasir; only a refused connection surely did not.
    return (
      policy === 'idempotent' || (outcome.error instanceof PakasirNetworkError && outcome.error.beforeRequest)
    );
  }
  if (outcome.status === 429) return (outcome.retryAfterSeconds ?? 0) <= MAX_RETRY_AFTER_SECONDS;
  return policy === 'idempotent' && outcome.status >= 500;
}

/** Exponential backoff with full jitter (0.5 s, 1 s, 2 s … capped at 8 s), or Retry-After when given. */
export function backoffDelayMs(
  attempt: number,
  retryAfterSeconds: number | undefined,
  random: () => number,
): number {
  if (retryAfterSeconds !== undefined) return retryAfterSeconds * 1000;
  const ceiling = Math.min(8000, 500 * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** "POST /api/transactioncreate/qris": names the call without its query, which may hold the api key. */
const describe = (request: HttpRequest) => `${request.method} ${request.path}`;

function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN';
}

async function readBody(response: FetchAnswer): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function apiError(
  request: HttpRequest,
  response: FetchAnswer,
  body: unknown,
  retryAfterSeconds: number | undefined,
) {
  const detail =
    typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
      ? (body as { error: string }).error
      : response.statusText || 'no error message';
  return new PakasirApiError(
    `Pakasir answered ${response.status} to ${describe(request)}: ${detail}`,
    response.status,
    body,
    retryAfterSeconds,
  );
}

/** One attempt: the parsed body of a 2xx answer, or a typed error. */
async function attempt(options: HttpOptions, request: HttpRequest): Promise<unknown> {
  const query = request.query ? `?${new URLSearchParams(request.query)}` : '';
  const url = `${options.baseUrl}${request.path}${query}`;
  const timeoutMs = request.timeoutMs ?? options.timeoutMs;
  // One controller for the timeout and the caller's signal; its timer is cleared as soon as the
  // answer is read (AbortSignal.timeout would keep a timer per request alive for timeoutMs).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort(request.signal?.reason);
  if (request.signal?.aborted) onAbort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  // Only the headers a call needs: each one costs measurable time per request in undici.
  const headers: Record<string, string> | undefined =
    request.body === undefined ? request.headers : { 'content-type': 'application/json', ...request.headers };
  let response: FetchAnswer;
  let body: unknown;
  try {
    response = await options.fetch(url, {
      method: request.method,
      ...(headers && { headers }),
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      signal: controller.signal, // redirects are followed, as the docs' `curl -L` examples do
    });
    body = await readBody(response);
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    if (timedOut) {
      throw new PakasirTimeoutError(`Pakasir did not answer ${describe(request)} within ${timeoutMs} ms`, {
        cause: error,
      });
    }
    const refused = isConnectionRefused(error);
    throw new PakasirNetworkError(
      `could not reach Pakasir for ${describe(request)}: ${(error as Error).message}`,
      {
        cause: error,
        beforeRequest: refused,
      },
    );
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
  if (!response.ok)
    throw apiError(request, response, body, parseRetryAfter(response.headers.get('retry-after')));
  return body;
}

/** Sends `request`, retrying as its policy allows; returns the parsed JSON body of the 2xx answer. */
export async function send(options: HttpOptions, request: HttpRequest): Promise<unknown> {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  for (let attemptNumber = 0; ; attemptNumber++) {
    try {
      return await attempt(options, request);
    } catch (error) {
      if (!(error instanceof PakasirError)) throw error; // the caller's own abort
      const outcome: Outcome =
        error instanceof PakasirApiError
          ? {
              status: error.status,
              ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
            }
          : { error: error as PakasirNetworkError | PakasirTimeoutError };
      if (!shouldRetry(outcome, attemptNumber, options.maxRetries, request.retry)) throw error;
      const retryAfter = 'status' in outcome ? outcome.retryAfterSeconds : undefined;
      await sleep(backoffDelayMs(attemptNumber, retryAfter, random), request.signal);
    }
  }
}
