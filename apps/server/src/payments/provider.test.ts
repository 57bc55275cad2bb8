import {
  PakasirApiError,
  PakasirNetworkError,
  PakasirTimeoutError,
  PakasirValidationError,
} from '@quickcart/pakasir';
import { describe, expect, it } from 'vitest';
import { mapPakasirStatus, ProviderError, providerErrorOf, sandboxSimulator } from './provider.js';

describe('Pakasir provider adapter', () => {
  it('maps Pakasir statuses into ours', () => {
    expect(mapPakasirStatus('completed')).toBe('paid');
    expect(mapPakasirStatus('pending')).toBe('pending');
    expect(mapPakasirStatus('expired')).toBe('expired');
    expect(mapPakasirStatus('canceled')).toBe('cancelled');
    expect(() => mapPakasirStatus('refunded' as never)).toThrow(ProviderError);
  });

  it('sorts client errors into not_found, rejected and unavailable, keeping the cause', () => {
    const kind = (error: unknown) => providerErrorOf(error, 'detail').kind;
    expect(kind(new PakasirApiError('nope', 404, null))).toBe('not_found');
    expect(kind(new PakasirApiError('not pending', 409, null))).toBe('rejected');
    expect(kind(new PakasirApiError('bad', 400, null))).toBe('rejected');
    expect(kind(new PakasirApiError('slow down', 429, null))).toBe('unavailable');
    expect(kind(new PakasirApiError('down', 503, null))).toBe('unavailable');
    expect(kind(new PakasirNetworkError('refused'))).toBe('unavailable');
    expect(kind(new PakasirTimeoutError('late'))).toBe('unavailable');
    expect(kind(new PakasirValidationError('no txn id'))).toBe('rejected');
    const cause = new PakasirTimeoutError('Pakasir did not answer GET /api/transactiondetail within 10 ms');
    const error = providerErrorOf(cause, 'transactionDetail for order pay_x');
    expect(error.message).toBe(
      'pakasir transactionDetail for order pay_x failed: Pakasir did not answer GET /api/transactiondetail within 10 ms',
    );
    expect(error.cause).toBe(cause);
  });

  it('a sandbox simulator turns the sandbox’s 404 and 409 into ProviderErrors', async () => {
    const failing = (status: number) =>
      sandboxSimulator({
        pay() {
          throw Object.assign(new Error(`status ${status}`), { status });
        },
      })({ orderId: 'pay_x', amount: 1000 });
    await expect(failing(404)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(failing(409)).rejects.toMatchObject({ kind: 'rejected' });
    await expect(failing(500)).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
