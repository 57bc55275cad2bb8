import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { PakasirWebhookHandler } from '../../src/http/routes/webhooks.js';
import { QuickCartError } from '../../src/payments/errors.js';
import { ledgerBalance } from '../../src/payments/licenses.js';
import { describeEachDatabase } from '../databases.js';
import { partnerWithLicense } from '../fixtures.js';
import { type Stack, startStack } from '../gateway.js';
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

/** What a fuzz run needs: the app and a partner with a license of many tokens. */
interface Target {
  app: FastifyInstance;
  partner: { apiKey: string; licenseKey: string };
}

/** Random requests to every route: a 4xx at worst, in the error format. */
async function fuzzEveryRoute(target: Target, numRuns: number): Promise<void> {
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
        if (who === 'partner') Object.assign(headers, auth(target.partner));
        if (who === 'garbage') headers.authorization = 'Bearer \u0000';
        if (who === 'admin') headers['x-admin-key'] = 'admin-key';
        if (idempotencyKey !== undefined && /^[\x20-\x7e]*$/.test(idempotencyKey)) {
          headers['idempotency-key'] = idempotencyKey;
        }
        if (data.type !== undefined && route.method === 'POST') headers['content-type'] = data.type;
        const res = await target.app.inject({
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
    { numRuns, seed: 20_260_115 },
  );
}

/** A valid create body, or one with one field replaced by anything. */
const nearlyValidBody = fc
  .tuple(
    fc.uuid(),
    fc.constantFrom('QRIS', 'CHECKOUT_PAGE'),
    fc.option(
      fc.tuple(
        fc.constantFrom(
          'transaction_id',
          'amount',
          'payment_type',
          'expiry_minutes',
          'items',
          'description',
          'back_url',
          'customer_email',
          'metadata',
          'reference_id',
        ),
        fc.jsonValue(),
      ),
    ),
  )
  .map(([id, paymentType, replaced]) => {
    const base: Record<string, unknown> = {
      transaction_id: id,
      reference_id: id,
      amount: 25_000,
      payment_type: paymentType,
    };
    if (replaced) base[replaced[0]] = replaced[1];
    return base;
  });

/** Random create bodies of an authenticated partner: 201 or a 4xx. Returns how many were created. */
async function fuzzCreates(
  target: Target,
  numRuns: number,
  bodies: fc.Arbitrary<unknown> = body,
): Promise<number> {
  let created = 0;
  await fc.assert(
    fc.asyncProperty(
      bodies,
      fc.constantFrom('/v1/partner/payments', '/v1/payments/qris'),
      fc.boolean(),
      async (value, url, withLicense) => {
        const payloadValue =
          withLicense && value !== null && typeof value === 'object' && !Array.isArray(value)
            ? { ...value, license_key: target.partner.licenseKey }
            : value;
        const res = await target.app.inject({
          method: 'POST',
          url,
          headers: auth(target.partner, { 'content-type': 'application/json' }),
          payload: JSON.stringify(payloadValue) ?? 'null',
        });
        expect(res.statusCode, res.body).toBeLessThan(500);
        expect([201, 400, 404, 409]).toContain(res.statusCode);
        if (res.statusCode === 201) created++;
      },
    ),
    { numRuns, seed: 4 },
  );
  return created;
}

const fuzzConfig = () =>
  testConfig({
    rateLimits: { createPerWindow: 1_000_000, readPerWindow: 1_000_000 },
    adminApiKey: 'admin-key',
  });

describeEachDatabase('fuzzing every route (fake payment service)', (getDatabase) => {
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
      config: fuzzConfig(),
    });
  });
  afterAll(() => h.close());

  it(
    'answers random requests with a 4xx at worst, in the error format',
    () => fuzzEveryRoute(h, 400),
    60_000,
  );

  it(
    'answers random create bodies of an authenticated partner with 201 or 4xx',
    () => fuzzCreates(h, 300),
    60_000,
  );
});

describeEachDatabase('fuzzing every route (the real payment service and sandbox)', (getDatabase) => {
  let stack: Stack;
  let target: Target;
  let licenseId: string;
  beforeAll(async () => {
    const database = getDatabase();
    stack = await startStack(database);
    const partner = await partnerWithLicense(database.db, { tokens: 1_000_000 });
    licenseId = partner.licenseId;
    const app = await buildApp({
      db: database.db,
      payments: stack.service,
      handlePakasirWebhook: stack.handleWebhook,
      config: fuzzConfig(),
      logger: false,
      env: {},
    });
    target = { app, partner };
  });
  afterAll(async () => {
    await target?.app.close();
    await stack?.close();
  });

  it(
    'answers random requests with a 4xx at worst, in the error format',
    () => fuzzEveryRoute(target, 200),
    60_000,
  );

  it('answers random and nearly valid create bodies with 201 or 4xx; one token per 201', async () => {
    const created = (await fuzzCreates(target, 100)) + (await fuzzCreates(target, 150, nearlyValidBody));
    expect(created).toBeGreaterThan(20);
    const balance = await ledgerBalance(getDatabase().db, licenseId);
    expect(balance).toEqual({ tokens: 1_000_000 - created, ledgerSum: 1_000_000 - created });
  }, 60_000);
});
