import { describe, expect, it } from 'vitest';
import { Pakasir } from './client.js';
import { PakasirValidationError } from './errors.js';

const depodomain = new Pakasir({ project: 'depodomain', apiKey: 'xxx123' });

describe('payUrl', () => {
  // Every example of seeds 000 and 001, byte for byte.
  it('builds the seed 001 URL examples', () => {
    expect(depodomain.payUrl({ amount: 22000, orderId: '240910HDE7C9' })).toBe(
      'https://app.pakasir.com/pay/depodomain/22000?order_id=240910HDE7C9',
    );
    expect(depodomain.payUrl({ amount: 22000, orderId: '240910HDE7C9', qrisOnly: true })).toBe(
      'https://app.pakasir.com/pay/depodomain/22000?order_id=240910HDE7C9&qris_only=1',
    );
    expect(depodomain.payUrl({ amount: 22000, orderId: '240910HDE7C9', paypal: true })).toBe(
      'https://app.pakasir.com/paypal/depodomain/22000?order_id=240910HDE7C9',
    );
  });

  it('percent-encodes the redirect (the seed prints it raw)', () => {
    expect(
      depodomain.payUrl({
        amount: 22000,
        orderId: '240910HDE7C9',
        redirect: 'https://app.depodomain.com/invoices',
      }),
    ).toBe(
      'https://app.pakasir.com/pay/depodomain/22000?order_id=240910HDE7C9&redirect=https%3A%2F%2Fapp.depodomain.com%2Finvoices',
    );
  });

  it('uses the custom domain of seeds 000 and 001', () => {
    const custom = new Pakasir({ project: 'depodomain', apiKey: 'k', publicDomain: 'https://pots.my.id/' });
    expect(custom.payUrl({ amount: 22000, orderId: 'tg12345-250910HDE7C9', qrisOnly: true })).toBe(
      'https://pots.my.id/pay/depodomain/22000?order_id=tg12345-250910HDE7C9&qris_only=1',
    );
    expect(depodomain.payUrl({ amount: 1000, orderId: 'A1', domain: 'https://pay.example.id' })).toBe(
      'https://pay.example.id/pay/depodomain/1000?order_id=A1',
    );
  });

  it('refuses bad amounts and order ids before building anything', () => {
    expect(() => depodomain.payUrl({ amount: 0, orderId: 'A1' })).toThrow(PakasirValidationError);
    expect(() => depodomain.payUrl({ amount: 10.5, orderId: 'A1' })).toThrow(PakasirValidationError);
    expect(() => depodomain.payUrl({ amount: 1000, orderId: '' })).toThrow(PakasirValidationError);
    expect(() => depodomain.payUrl({ amount: 1000, orderId: 'has space' })).toThrow(PakasirValidationError);
    expect(() => depodomain.payUrl({ amount: 1000, orderId: 'x'.repeat(65) })).toThrow(/at most 64/);
  });
});
