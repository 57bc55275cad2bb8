import { DEMO_MERCHANT_QRIS } from '@quickcart/pakasir-sandbox';
import { toDynamic } from '@quickcart/qris';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrPng } from '../../../../packages/qris/test/decode-png.js';
import type { Db } from '../../src/db/types.js';
import { buildApp } from '../../src/http/app.js';
import { createAppMetrics } from '../../src/http/metrics.js';
import { runCheck } from '../../src/http/routes/health.js';
import type { PakasirWebhookHandler } from '../../src/http/routes/webhooks.js';
import { QuickCartError } from '../../src/payments/errors.js';
import { debitToken } from '../../src/payments/licenses.js';
import type { createPakasirWebhookHandler } from '../../src/webhooks/pakasir-inbound.js';
import { describeEachDatabase } from '../databases.js';
import { FakePaymentService } from '../fake-payments.js';
import { insertPayment } from '../fixtures.js';
import { auth, type Harness, startHarness, testConfig } from '../http-harness.js';

// The real inbound handler fits the route's handler type.
type Fits<T extends PakasirWebhookHandler> = T;
export type RealHandlerFits = Fits<ReturnType<typeof createPakasirWebhookHandler>>;

describe('runCheck', () => {
  it('is ok when the check resolves truthy in time, error otherwise, unknown without a check', async () => {
    expect(await runCheck(async () => true, 100)).toBe('ok');
    expect(await runCheck(async () => false, 100)).toBe('error');
    expect(await runCheck(() => Promise.reject(new Error('down')), 100)).toBe('error');
    expect(await runCheck(() => new Promise((resolve) => setTimeout(() => resolve(true), 500)), 20)).toBe(
      'error',
    );
    expect(await runCheck(undefined, 100)).toBe('unknown');
  });
});

