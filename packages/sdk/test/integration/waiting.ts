// waitForPayment over the server's long-poll: woken by the payment itself, not by polling.
import { describe, expect, it } from 'vitest';
import { PaymentTimeoutError, QuickCart } from '../../src/index.js';
import { createAccount, type TestServer } from '../support/server.js';

export function waitingSuite(server: () => TestServer): void {
  const setup = async () => {
    const account = await createAccount(server(), { tokens: 10 });
    const qc = new QuickCart({ baseUrl: server().url, apiKey: account.apiKey });
    const qris = await qc.payment.generateQRIS({ license_key: account.licenseKey, amount: 50000 });
    return { qc, id: qris.transaction_id };
  };
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  describe('waitForPayment against the server', () => {
    it('resolves within 200 ms of the payer paying in the sandbox', async () => {
      const { qc, id } = await setup();
      let resolvedAt = 0;
      const waiting = qc.payment.waitForPayment(id, { timeout: 20_000 }).then((result) => {
        resolvedAt = performance.now();
        return result;
      });
      await settle(300); // the long-poll is open and has read `pending`
      const sandbox = server().server.sandbox;
      if (!sandbox) throw new Error('expected the embedded sandbox');
      const paidAt = performance.now();
      sandbox.pay(id); // as the payer: the sandbox sends its webhook, QuickCart confirms it
      const result = await waiting;
      expect(result).toMatchObject({ status: 'paid', transaction_id: id, timeout: false });
      expect(resolvedAt - paidAt).toBeLessThan(200);
    });

    it('throws PaymentTimeoutError ("timeout") when nothing happens in time', async () => {
      const { qc, id } = await setup();
      const started = performance.now();
      const error = await qc.payment
        .waitForPayment(id, { timeout: 800, interval: 100 })
        .catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(PaymentTimeoutError);
      expect((error as Error).message).toContain('timeout');
      expect((error as Error).message).toContain(id);
      expect(elapsed).toBeGreaterThanOrEqual(790);
      expect(elapsed).toBeLessThan(2000);
      expect((await qc.payment.checkPaymentStatus(id)).status).toBe('pending');
    });

    it('stops at once when its signal aborts', async () => {
      const { qc, id } = await setup();
      const controller = new AbortController();
      const waiting = qc.payment.waitForPayment(id, { timeout: 30_000, signal: controller.signal });
      await settle(200);
      const abortedAt = performance.now();
      controller.abort(new Error('the customer walked away'));
      await expect(waiting).rejects.toThrow('the customer walked away');
      expect(performance.now() - abortedAt).toBeLessThan(100);
    });

    it('resolves with cancelled when the payment is cancelled meanwhile', async () => {
      const { qc, id } = await setup();
      const waiting = qc.payment.waitForPayment(id, { timeout: 10_000 });
      await settle(100);
      await qc.payment.cancelPayment(id);
      expect(await waiting).toMatchObject({ status: 'cancelled' });
    });
  });
}
