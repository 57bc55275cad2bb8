import {
  PakasirApiError,
  PakasirNetworkError,
  PakasirTimeoutError,
  PaymentExpiredError,
  PaymentTimeoutError,
} from './errors.js';
import type { TransactionStatus } from './protocol.js';

export interface WaitOptions {
  /** Give up after this long, default 10 minutes. */
  timeoutMs?: number;
  /** Time between status checks; the client raises it to Pakasir's minimum. */
  intervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Polls `check` until the status is terminal. Completed resolves; expired and canceled reject with
 * PaymentExpiredError; running out of time rejects with PaymentTimeoutError. Transient failures of
 * a check (network, 5xx after the client's own retries) do not end the wait; other errors do.
 */
export async function waitForStatus<T extends { status: TransactionStatus; order_id: string }>(
  check: (signal: AbortSignal) => Promise<T>,
  options: WaitOptions & { intervalMs: number },
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const deadline = Date.now() + timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let last: T | undefined;
  try {
    for (;;) {
      try {
        last = await check(signal);
        if (last.status === 'completed') return last;
        if (last.status === 'expired' || last.status === 'canceled') {
          throw new PaymentExpiredError(
            `payment for order ${last.order_id} ${last.status} before it was paid`,
            last.status,
          );
        }
      } catch (error) {
        if (error instanceof PaymentExpiredError || signal.aborted || !isTransient(error)) throw error;
      }
      await sleep(Math.min(options.intervalMs, Math.max(0, deadline - Date.now())), signal);
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new PaymentTimeoutError(
        `timeout: payment${last ? ` for order ${last.order_id}` : ''} still ${last?.status ?? 'unknown'} after ${timeoutMs} ms`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Failures worth another look later: no answer, or Pakasir busy. Anything else ends the wait. */
function isTransient(error: unknown): boolean {
  if (error instanceof PakasirNetworkError || error instanceof PakasirTimeoutError) return true;
  return error instanceof PakasirApiError && (error.status === 429 || error.status >= 500);
}
