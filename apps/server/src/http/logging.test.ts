import type { IncomingMessage } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  censor,
  lazyChildLogger,
  maskEmail,
  maskPhone,
  redactPaths,
  redactUrl,
  requestIdOf,
} from './logging.js';

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

describe('lazyChildLogger', () => {
  /** A pino logger at `level` writing its lines into an array, and how often its own `child` ran. */
  function parent(level: string) {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof child>) => {
      children++;
      return child(...args);
    }) as typeof logger.child;
    return { logger, lines, children: () => children };
  }

  it('makes no child for calls of levels that are off, and a real one on the first line written', () => {
    const p = parent('warn');
    const log = lazyChildLogger(p.logger, { request_id: 'r-1' }, {});
    log.info('not written');
    log.debug({ a: 1 }, 'not written');
    expect(p.children()).toBe(0);
    log.warn({ license_key: 'secret' }, 'written');
    log.error('again');
    expect(p.children()).toBe(1);
    expect(p.lines).toMatchObject([
      { request_id: 'r-1', msg: 'written' },
      { request_id: 'r-1', msg: 'again' },
    ]);
  });

  it('makes no child when its methods are only looked at (as Fastify checks a logger it is given)', () => {
    const p = parent('warn');
    const log = lazyChildLogger(p.logger, { request_id: 'r-3' }, {});
    for (const method of ['info', 'error', 'debug', 'fatal', 'warn', 'trace', 'child'] as const) {
      expect(typeof log[method]).toBe('function');
    }
    expect(p.children()).toBe(0);
  });

  it('behaves as the child for everything else (level, child)', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const log = lazyChildLogger(logger, { request_id: 'r-2' }, {});
    expect(log.level).toBe('info');
    log.child({ extra: true }).info('nested');
    expect(lines).toMatchObject([{ request_id: 'r-2', extra: true, msg: 'nested' }]);
  });
});
