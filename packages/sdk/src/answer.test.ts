import { describe, expect, it } from 'vitest';
import { apiErrorFor, errorClassFor, parseBody, parseRetryAfter } from './answer.js';
import {
  ApiError,
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ValidationError,
} from './errors.js';

describe('errorClassFor', () => {
  it('maps each status to its class', () => {
    const expected: [number, typeof ApiError][] = [
      [400, ValidationError],
      [422, ValidationError],
      [401, AuthenticationError],
      [403, PermissionError],
      [404, NotFoundError],
      [409, ConflictError],
      [429, RateLimitError],
      [500, ApiError],
      [502, ApiError],
      [418, ApiError],
    ];
    for (const [status, ErrorClass] of expected) expect(errorClassFor(status)).toBe(ErrorClass);
  });
});

describe('apiErrorFor', () => {
  it('keeps code, message, details and request id of the error body', () => {
    const error = apiErrorFor('POST /v1/payments/qris', {
      status: 409,
      statusText: 'Conflict',
      headers: new Headers({ 'x-request-id': 'from-header' }),
      body: {
        success: false,
        error: 'The license has no tokens left',
        code: 'INSUFFICIENT_TOKENS',
        details: { license: 'lic_1' },
        timestamp: '2026-01-01T00:00:00.000Z',
        request_id: 'req-1',
      },
    });
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      status: 409,
      code: 'INSUFFICIENT_TOKENS',
      requestId: 'req-1',
      details: { license: 'lic_1' },
      name: 'ConflictError',
      message:
        'QuickCart answered 409 INSUFFICIENT_TOKENS to POST /v1/payments/qris: The license has no tokens left',
    });
  });

  it('names an answer without a code HTTP_<status>, with the header request id and Retry-After', () => {
    const error = apiErrorFor('GET /v1/payments/x', {
      status: 503,
      statusText: 'Service Unavailable',
      headers: new Headers({ 'x-request-id': 'proxy-1', 'retry-after': '7' }),
      body: '<html>busy</html>',
    });
    expect(error).toMatchObject({
      code: 'HTTP_503',
      requestId: 'proxy-1',
      retryAfterSeconds: 7,
      details: {},
    });
    expect(error.message).toBe('QuickCart answered 503 HTTP_503 to GET /v1/payments/x: Service Unavailable');
  });
});

describe('parseRetryAfter and parseBody', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('parses JSON, keeps other text, and reads empty as null', () => {
    expect(parseBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseBody('oops')).toBe('oops');
    expect(parseBody('')).toBeNull();
  });
});
