import { describe, expect, it } from 'vitest';
import { QuickCartError } from '../payments/errors.js';
import { StoreError } from '../store/errors.js';
import { StockKeyError } from '../store/stock-crypto.js';
import { asAdminError, splitStockFile } from './store.js';

describe('splitStockFile', () => {
  it('makes one item per non-empty line, trimmed, whatever the line ends', () => {
    expect(splitStockFile('\uFEFFa:1\r\nb:2\n\n  c:3  \rd:4\n', { blocks: false })).toEqual([
      'a:1',
      'b:2',
      'c:3',
      'd:4',
    ]);
  });

  it('with blocks, makes one item per blank-line-separated block, keeping its lines', () => {
    expect(splitStockFile('email:a\npassword:1\n \t\nemail:b\r\npassword:2\n\n\n', { blocks: true })).toEqual(
      ['email:a\npassword:1', 'email:b\npassword:2'],
    );
  });

  it('finds nothing in an empty file', () => {
    expect(splitStockFile('\n \n', { blocks: false })).toEqual([]);
    expect(splitStockFile('', { blocks: true })).toEqual([]);
  });
});

describe('asAdminError', () => {
  it('maps store errors to the admin codes and keeps the message and details', () => {
    const notFound = asAdminError(
      new StoreError('PRODUCT_NOT_FOUND', 'product 9 does not exist', { product_id: 9 }),
    );
    expect(notFound).toBeInstanceOf(QuickCartError);
    expect(notFound).toMatchObject({
      code: 'NOT_FOUND',
      message: 'product 9 does not exist',
      details: { product_id: 9 },
    });
    expect(asAdminError(new StoreError('INVALID_INPUT', 'bad'))).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(
      asAdminError(new StockKeyError('stock is encrypted but STOCK_ENCRYPTION_KEY is not set')),
    ).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'stock is encrypted but STOCK_ENCRYPTION_KEY is not set',
    });
    const other = new Error('boom');
    expect(asAdminError(other)).toBe(other);
  });
});
