import { describe, expect, it } from 'vitest';
import {
  parseAddProduct,
  parseAddStock,
  parseAddStockCaption,
  parseRupiah,
  parseSetPrice,
} from './admin-parse.js';
import { QuantityMemory } from './context.js';
import { SlidingWindowLimiter } from './rate-limit.js';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` actions in any window, refusals not counted', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ limit: 10, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 10; i++) expect(limiter.take('u')).toBe(true);
    expect(limiter.take('u')).toBe(false);
    expect(limiter.take('other')).toBe(true);
    now = 59_999;
    expect(limiter.take('u')).toBe(false);
    now = 60_001;
    expect(limiter.take('u')).toBe(true);
  });

  it('forgets idle keys', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1000, now: () => now });
    for (let i = 0; i < 500; i++) limiter.take(`k${i}`);
    now = 5000;
    for (let i = 0; i < 1000; i++) limiter.take('same');
    expect(limiter.size).toBe(1);
  });
});

describe('QuantityMemory', () => {
  it('remembers one product per user, 1 by default, bounded', () => {
    const memory = new QuantityMemory(2);
    expect(memory.get(1, 5)).toBe(1);
    memory.set(1, 5, 3);
    expect(memory.get(1, 5)).toBe(3);
    expect(memory.get(1, 6)).toBe(1);
    memory.set(2, 5, 2);
    memory.set(3, 5, 2);
    expect(memory.get(1, 5)).toBe(1); // evicted
  });
});

describe('admin arguments', () => {
  it('parses prices as typed by people', () => {
    expect(parseRupiah('50000', 'x')).toBe(50_000);
    expect(parseRupiah('50.000', 'x')).toBe(50_000);
    expect(parseRupiah('Rp 1,250,000', 'x')).toBe(1_250_000);
    expect(() => parseRupiah('50.00', 'x')).toThrow(/angka rupiah/);
    expect(() => parseRupiah('-5', 'x')).toThrow(/angka rupiah/);
  });

  it('parses /addproduct, /addstock and /setprice', () => {
    expect(parseAddProduct('Netflix | Streaming | 50000 | 45.000 | Akun')).toEqual({
      name: 'Netflix',
      category: 'Streaming',
      customerPrice: 50_000,
      resellerPrice: 45_000,
      description: 'Akun',
    });
    expect(parseAddStock('/addstock 3 a@x:1\nb@x:2')).toEqual({ productId: 3, items: ['a@x:1', 'b@x:2'] });
    expect(parseAddStock('/addstock@quickcart_bot 4\nemail:a\npassword:b\n\nemail:c\npassword:d')).toEqual({
      productId: 4,
      items: ['email:a\npassword:b', 'email:c\npassword:d'],
    });
    expect(parseAddStockCaption('/addstock 12')).toBe(12);
    expect(parseAddStockCaption('stok baru')).toBeNull();
    expect(parseSetPrice('3 30000')).toEqual({ productId: 3, customerPrice: 30_000 });
    expect(parseSetPrice(' 3 30000 27000 ')).toEqual({
      productId: 3,
      customerPrice: 30_000,
      resellerPrice: 27_000,
    });
    expect(() => parseSetPrice('3')).toThrow();
    expect(() => parseAddStock('/addstock x')).toThrow();
  });
});
