import { describe, expect, it } from 'vitest';
import { ConnectionError, RequestTimeoutError } from './errors.js';
import { backoffDelayMs, shouldRetry } from './http.js';

describe('shouldRetry', () => {
  const noAnswer = { error: new ConnectionError('x') };
  const timeout = { error: new RequestTimeoutError('x', { timeoutMs: 1 }) };

  it('retries no answer, timeouts, 429 and 5xx, up to maxRetries', () => {
    for (const outcome of [
      noAnswer,
      timeout,
      { status: 429 },
      { status: 500 },
      { status: 502 },
      { status: 503 },
    ]) {
      expect(shouldRetry(outcome, 0, 2)).toBe(true);
      expect(shouldRetry(outcome, 1, 2)).toBe(true);
      expect(shouldRetry(outcome, 2, 2)).toBe(false);
      expect(shouldRetry(outcome, 0, 0)).toBe(false);
    }
  });

  it('never retries other 4xx, nor 501', () => {
    for (const status of [400, 401, 403, 404, 409, 422, 501])
      expect(shouldRetry({ status }, 0, 2)).toBe(false);
  });

  it('retries a 409 only while the first attempt with the same Idempotency-Key is in progress', () => {
    expect(shouldRetry({ status: 409, code: 'CONFLICT', inProgress: true }, 0, 2)).toBe(true);
    expect(shouldRetry({ status: 409, code: 'INSUFFICIENT_TOKENS' }, 0, 2)).toBe(false);
  });

  it('does not retry 502 GATEWAY_ERROR (the server retried the gateway and refunded the token)', () => {
    expect(shouldRetry({ status: 502, code: 'GATEWAY_ERROR' }, 0, 2)).toBe(false);
    expect(shouldRetry({ status: 502, code: 'HTTP_502' }, 0, 2)).toBe(true);
  });

  it('gives up on a Retry-After longer than 30 s', () => {
    expect(shouldRetry({ status: 429, retryAfterSeconds: 30 }, 0, 2)).toBe(true);
    expect(shouldRetry({ status: 429, retryAfterSeconds: 31 }, 0, 2)).toBe(false);
  });
});

describe('backoffDelayMs', () => {
  it('doubles with jitter in the upper half, capped at 8 s', () => {
    expect(backoffDelayMs(0, undefined, () => 0)).toBe(250);
    expect(backoffDelayMs(0, undefined, () => 1)).toBe(500);
    expect(backoffDelayMs(1, undefined, () => 0.5)).toBe(750);
    expect(backoffDelayMs(10, undefined, () => 1)).toBe(8000);
  });

  it('honours Retry-After, including 0', () => {
    expect(backoffDelayMs(0, 4, () => 0.5)).toBe(4000);
    expect(backoffDelayMs(1, 0, () => 0.5)).toBe(0);
  });
});
