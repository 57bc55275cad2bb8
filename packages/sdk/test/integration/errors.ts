// Every error class, from real answers of the server.
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionError,
  QuickCart,
  QuickCartError,
  RateLimitError,
  ValidationError,
} from '../../src/index.js';
import { CREATE_LIMIT, createAccount, type TestServer, tokensOf } from '../support/server.js';

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).requestId).toMatch(/^[\w.:-]+$/);
  return error as ApiError;
}

export function errorSuite(server: () => TestServer): void {
  const setup = async (options: Parameters<typeof createAccount>[1] = {}) => {
    const account = await createAccount(server(), options);
    return { account, qc: new QuickCart({ baseUrl: server().url, apiKey: account.apiKey }) };
  };

  describe('errors from the server', () => {
    it('ValidationError: INVALID_AMOUNT, INVALID_PAYMENT_TYPE, VALIDATION_ERROR with details', async () => {
      const { qc, account } = await setup();
      const amount = await rejection(
        qc.payment.generateQRIS({ license_key: account.licenseKey, amount: 100 }),
      );
      expect(amount).toBeInstanceOf(ValidationError);
      expect(amount).toMatchObject({ status: 400, code: 'INVALID_AMOUNT', details: { field: 'amount' } });
      const type = await rejection(
        qc.partnerPayment.generate({
          transaction_id: 'T-1',
          amount: 50000,
          license_key: account.licenseKey,
          payment_type: 'CASH' as 'QRIS',
        }),
      );
      expect(type).toMatchObject({ status: 400, code: 'INVALID_PAYMENT_TYPE' });
      const email = await rejection(
        qc.partnerPayment.generateQris({
          transactionId: 'T-2',
          amount: 50000,
          licenseKey: account.licenseKey,
          customerEmail: 'not an e-mail',
        }),
      );
      expect(email).toBeInstanceOf(ValidationError);
      expect(email).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'customer_email' } });
      expect((await tokensOf(server(), account)).tokens).toBe(10);
    });

    it('NotFoundError: an unknown payment (NOT_FOUND) and a license key of nobody (INVALID_LICENSE)', async () => {
      const { qc } = await setup();
      const payment = await rejection(qc.payment.checkPaymentStatus('pay_doesnotexist'));
      expect(payment).toBeInstanceOf(NotFoundError);
      expect(payment).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      const license = await rejection(qc.payment.generateQRIS({ license_key: 'INVALID-KEY', amount: 50000 }));
      expect(license).toBeInstanceOf(NotFoundError);
      expect(license).toMatchObject({ status: 404, code: 'INVALID_LICENSE' });
      await expect(qc.payment.cancelPayment('nope')).rejects.toBeInstanceOf(NotFoundError);
      await expect(qc.payment.waitForPayment('nope', { timeout: 1000 })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('AuthenticationError: an unknown API key (UNAUTHORIZED), which the message never shows', async () => {
      const apiKey = 'qc_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
      const qc = new QuickCart({ baseUrl: server().url, apiKey });
      const error = await rejection(qc.payment.checkPaymentStatus('pay_x'));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      expect(`${error.message} ${JSON.stringify(error)} ${JSON.stringify(error.body)}`).not.toContain(apiKey);
    });

    it('PermissionError: an expired license (LICENSE_EXPIRED)', async () => {
      const { qc, account } = await setup({ expiresAt: new Date(Date.now() - 60_000) });
      const error = await rejection(
        qc.payment.generateQRIS({ license_key: account.licenseKey, amount: 50000 }),
      );
      expect(error).toBeInstanceOf(PermissionError);
      expect(error).toMatchObject({ status: 403, code: 'LICENSE_EXPIRED' });
    });

    it('ConflictError: INSUFFICIENT_TOKENS, DUPLICATE_TRANSACTION, and cancelling a paid payment', async () => {
      const { qc, account } = await setup({ tokens: 1 });
      const body = { transactionId: 'DUP-1', amount: 50000, licenseKey: account.licenseKey };
      const first = await qc.partnerPayment.generateQris(body);
      const duplicate = await rejection(qc.partnerPayment.generateQris(body));
      expect(duplicate).toBeInstanceOf(ConflictError);
      expect(duplicate).toMatchObject({ status: 409, code: 'DUPLICATE_TRANSACTION' });
      const empty = await rejection(qc.partnerPayment.generateQris({ ...body, transactionId: 'DUP-2' }));
      expect(empty).toBeInstanceOf(ConflictError);
      expect(empty).toMatchObject({ status: 409, code: 'INSUFFICIENT_TOKENS' });
      await qc.payment.simulatePayment(first.payment_id);
      const cancel = await rejection(qc.payment.cancelPayment(first.payment_id));
      expect(cancel).toBeInstanceOf(ConflictError);
      expect(cancel).toMatchObject({ code: 'CONFLICT' });
    });

    it(`RateLimitError: creates beyond ${CREATE_LIMIT} a minute (RATE_LIMITED, Retry-After too long to wait)`, async () => {
      const { qc, account } = await setup();
      const invalid = { license_key: account.licenseKey, amount: 1 };
      const spent = await Promise.allSettled(
        Array.from({ length: CREATE_LIMIT }, () => qc.payment.generateQRIS(invalid, { maxRetries: 0 })),
      );
      for (const outcome of spent) {
        expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(ValidationError);
      }
      const started = performance.now();
      const error = await rejection(qc.payment.generateQRIS(invalid));
      expect(performance.now() - started).toBeLessThan(1000);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(error.retryAfterSeconds).toBeGreaterThan(30);
      // Reads have their own bucket.
      await expect(qc.payment.checkPaymentStatus('nope')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('ApiError GATEWAY_ERROR (502) when the gateway fails: not retried, token refunded', async () => {
      const { qc, account } = await setup({ tokens: 3 });
      const sandbox = server().server.sandbox;
      if (!sandbox) throw new Error('expected the embedded sandbox');
      sandbox.faults.set({ errors: [502, 502] });
      let error: ApiError;
      try {
        error = await rejection(qc.payment.generateQRIS({ license_key: account.licenseKey, amount: 50000 }));
        expect(sandbox.faults.current()).toMatchObject({ errors: [] });
      } finally {
        sandbox.faults.reset();
      }
      expect(error).toMatchObject({ status: 502, code: 'GATEWAY_ERROR' });
      expect(error).toBeInstanceOf(QuickCartError);
      for (const Specific of [ValidationError, NotFoundError, ConflictError, RateLimitError]) {
        expect(error).not.toBeInstanceOf(Specific);
      }
      const { tokens, ledger } = await tokensOf(server(), account);
      expect(tokens).toBe(3);
      expect(ledger.map((entry) => entry.reason)).toEqual(['debit', 'refund']);
    });
  });
}
