import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PakasirWebhookHandler } from '../../src/http/routes/webhooks.js';
import { QuickCartError } from '../../src/payments/errors.js';
import { describeEachDatabase } from '../databases.js';
import { auth, type Harness, startHarness, testConfig } from '../http-harness.js';

/**
 * Bad input never crashes a route: random JSON bodies, paths, queries and headers against every
 * route answer 2xx/3xx/4xx, never 5xx, and every error is in the ARCHITECTURE.md format.
 */

const ROUTES: Array<{ method: 'GET' | 'POST'; path: (segment: string) => string }> = [
  { method: 'POST', path: () => '/v1/partner/payments' },
  { method: 'POST', path: () => '/v1/payments/qris' },
  { method: 'GET', path: (s) => `/v1/payments/${s}` },
  { method: 'GET', path: (s) => `/v1/payments/${s}/wait` },
  { method: 'GET', path: (s) => `/v1/payments/${s}/events` },
  { method: 'POST', path: (s) => `/v1/payments/${s}/cancel` },
  { method: 'POST', path: (s) => `/v1/payments/${s}/simulate` },
  { method: 'POST', path: () => '/webhooks/pakasir' },
  { method: 'GET', path: (s) => `/qr/${s}` },
  { method: 'GET', path: (s) => `/qr/${s}.png` },
  { method: 'GET', path: () => '/health' },
  { method: 'GET', path: () => '/metrics' },
  { method: 'GET', path: () => '/admin/stats' },
  { method: 'GET', path: (s) => `/${s}` },
  { method: 'POST', path: (s) => `/v1/${s}` },
];

/** Path segments: plain text, percent-escapes (valid or not), ids, and dot segments. */
const segment = fc.oneof(
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('pay_aaaaaaaaaaaaaaaaaaaaaaaa', '%', '%zz', '..', '.', '%2e%2e%2f', '%00', 'a%2Fb', ''),
  fc.webSegment(),
);

const query = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(fc.constantFrom('timeout_ms', 'size', 'x', 'license_key'), fc.string({ maxLength: 12 }))
    .map((params) => `?${new URLSearchParams(params).toString()}`),
  fc.string({ maxLength: 20 }).map((s) => `?${s}`),
);

/** JSON-ish bodies, with the fields the routes read mixed in. */
const body = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      transaction_id: fc.jsonValue(),
      amount: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(1e308), fc.constant(-0)),
      license_key: fc.oneof(fc.string(), fc.jsonValue()),
      payment_type: fc.oneof(fc.constantFrom('QRIS', 'CHECKOUT_PAGE', 'qris'), fc.jsonValue()),
      expiry_minutes: fc.jsonValue(),
      items: fc.jsonValue(),
      metadata: fc.jsonValue(),
      reference_id: fc.jsonValue(),
      webhook_url: fc.oneof(fc.webUrl(), fc.string()),
      customer_email: fc.oneof(fc.emailAddress(), fc.string()),
    },
    { requiredKeys: [] },
  ),
);

const payload = fc.oneof(
  body.map((value) => ({ text: JSON.stringify(value) ?? 'null', type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((text) => ({ text, type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((text) => ({ text, type: 'text/plain' })),
  fc.constant({ text: '', type: undefined }),
);

describeEachDatabase('fuzzing every route', (getDatabase) => {
  let h: Harness;
  beforeAll(async () => {
    const handlePakasirWebhook: PakasirWebhookHandler = async ({ rawBody }) => {
      try {
        const parsed = JSON.parse(rawBody.toString('utf8')) as { order_id?: unknown };
        return { outcome: 'ignored', orderId: String(parsed?.order_id) };
      } catch {
        throw new QuickCartError('VALIDATION_ERROR', { message: 'malformed webhook' });
      }
    };
    h = await startHarness(getDatabase(), {
      tokens: 1_000_000,
      handlePakasirWebhook,
      logger: false,
      config: testConfig({
        rateLimits: { createPerWindow: 1_000_000, readPerWindow: 1_000_000 },
        adminApiKey: 'admin-key',
      }),
    });
  });
  afterAll(() => h.close());

  it('answers random requests with a 4xx at worst, in the error format', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        segment,
        query,
        payload,
        fc.constantFrom('partner', 'none', 'garbage', 'admin'),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        async (route, seg, q, data, who, idempotencyKey) => {
          const headers: Record<string, string> = {};
          if (who === 'partner') Object.assign(headers, auth(h.partner));
          if (who === 'garbage') headers.authorization = 'Bearer \u0000';
          if (who === 'admin') headers['x-admin-key'] = 'admin-key';
          if (idempotencyKey !== undefined && /^[\x20-\x7e]*$/.test(idempotencyKey)) {
            headers['idempotency-key'] = idempotencyKey;
          }
          if (data.type !== undefined && route.method === 'POST') headers['content-type'] = data.type;
          const res = await h.app.inject({
            method: route.method,
            url: route.path(seg) + q,
            headers,
            ...(route.method === 'POST' && { payload: data.text }),
          });
          expect(res.statusCode, `${route.method} ${route.path(seg)}${q} → ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.json()).toMatchObject({
              success: false,
              code: expect.any(String),
              error: expect.any(String),
              request_id: res.headers['x-request-id'],
            });
          }
        },
      ),
      { numRuns: 400, seed: 20_260_115 },
    );
  }, 60_000);

  it('answers random create bodies of an authenticated partner with 201 or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('/v1/partner/payments', '/v1/payments/qris'),
        fc.boolean(),
        async (value, url, withLicense) => {
          const payloadValue =
            withLicense && value !== null && typeof value === 'object' && !Array.isArray(value)
              ? { ...value, license_key: h.partner.licenseKey }
              : value;
          const res = await h.app.inject({
            method: 'POST',
            url,
            headers: auth(h.partner),
            payload: JSON.stringify(payloadValue) ?? 'null',
          });
          expect(res.statusCode, res.body).toBeLessThan(500);
          expect([201, 400, 404, 409]).toContain(res.statusCode);
        },
      ),
      { numRuns: 300, seed: 4 },
    );
  }, 60_000);
});
