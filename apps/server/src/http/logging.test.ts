import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { censor, maskEmail, maskPhone, redactPaths, redactUrl, requestIdOf } from './logging.js';

describe('log redaction', () => {
  it('masks e-mail addresses and phone numbers', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskEmail('not-an-address')).toBe('[REDACTED]');
    expect(maskEmail(42)).toBe('[REDACTED]');
    expect(maskPhone('0812-3456-7890')).toBe('*********890');
    expect(maskPhone('123')).toBe('[REDACTED]');
  });

  it('censors by field name', () => {
    expect(censor('jane@example.com', ['body', 'customer_email'])).toBe('j***@example.com');
    expect(censor('081234567890', ['customerPhone'])).toBe('*********890');
    expect(censor('qc_live_x', ['headers', 'authorization'])).toBe('[REDACTED]');
  });

  it('covers secret fields at several depths', () => {
    const paths = redactPaths();
    for (const path of [
      'license_key',
      '*.license_key',
      '*.*.license_key',
      '*["x-api-key"]',
      '*.*.authorization',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it('blanks secret query parameters in logged URLs', () => {
    expect(redactUrl('/v1/payments/x?api_key=abc&ok=1&license_key=K-1#f')).toBe(
      '/v1/payments/x?api_key=[REDACTED]&ok=1&license_key=[REDACTED]#f',
    );
    expect(redactUrl('/v1/payments/x')).toBe('/v1/payments/x');
  });
});

describe('requestIdOf', () => {
  const req = (value?: string | string[]) =>
    ({ headers: { 'x-request-id': value } }) as unknown as IncomingMessage;
  it('keeps a plain x-request-id and makes one up otherwise', () => {
    expect(requestIdOf(req('abc-123_x.y:z'))).toBe('abc-123_x.y:z');
    for (const bad of [undefined, '', 'with space', 'x'.repeat(129), ['a', 'b'], 'new\nline']) {
      expect(requestIdOf(req(bad))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    }
  });
});
