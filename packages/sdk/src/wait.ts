// `waitForPayment`: a loop of long-polls (GET /v1/payments/{id}/wait?timeout_ms=, at most 60 s
// each) until the payment leaves `pending` or the caller's timeout runs out.
import { ApiError, ConnectionError, PaymentTimeoutError, UsageError } from './errors.js';
import { sleep, type Transport } from './http.js';
import type { WaitForPaymentOptions, WaitForPaymentResult } from './types.js';

/** The longest single long-poll the server accepts. */
export const MAX_POLL_MS = 60_000;
/** Default `timeout` of a wait. */
export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;
/** Default `interval`: the pause after a failed or cut-short long-poll. */
export const DEFAULT_WAIT_INTERVAL_MS = 2000;
/** How much longer than its `timeout_ms` a long-poll may take to answer before it counts as lost. */
const POLL_GRACE_MS = 10_000;

/** Failures worth another long-poll later: no answer, or the server busy (after the transport's retries). */
function isTransient(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  return error instanceof ApiError && (error.status === 429 || error.status >= 500);
}

function checkMs(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(`waitForPayment: ${name} must be a number of milliseconds >= 0, got ${value}`);
  }
  return value;
}

/**
 * Waits for payment `id` (QuickCart's id or yours) to reach a terminal status and resolves with it
 * (paid, expired or cancelled). Rejects with `PaymentTimeoutError` when `timeout` runs out first,
 * with the signal's reason when it aborts, and with the API's error when the payment is unknown.
 */
export async function waitForPayment(
  transport: Transport,
  id: string,
  options: WaitForPaymentOptions = {},
): Promise<WaitForPaymentResult> {
  const timeoutMs = checkMs('timeout', options.timeout ?? DEFAULT_WAIT_TIMEOUT_MS);
  const intervalMs = checkMs('interval', options.interval ?? DEFAULT_WAIT_INTERVAL_MS);
  const { signal } = options;
  const path = `/v1/payments/${encodeURIComponent(id)}/wait`;
  const deadline = Date.now() + timeoutMs;
  let lastStatus = 'pending';
  let lastError: unknown;
  for (;;) {
    const pollMs = Math.min(MAX_POLL_MS, Math.max(0, deadline - Date.now()));
    const started = Date.now();
    let cutShort: boolean;
    try {
      const answer = await transport.request<WaitForPaymentResult>({
        method: 'GET',
        path,
        query: { timeout_ms: String(Math.ceil(pollMs)) },
        timeoutMs: pollMs + POLL_GRACE_MS,
        signal,
      });
      if (answer.status !== 'pending') return answer;
      lastStatus = answer.status;
      // A pending answer well before its time (the server is shutting down): do not spin.
      cutShort = Date.now() - started < pollMs / 2;
    } catch (error) {
      if (signal?.aborted || !isTransient(error)) throw error;
      lastError = error;
      cutShort = true;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new PaymentTimeoutError(
        `timeout: payment ${id} is still ${lastStatus} after ${timeoutMs} ms of waitForPayment`,
        { paymentId: id, timeoutMs, cause: lastError },
      );
    }
    if (cutShort) await sleep(Math.min(intervalMs, remaining), signal);
  }
}
