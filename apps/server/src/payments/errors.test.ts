import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, isQuickCartError, QuickCartError, statusOf, toErrorBody } from './errors.js';

describe('error catalog', () => {
  it('holds the seeds’ codes with the statuses of seed 003', () => {
    expect(
      Object.fromEntries(Object.entries(ERROR_CATALOG).map(([code, entry]) => [code, entry.status])),
    ).toMatchObject({
      VALIDATION_ERROR: 400,
      INVALID_AMOUNT: 400,
      INVALID_PAYMENT_TYPE: 400,
      UNAUTHORIZED: 401,
      LICENSE_EXPIRED: 403,
      INVALID_LICENSE: 404,
      NOT_FOUND: 404,
      INSUFFICIENT_TOKENS: 409,
      DUPLICATE_TRANSACTION: 409,
      CONFLICT: 409,
      RATE_LIMITED: 429,
      GATEWAY_ERROR: 502,
    });
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(entry.message.length).toBeGreaterThan(0);
      expect(entry.fix.length).toBeGreaterThan(0);
    }
    expect(statusOf('GATEWAY_ERROR')).toBe(502);
  });

  it('errors carry code, status, details and cause', () => {
    const cause = new Error('socket hang up');
    const error = new QuickCartError('GATEWAY_ERROR', { details: { upstream: 'pakasir' }, cause });
    expect(error).toMatchObject({
      name: 'QuickCartError',
      code: 'GATEWAY_ERROR',
      status: 502,
      message: 'The payment gateway failed',
      details: { upstream: 'pakasir' },
      cause,
    });
    expect(isQuickCartError(error)).toBe(true);
    expect(isQuickCartError(error, 'GATEWAY_ERROR')).toBe(true);
    expect(isQuickCartError(error, 'NOT_FOUND')).toBe(false);
    expect(isQuickCartError(new Error('x'))).toBe(false);
    expect(new QuickCartError('NOT_FOUND', { message: 'payment pay_x not found' }).message).toBe(
      'payment pay_x not found',
    );
  });

  it('renders the ARCHITECTURE.md error body, hiding unknown errors', () => {
    const now = new Date('2026-01-15T10:30:00Z');
    expect(
      toErrorBody(new QuickCartError('INSUFFICIENT_TOKENS', { details: { tokens: 0 } }), {
        requestId: 'req-1',
        now,
      }),
    ).toEqual({
      success: false,
      error: 'The license has no tokens left (each payment costs one)',
      code: 'INSUFFICIENT_TOKENS',
      details: { tokens: 0 },
      timestamp: '2026-01-15T10:30:00.000Z',
      request_id: 'req-1',
    });
    const hidden = toErrorBody(new Error('password authentication failed for user "qc"'), { now });
    expect(hidden).toMatchObject({ code: 'INTERNAL_ERROR', error: 'Internal error', request_id: null });
  });

  it('is documented row for row in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` +\| (\d{3}) +\| (.+?) +\| (.+?) +\|$/gm)];
    expect(rows.map(([, code, status, message, fix]) => [code, Number(status), message, fix])).toEqual(
      Object.entries(ERROR_CATALOG).map(([code, entry]) => [code, entry.status, entry.message, entry.fix]),
    );
  });
});
