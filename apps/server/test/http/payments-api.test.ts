import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { describeEachDatabase } from '../databases.js';
import { FakePaymentService } from '../fake-payments.js';
import { auth, expectError, type Harness, partnerBody, startHarness, testConfig } from '../http-harness.js';

describeEachDatabase('reading, cancelling and simulating payments', (getDatabase) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(getDatabase(), { tokens: 1000 });
  });
  afterAll(() => h.close());

  describe('GET /v1/payments/:id, cancel, simulate', () => {
    async function create(partner = h.partner) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(partner),
        payload: partnerBody(partner),
      });
      expect(res.statusCode).toBe(201);
      return res.json() as { payment_id: string; transaction_id: string };
    }

    it('reads the PaymentStatus by payment id and by transaction id', async () => {
      const { payment_id, transaction_id } = await create();
      for (const id of [payment_id, transaction_id]) {
        const res = await h.app.inject({
          url: `/v1/payments/${encodeURIComponent(id)}`,
          headers: auth(h.partner),
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({
          success: true,
          transaction_id: payment_id,
          payment_id,
          reference_id: transaction_id,
          status: 'pending',
          amount: 50_000,
          payment_type: 'QRIS',
          description: 'Laundry Payment',
          created_at: expect.any(String),
          expires_at: expect.any(String),
        });
      }
    });

    it('finds a payment by a 255-character transaction id with reserved characters', async () => {
      const transactionId = `INV/2026/${'x'.repeat(240)}?#`;
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: partnerBody(h.partner, { transaction_id: transactionId }),
      });
      expect(res.statusCode).toBe(201);
      const status = await h.app.inject({
        url: `/v1/payments/${encodeURIComponent(transactionId)}`,
        headers: auth(h.partner),
      });
      expect(status.statusCode).toBe(200);
      expect(status.json().reference_id).toBe(transactionId);
    });

    it('shows paid_at and payer_info once paid', async () => {
      const { payment_id } = await create();
      h.fake.pay(payment_id, { bank: 'BCA', account_name: 'Budi' });
      const json = (
        await h.app.inject({ url: `/v1/payments/${payment_id}`, headers: auth(h.partner) })
      ).json();
      expect(json.status).toBe('paid');
      expect(json.paid_at).toMatch(/^\d{4}-/);
      expect(json.payer_info).toEqual({ bank: 'BCA', account_name: 'Budi' });
    });

    it('hides another partner’s payment behind 404, on every route', async () => {
      const { payment_id, transaction_id } = await create(h.other);
      const requests = [
        { method: 'GET' as const, url: `/v1/payments/${payment_id}` },
        { method: 'GET' as const, url: `/v1/payments/${transaction_id}` },
        { method: 'GET' as const, url: `/v1/payments/${payment_id}/wait?timeout_ms=10` },
        { method: 'GET' as const, url: `/v1/payments/${payment_id}/events` },
        { method: 'POST' as const, url: `/v1/payments/${payment_id}/cancel` },
        { method: 'POST' as const, url: `/v1/payments/${payment_id}/simulate` },
      ];
      for (const request of requests) {
        const res = await h.app.inject({ ...request, headers: auth(h.partner) });
        expect(res.statusCode, `${request.method} ${request.url}`).toBe(404);
        expectError(res.json(), 'NOT_FOUND');
      }
      const mine = await h.app.inject({ url: `/v1/payments/${payment_id}`, headers: auth(h.other) });
      expect(mine.statusCode).toBe(200);
    });

    it('cancels a pending payment, again idempotently, and refuses to cancel a paid one (409)', async () => {
      const { payment_id } = await create();
      const res = await h.app.inject({
        method: 'POST',
        url: `/v1/payments/${payment_id}/cancel`,
        headers: auth(h.partner),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ success: true, status: 'cancelled', message: 'Payment cancelled' });
      const again = await h.app.inject({
        method: 'POST',
        url: `/v1/payments/${payment_id}/cancel`,
        headers: auth(h.partner, { 'content-type': 'application/json' }),
      });
      expect(again.statusCode).toBe(200);

      const paid = await create();
      h.fake.pay(paid.payment_id);
      const refused = await h.app.inject({
        method: 'POST',
        url: `/v1/payments/${paid.payment_id}/cancel`,
        headers: auth(h.partner),
      });
      expect(refused.statusCode).toBe(409);
      expectError(refused.json(), 'CONFLICT');
    });

    it('simulates a payment in sandbox mode', async () => {
      const { payment_id } = await create();
      const res = await h.app.inject({
        method: 'POST',
        url: `/v1/payments/${payment_id}/simulate`,
        headers: auth(h.partner),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'paid', payer_info: { payment_method: 'qris' } });
      const twice = await h.app.inject({
        method: 'POST',
        url: `/v1/payments/${payment_id}/simulate`,
        headers: auth(h.partner),
      });
      expect(twice.statusCode).toBe(409);
    });

    it('shows a failed payment as cancelled (seed 002 knows four statuses)', async () => {
      const failed = await create();
      h.fake.fail(failed.payment_id);
      const res = await h.app.inject({ url: `/v1/payments/${failed.payment_id}`, headers: auth(h.partner) });
      expect(res.json().status).toBe('cancelled');
      const expired = await create();
      h.fake.expire(expired.payment_id);
      const json = (
        await h.app.inject({ url: `/v1/payments/${expired.payment_id}`, headers: auth(h.partner) })
      ).json();
      expect(json.status).toBe('expired');
    });
  });

  describe('routes and errors', () => {
    it('answers unknown routes with 404 NOT_FOUND in the error format', async () => {
      const res = await h.app.inject({ url: '/v1/nope', headers: { 'x-request-id': 'req-abc_123' } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['x-request-id']).toBe('req-abc_123');
      expectError(res.json(), 'NOT_FOUND', 'req-abc_123');
    });

    it('generates a request id when the given one is unusable, and echoes it', async () => {
      const res = await h.app.inject({ url: '/health', headers: { 'x-request-id': 'bad id with spaces' } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers an internal fault with 500 INTERNAL_ERROR without leaking its message', async () => {
      const fake = new FakePaymentService();
      fake.get = async () => {
        throw new Error('connection to 10.0.0.5:5432 refused (password=hunter2)');
      };
      const app = await buildApp({
        db: getDatabase().db,
        payments: fake,
        config: testConfig(),
        logger: false,
      });
      try {
        const res = await app.inject({ url: '/v1/payments/pay_x', headers: auth(h.partner) });
        expect(res.statusCode).toBe(500);
        expectError(res.json(), 'INTERNAL_ERROR');
        expect(res.body).not.toContain('hunter2');
        expect(res.body).not.toContain('10.0.0.5');
      } finally {
        await app.close();
      }
    });

    it('answers requests that arrive while the app closes with 503 SERVICE_UNAVAILABLE', async () => {
      const app = await buildApp({
        db: getDatabase().db,
        payments: h.fake,
        config: testConfig(),
        logger: false,
      });
      const closing = app.close();
      const res = await app.inject({ url: '/health' });
      await closing;
      expect(res.statusCode).toBe(503);
      expect(res.headers.connection).toBe('close');
      expectError(res.json(), 'SERVICE_UNAVAILABLE');
    });

    it('has no simulate route outside sandbox mode', async () => {
      const app = await buildApp({
        db: getDatabase().db,
        payments: h.fake,
        config: testConfig({ pakasir: { mode: 'live' } }),
        logger: false,
      });
      try {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/payments/pay_x/simulate',
          headers: auth(h.partner),
        });
        expect(res.statusCode).toBe(404);
        expectError(res.json(), 'NOT_FOUND');
      } finally {
        await app.close();
      }
    });
  });
});
