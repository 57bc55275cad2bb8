// Retried creates never spend a second token: the SDK sends one Idempotency-Key per call, the same
// on every attempt, and the server replays its first answer.
import { afterEach, describe, expect, it } from 'vitest';
import { QuickCart } from '../../src/index.js';
import { type Double, dropProxy } from '../support/http-doubles.js';
import { createAccount, type TestServer, tokensOf } from '../support/server.js';

export function idempotencySuite(server: () => TestServer): void {
  const proxies: Double[] = [];
  afterEach(async () => {
    for (const proxy of proxies.splice(0)) await proxy.close();
  });

  describe('retried creates', () => {
    it('an answer lost after the server created the payment: the retry gets it replayed, one token spent', async () => {
      const account = await createAccount(server(), { tokens: 10 });
      // Drop the answer to the first POST: the server did the work, the client never hears of it.
      const proxy = await dropProxy(server().url, (seen, index) => seen.method === 'POST' && index === 0);
      proxies.push(proxy);
      const qc = new QuickCart({ baseUrl: proxy.baseUrl, apiKey: account.apiKey });
      // No reference_id: without the Idempotency-Key, a second attempt would create a second payment.
      const qris = await qc.payment.generateQRIS({ license_key: account.licenseKey, amount: 50000 });

      expect(proxy.seen.map((s) => [s.method, s.status, s.dropped])).toEqual([
        ['POST', 201, true],
        ['POST', 201, false],
      ]);
      const keys = proxy.seen.map((s) => s.headers['idempotency-key']);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);
      const { tokens, ledger } = await tokensOf(server(), account);
      expect(tokens).toBe(9);
      expect(ledger).toEqual([{ delta: -1, reason: 'debit', paymentId: qris.transaction_id }]);
      expect((await qc.payment.checkPaymentStatus(qris.transaction_id)).status).toBe('pending');
    });

    it('a create slower than the timeout: retries wait out "in progress" and get the replay, one token spent', async () => {
      const account = await createAccount(server(), { tokens: 10 });
      const proxy = await dropProxy(server().url, () => false);
      proxies.push(proxy);
      const sandbox = server().server.sandbox;
      if (!sandbox) throw new Error('expected the embedded sandbox');
      const qc = new QuickCart({
        baseUrl: proxy.baseUrl,
        apiKey: account.apiKey,
        timeoutMs: 500,
        maxRetries: 5,
      });
      sandbox.faults.set({ latencyMs: 1200 });
      let created: Awaited<ReturnType<typeof qc.partnerPayment.generateQris>>;
      try {
        created = await qc.partnerPayment.generateQris({
          transactionId: 'SLOW-1',
          amount: 50000,
          licenseKey: account.licenseKey,
        });
      } finally {
        sandbox.faults.reset();
      }
      expect(created.transaction_id).toBe('SLOW-1');
      // The slow first attempt (its answer reached the proxy, not the client), 409s while it ran, the replay.
      const statuses = proxy.seen.map((s) => s.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(2);
      expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
      expect(new Set(proxy.seen.map((s) => s.headers['idempotency-key'])).size).toBe(1);
      const { tokens, ledger } = await tokensOf(server(), account);
      expect(tokens).toBe(9);
      expect(ledger).toEqual([{ delta: -1, reason: 'debit', paymentId: created.payment_id }]);
    });
  });
}
