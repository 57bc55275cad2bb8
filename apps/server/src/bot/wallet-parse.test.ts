import { describe, expect, it } from 'vitest';
import { WIB_OFFSET_MS } from '../store/stats.js';
import { cb, parseCallback } from './callback-data.js';
import { parseVoucherCreate } from './handlers/vouchers.js';
import { parseAmount } from './handlers/wallet.js';
import { PendingPrompts } from './prompts.js';

describe('wallet callback data', () => {
  it('round-trips the pay, voucher and top-up buttons within 64 bytes', () => {
    const longest = {
      mode: 'split',
      productId: 123_456_789,
      quantity: 100,
      nonce: 'a1b2c3',
      voucherCode: 'X'.repeat(32),
    } as const;
    const cases = [
      [cb.pay(longest), { kind: 'pay', ...longest }],
      [
        cb.pay({ mode: 'qris', productId: 7, quantity: 2, nonce: '000abc', voucherCode: null }),
        { kind: 'pay', mode: 'qris', productId: 7, quantity: 2, nonce: '000abc', voucherCode: null },
      ],
      [
        cb.pay({ mode: 'balance', productId: 7, quantity: 1, nonce: 'zzzzzz', voucherCode: 'HEMAT-10' }),
        { kind: 'pay', mode: 'balance', productId: 7, quantity: 1, nonce: 'zzzzzz', voucherCode: 'HEMAT-10' },
      ],
      [cb.voucherAsk(7, 3), { kind: 'voucherAsk', productId: 7, quantity: 3 }],
      [cb.wallet(), { kind: 'wallet' }],
      [cb.topupAsk(), { kind: 'topupAsk' }],
      [cb.topup(50_000), { kind: 'topup', amount: 50_000 }],
    ] as const;
    for (const [data, action] of cases) {
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(parseCallback(data)).toEqual(action);
    }
  });

  it('ignores pay and top-up data it never made', () => {
    for (const data of [
      'pay:x:1:1:abcdef',
      'pay:q:1:1:abc',
      'pay:q:1:1:abcdef:lower',
      'topup:',
      'topup:1e5',
    ]) {
      expect(parseCallback(data)).toBeNull();
    }
  });
});

describe('typed top-up amounts', () => {
  it('reads 50000, 50.000, 50,000 and Rp 50.000', () => {
    for (const text of ['50000', '50.000', '50,000', 'Rp 50.000', 'rp50000', ' 50 000 ']) {
      expect(parseAmount(text)).toBe(50_000);
    }
  });

  it('refuses what is not an amount', () => {
    for (const text of ['', 'lima puluh', '50.00', '-5000', '1e5', '5.0000'])
      expect(parseAmount(text)).toBeNull();
  });
});

describe('/voucher create arguments', () => {
  it('reads the kind, value and options; the expiry is the end of that day in WIB', () => {
    expect(
      parseVoucherCreate([
        'hemat10',
        'percent',
        '10',
        'product=3',
        'expires=2030-12-31',
        'max=100',
        'per_user=1',
      ]),
    ).toEqual({
      code: 'hemat10',
      kind: 'percent',
      value: 10,
      productId: 3,
      expiresAt: new Date(Date.UTC(2031, 0, 1) - WIB_OFFSET_MS),
      maxUses: 100,
      maxUsesPerUser: 1,
    });
    expect(parseVoucherCreate(['POTONG', 'fixed', '5.000'])).toEqual({
      code: 'POTONG',
      kind: 'fixed',
      value: 5000,
    });
  });

  it('refuses a bad kind, value, date or option with a reason', () => {
    for (const args of [
      ['X', 'half', '10'],
      ['X', 'percent', 'ten'],
      ['X', 'percent', '10', 'expires=2030-02-30'],
      ['X', 'percent', '10', 'colour=red'],
      ['X', 'percent', '10', 'max='],
    ]) {
      expect(() => parseVoucherCreate(args)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

describe('pending prompts', () => {
  it('answers a prompt once, forgets it after the timeout, and stays bounded', () => {
    let now = 0;
    const prompts = new PendingPrompts({ max: 2, ttlMs: 1000, now: () => now });
    prompts.set(1, { kind: 'topup' });
    expect(prompts.take(1, ['topup'])).toEqual({ kind: 'topup' });
    expect(prompts.take(1, ['topup'])).toBeNull();
    prompts.set(1, { kind: 'voucher', productId: 3, quantity: 1 });
    now = 1000;
    expect(prompts.take(1, ['voucher'])).toBeNull();
    prompts.set(1, { kind: 'topup' });
    prompts.set(2, { kind: 'topup' });
    prompts.set(3, { kind: 'topup' });
    expect(prompts.take(1, ['topup'])).toBeNull();
    expect(prompts.take(3, ['topup'])).toEqual({ kind: 'topup' });
  });

  it('keeps one question per user: each handler takes only its own kinds, a new one replaces the old', () => {
    let now = 0;
    const prompts = new PendingPrompts({ ttlMs: 1000, now: () => now });
    prompts.set(1, { kind: 'reason', orderId: 'tg1-a', stockItemId: 7 }, 5000);
    expect(prompts.take(1, ['voucher', 'topup'])).toBeNull();
    expect(prompts.peek(1, ['reason'])).toEqual({ kind: 'reason', orderId: 'tg1-a', stockItemId: 7 });
    now = 2000; // past the default time, within its own
    expect(prompts.take(1, ['reason'])).toMatchObject({ orderId: 'tg1-a' });
    prompts.set(1, { kind: 'reason', orderId: 'tg1-b', stockItemId: 8 });
    prompts.set(1, { kind: 'topup' });
    expect(prompts.peek(1, ['reason'])).toBeNull();
    expect(prompts.take(1, ['topup'])).toEqual({ kind: 'topup' });
  });
});
