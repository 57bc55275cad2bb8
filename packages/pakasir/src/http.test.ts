import { describe, expect, it } from 'vitest';
import { PakasirNetworkError, PakasirTimeoutError } from './errors.js';
import { backoffDelayMs, shouldRetry } from './http.js';

describe('shouldRetry', () => {
  const network = (beforeRequest: boolean) => ({ error: new PakasirNetworkError('x', { beforeRequest }) });
  const timeout = { error: new PakasirTimeoutError('x') };

  it('retries reads on network errors, timeouts, 429 and 5xx, up to maxRetries', () => {
    for (const outcome of [network(false), timeout, { status: 429 }, { status: 500 }, { status: 503 }]) {
      expect(shouldRetry(outcome, 0, 2, 'idempotent')).toBe(true);
      expect(shouldRetry(outcome, 2, 2, 'idempotent')).toBe(false);
    }
  });

  it('never retries 4xx other than 429', () => {
    for (const status of [400, 401, 404, 409])
      expect(shouldRetry({ status }, 0, 2, 'idempotent')).toBe(false);
  });

  it('retries unsafe requests only when they surely did not take effect', () => {
    expect(shouldRetry(network(true), 0, 2, 'unsafe')).toBe(true);
    expect(shouldRetry({ status: 429 }, 0, 2, 'unsafe')).toBe(true);
    expect(shouldRetry(network(false), 0, 2, 'unsafe')).toBe(false);
    expect(shouldRetry(timeout, 0, 2, 'unsafe')).toBe(false);
    expect(shouldRetry({ status: 502 }, 0, 2, 'unsafe')).toBe(false);
  });

  it('gives up on a Retry-After longer than 30 s', () => {
    expect(shouldRetry({ status: 429, retryAfterSeconds: 4 }, 0, 2, 'idempotent')).toBe(true);
    expect(shouldRetry({ status: 429, retryAfterSeconds: 120 }, 0, 2, 'idempotent')).toBe(false);
  });
});

describe('backoffDelayMs', () => {
  it('doubles with full jitter in the upper half, capped at 8 s', () => {
    expect(backoffDelayMs(0, undefined, () => 0)).toBe(250);
    expect(backoffDelayMs(0, undefined, () => 1)).toBe(500);
    expect(backoffDelayMs(2, undefined, () => 0.5)).toBe(1500);
    expect(backoffDelayMs(10, undefined, () => 1)).toBe(8000);
  });

  it('honours Retry-After', () => {
    expect(backoffDelayMs(0, 4, () => 0.5)).toBe(4000);
  });
});
