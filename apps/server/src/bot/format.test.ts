import { describe, expect, it } from 'vitest';
import { cb, parseCallback } from './callback-data.js';
import { rupiah, thousands, wibDate, wibTime } from './format.js';
import { describeError, redact } from './redact.js';

describe('formats', () => {
  it('shows money as "Rp 50.000"', () => {
    expect(rupiah(50_000)).toBe('Rp 50.000');
    expect(rupiah(101_010)).toBe('Rp 101.010');
    expect(rupiah(999)).toBe('Rp 999');
    expect(rupiah(2_500_000)).toBe('Rp 2.500.000');
    expect(thousands(0)).toBe('0');
  });

  it('shows times in WIB (UTC+7)', () => {
    expect(wibTime(new Date('2025-01-01T07:05:00Z'))).toBe('14:05');
    expect(wibTime(new Date('2025-01-01T17:30:00Z'))).toBe('00:30');
    expect(wibDate(new Date('2025-01-01T17:30:00Z'))).toBe('02/01/2025');
  });
});

describe('callback data', () => {
  it('round-trips every action within Telegram 64 bytes', () => {
    const order = 'tg1234567890123-ABCDEFGH';
    const cases = [
      [cb.menu(), { kind: 'menu' }],
      [cb.catalog(), { kind: 'catalog' }],
      [cb.category('Streaming Film'), { kind: 'category', category: 'Streaming Film' }],
      [cb.product(1), { kind: 'product', productId: 1 }],
      [cb.quantity(1, 'plus'), { kind: 'quantity', productId: 1, change: 'plus' }],
      [cb.quantity(12, 'minus'), { kind: 'quantity', productId: 12, change: 'minus' }],
      [cb.buy(7), { kind: 'buy', productId: 7 }],
      [cb.status(order), { kind: 'status', orderId: order }],
      [cb.cancel(order), { kind: 'cancel', orderId: order }],
      [cb.content(order), { kind: 'content', orderId: order }],
      [cb.orders(), { kind: 'orders' }],
      [cb.language('id'), { kind: 'language', language: 'id' }],
      [cb.language('en'), { kind: 'language', language: 'en' }],
    ] as const;
    for (const [data, action] of cases) {
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(parseCallback(data)).toEqual(action);
    }
    expect(cb.quantity(1, 'plus')).toBe('product_1_quantity_plus'); // seed 003
    expect(cb.menu()).toBe('back_to_menu'); // seed 003
  });

  it('ignores data it never made', () => {
    for (const data of [
      '',
      'product_',
      'product_x',
      'product_1_quantity_up',
      'category:',
      'x'.repeat(65),
      'foo:bar',
      'lang:fr',
    ]) {
      expect(parseCallback(data)).toBeNull();
    }
  });
});

describe('token redaction', () => {
  const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
  it('removes the token from URLs and text', () => {
    expect(redact(`request to https://api.telegram.org/bot${token}/getMe failed`, token)).toBe(
      'request to https://api.telegram.org/bot<redacted>/getMe failed',
    );
    // Also a token it was not told about.
    expect(redact(`GET /file/bot${token}/documents/x.txt`)).toBe('GET /file/bot<redacted>/documents/x.txt');
    expect(redact(`token=${token}`)).toBe('token=<redacted>');
  });

  it('follows causes and grammY HttpError.error', () => {
    const inner = new Error(`connect ECONNREFUSED for https://api.telegram.org/bot${token}/sendMessage`);
    const outer = Object.assign(new Error("Network request for 'sendMessage' failed!"), { error: inner });
    const text = describeError(new Error('delivery failed', { cause: outer }), token);
    expect(text).toContain("Network request for 'sendMessage' failed!");
    expect(text).toContain('ECONNREFUSED');
    expect(text).not.toContain(token.split(':')[1]);
  });
});