describeEachDatabase('QR images, health, metrics, webhooks', (getDatabase) => {
  let h: Harness;
  const clock = Date.now();
  const metrics = createAppMetrics();
  const received: Array<{ rawBody: Buffer; headers: Record<string, unknown> }> = [];
  const handlePakasirWebhook: PakasirWebhookHandler = async (request) => {
    received.push(request);
    const text = request.rawBody.toString('utf8');
    if (text.includes('forged')) throw new QuickCartError('UNAUTHORIZED', { message: 'bad signature' });
    let body: { order_id?: unknown };
    try {
      body = JSON.parse(text) as { order_id?: unknown };
    } catch {
      throw new QuickCartError('VALIDATION_ERROR', { message: 'the Pakasir webhook body is malformed' });
    }
    return { outcome: 'paid', paymentId: 'pay_x', orderId: String(body.order_id) };
  };
  beforeAll(async () => {
    h = await startHarness(getDatabase(), {
      now: () => new Date(clock),
      metrics,
      handlePakasirWebhook,
      health: { pakasir: async () => true },
    });
  });
  afterAll(() => h.close());

  async function storedPayment(values: Parameters<typeof insertPayment>[2] = {}) {
    const qrContent = toDynamic(DEMO_MERCHANT_QRIS, { amount: 50_000, reference: 'QR-TEST' });
    const row = await insertPayment(getDatabase().db, h.partner, {
      qrContent,
      expiresAt: new Date(clock + 30 * 60_000),
      ...values,
    });
    return { id: row.id, qrContent };
  }

  describe('GET /qr/:id.png and .svg', () => {
    it('renders the QRIS as a PNG that decodes back to the same string, without auth', async () => {
      const { id, qrContent } = await storedPayment();
      const res = await h.app.inject({ url: `/qr/${id}.png` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['cache-control']).toBe('public, max-age=1800');
      expect(res.headers.etag).toMatch(/^"[\w-]{27}"$/);
      const decoded = decodeQrPng(res.rawPayload);
      expect(decoded.text).toBe(qrContent);
      expect(decoded.width).toBe(512);
      const small = await h.app.inject({ url: `/qr/${id}.png?size=256` });
      expect(decodeQrPng(small.rawPayload)).toMatchObject({ text: qrContent, width: 256 });
    });

    it('renders SVG with a restrictive content security policy', async () => {
      const { id } = await storedPayment();
      const res = await h.app.inject({ url: `/qr/${id}.svg` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.body).toMatch(/^<svg/);
    });

    it('answers 304 to a matching If-None-Match', async () => {
      const { id } = await storedPayment();
      const first = await h.app.inject({ url: `/qr/${id}.png` });
      const again = await h.app.inject({
        url: `/qr/${id}.png`,
        headers: { 'if-none-match': String(first.headers.etag) },
      });
      expect(again.statusCode).toBe(304);
      expect(again.rawPayload.length).toBe(0);
    });

    it('answers 404 for unknown, paid, expired or malformed ids', async () => {
      const paid = await storedPayment({ status: 'paid', paidAt: new Date(clock) });
      const late = await storedPayment({ expiresAt: new Date(clock - 1000) });
      const urls = [
        '/qr/pay_aaaaaaaaaaaaaaaaaaaaaaaa.png',
        `/qr/${paid.id}.png`,
        `/qr/${late.id}.svg`,
        `/qr/${paid.id}.gif`,
        '/qr/..%2f..%2fetc%2fpasswd',
      ];
      for (const url of urls) {
        const res = await h.app.inject({ url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
      }
    });

    it('refuses a size out of range or off the 64-pixel grid with 400', async () => {
      const { id } = await storedPayment();
      expect((await h.app.inject({ url: `/qr/${id}.png?size=5000` })).statusCode).toBe(400);
      // Each size is a render: a grid bounds how many one payment id can make anyone draw.
      expect((await h.app.inject({ url: `/qr/${id}.png?size=300` })).statusCode).toBe(400);
      expect((await h.app.inject({ url: `/qr/${id}.png?size=320` })).statusCode).toBe(200);
    });
  });

  describe('GET /health', () => {
    it('answers seed 003’s shape', async () => {
      const res = await h.app.inject({ url: '/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'healthy',
        timestamp: new Date(clock).toISOString(),
        services: { database: 'ok', pakasir_api: 'ok' },
      });
    });

    it('is degraded when Pakasir fails, reports redis when configured, unhealthy without a database', async () => {
      const degraded = await buildApp({
        db: getDatabase().db,
        payments: h.fake,
        config: testConfig({ redisUrl: 'redis://127.0.0.1:6379' }),
        logger: false,
        health: { pakasir: async () => false, redis: async () => true },
      });
      const res = await degraded.inject({ url: '/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'degraded',
        services: { database: 'ok', redis: 'ok', pakasir_api: 'error' },
      });
      await degraded.close();

      const broken = { execute: () => Promise.reject(new Error('connection refused')) } as unknown as Db;
      const unhealthy = await buildApp({ db: broken, payments: h.fake, config: testConfig(), logger: false });
      const down = await unhealthy.inject({ url: '/health' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({
        status: 'unhealthy',
        services: { database: 'error', pakasir_api: 'unknown' },
      });
      await unhealthy.close();
    });
  });

  describe('GET /metrics', () => {
    it('exposes requests, payments by status, token debits and upstream latency', async () => {
      const { id } = await storedPayment();
      await storedPayment({ status: 'cancelled' });
      await getDatabase().db.transaction((tx) =>
        debitToken(tx, { licenseId: h.partner.licenseId, paymentId: id }),
      );
      await h.app.inject({ url: '/v1/payments/pay_missing', headers: auth(h.partner) });
      await h.app.inject({ url: '/no/such/route/abc123' });
      metrics.observeUpstream({ operation: 'create', outcome: 'ok', seconds: 0.2 });
      const res = await h.app.inject({ url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = res.body;
      expect(text).toContain('# TYPE quickcart_http_requests_total counter');
      expect(text).toContain(
        'quickcart_http_requests_total{method="GET",route="/v1/payments/:id",status="404"} 1',
      );
      // Unknown paths share one label: no cardinality blow-up from scanners.
      expect(text).toContain('quickcart_http_requests_total{method="GET",route="unmatched",status="404"} 1');
      expect(text).not.toContain('abc123');
      expect(text).toMatch(/quickcart_payments\{status="pending"\} [1-9]\d*/);
      expect(text).toMatch(/quickcart_payments\{status="cancelled"\} [1-9]\d*/);
      expect(text).toContain('quickcart_payments{status="failed"} 0');
      expect(text).toMatch(/quickcart_token_debits_total [1-9]\d*/);
      expect(text).toContain(
        'quickcart_upstream_request_duration_seconds_bucket{operation="create",outcome="ok",le="0.25"} 1',
      );
      expect(text).toContain(
        'quickcart_upstream_request_duration_seconds_count{operation="create",outcome="ok"} 1',
      );
      expect(text).toContain('quickcart_long_requests_open 0');
    });
  });

  describe('POST /webhooks/pakasir', () => {
    it('passes the exact bytes and headers to the handler and answers 200', async () => {
      const raw = '{ "order_id":"pay_abc",  "amount": 50000,\n"status":"completed" }';
      const res = await h.app.inject({
        method: 'POST',
        url: '/webhooks/pakasir',
        headers: { 'content-type': 'application/json', 'x-pakasir-signature': 'sig123' },
        payload: raw,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        success: true,
        received: true,
        outcome: 'paid',
        payment_id: 'pay_x',
        order_id: 'pay_abc',
      });
      const last = received.at(-1);
      expect(Buffer.isBuffer(last?.rawBody)).toBe(true);
      expect(last?.rawBody.toString('utf8')).toBe(raw);
      expect(last?.headers['x-pakasir-signature']).toBe('sig123');
    });

    it('takes any content type, or none', async () => {
      for (const headers of [
        { 'content-type': 'text/plain' },
        { 'content-type': 'application/x-www-form-urlencoded' },
        {},
      ]) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/webhooks/pakasir',
          headers,
          payload: '{"order_id":"o1"}',
        });
        expect(res.statusCode).toBe(200);
        expect(received.at(-1)?.rawBody.toString()).toBe('{"order_id":"o1"}');
      }
    });

    it('answers the status of the handler’s QuickCartError, in the error format', async () => {
      const forged = await h.app.inject({
        method: 'POST',
        url: '/webhooks/pakasir',
        payload: '{"forged":true}',
      });
      expect(forged.statusCode).toBe(401);
      expect(forged.json()).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
      const bad = await h.app.inject({ method: 'POST', url: '/webhooks/pakasir', payload: 'not json' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('VALIDATION_ERROR');
    });

    it('refuses a body over 64 KB', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/webhooks/pakasir',
        payload: 'x'.repeat(65 * 1024),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_ERROR');
    });

    it('does not exist without a handler', async () => {
      const app = await buildApp({
        db: getDatabase().db,
        payments: new FakePaymentService(),
        config: testConfig(),
        logger: false,
      });
      const res = await app.inject({ method: 'POST', url: '/webhooks/pakasir', payload: '{}' });
      expect(res.statusCode).toBe(404);
      await app.close();
    });
  });
});
