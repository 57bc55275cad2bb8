// The SDK's one request path against scripted local servers (svix's mock-server tests): what is
// sent, what is retried, with which Idempotency-Key, and what is thrown.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  ConflictError,
  ConnectionError,
  NotFoundError,
  QuickCart,
  type QuickCartOptions,
  RateLimitError,
  RequestTimeoutError,
  UsageError,
} from '../src/index.js';
import { type Double, errorBody, hang, json, scripted } from './support/http-doubles.js';

const API_KEY = 'qc_test_never_in_messages_7f3a';
const STATUS = {
  success: true,
  transaction_id: 'pay_1',
  payment_id: 'pay_1',
  reference_id: 'TXN-1',
  status: 'pending',
  amount: 50000,
  payment_type: 'QRIS',
  created_at: '2026-01-15T10:00:00.000Z',
  expires_at: '2026-01-15T10:30:00.000Z',
};

const doubles: Double[] = [];
afterEach(async () => {
  vi.unstubAllGlobals();
  for (const double of doubles.splice(0)) await double.close();
});

async function setup(handlers: Parameters<typeof scripted>[0], options: Partial<QuickCartOptions> = {}) {
  const double = await scripted(handlers);
  doubles.push(double);
  const qc = new QuickCart({ baseUrl: double.baseUrl, apiKey: API_KEY, timeoutMs: 2000, ...options });
  return { qc, seen: double.seen, baseUrl: double.baseUrl };
}

/** Every way an error could show the api key. */
function expectNoKey(error: unknown) {
  for (const text of [
    String(error),
    (error as Error).message,
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
  ]) {
    expect(text).not.toContain(API_KEY);
  }
}

describe('what is sent', () => {
  it('authenticates with a Bearer header, sends JSON bodies and an Idempotency-Key on POST only', async () => {
    const { qc, seen } = await setup([json(201, { success: true }), json(200, STATUS)]);
    await qc.payment.generateQRIS({
      license_key: 'LK',
      amount: 50000,
      reference_id: undefined,
      description: 'd',
    });
    await qc.payment.checkPaymentStatus('TXN 1/ä');
    const [post, get] = seen;
    expect(post).toMatchObject({ method: 'POST', url: '/v1/payments/qris' });
    expect(post?.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
    });
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(post?.body ?? '')).toEqual({ license_key: 'LK', amount: 50000, description: 'd' });
    expect(get).toMatchObject({ method: 'GET', url: '/v1/payments/TXN%201%2F%C3%A4', body: '' });
    expect(get?.headers['idempotency-key']).toBeUndefined();
    expect(get?.headers['content-type']).toBeUndefined();
  });

  it('maps the camelCase helpers of seed 004 to the wire fields, omitting what is undefined', async () => {
    const { qc, seen } = await setup([json(201, { success: true })]);
    await qc.partnerPayment.generateQris({
      transactionId: 'T1',
      amount: 50000,
      licenseKey: 'LK',
      expiryMinutes: 30,
    });
    await qc.partnerPayment.generateCheckoutPage({
      transactionId: 'T2',
      amount: 150000,
      licenseKey: 'LK',
      backUrl: 'https://shop.example/done',
      items: [{ id: '1', name: 'Laundry 5kg', price: 100000, quantity: 1 }],
      customerName: 'Jane',
      customerEmail: 'jane@example.com',
      customerPhone: '081234567890',
      webhookUrl: 'https://shop.example/hook',
      description: 'Invoice',
      metadata: { a: 1 },
    });
    expect(seen.map((s) => [s.url, JSON.parse(s.body)])).toEqual([
      [
        '/v1/partner/payments',
        { transaction_id: 'T1', amount: 50000, license_key: 'LK', expiry_minutes: 30, payment_type: 'QRIS' },
      ],
      [
        '/v1/partner/payments',
        {
          transaction_id: 'T2',
          amount: 150000,
          license_key: 'LK',
          payment_type: 'CHECKOUT_PAGE',
          back_url: 'https://shop.example/done',
          items: [{ id: '1', name: 'Laundry 5kg', price: 100000, quantity: 1 }],
          customer_name: 'Jane',
          customer_email: 'jane@example.com',
          customer_phone: '081234567890',
          webhook_url: 'https://shop.example/hook',
          description: 'Invoice',
          metadata: { a: 1 },
        },
      ],
    ]);
  });

  it('keeps a path prefix of baseUrl and drops its trailing slashes', async () => {
    const { seen, baseUrl } = await setup([json(200, STATUS)]);
    const qc = new QuickCart({ baseUrl: `${baseUrl}/quickcart//`, apiKey: API_KEY });
    await qc.payment.cancelPayment('pay_1');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/quickcart/v1/payments/pay_1/cancel', body: '' });
  });

  it('uses an injected fetch, else the global fetch of the moment (nothing captured at import)', async () => {
    const { seen, baseUrl } = await setup([json(200, STATUS)]);
    const calls: string[] = [];
    const injected = new QuickCart({
      baseUrl,
      apiKey: API_KEY,
      fetch: async (url, init) => {
        calls.push(url);
        return fetch(url, init);
      },
    });
    await injected.payment.checkPaymentStatus('pay_1');
    expect(calls).toEqual([`${baseUrl}/v1/payments/pay_1`]);
    const stub = vi.fn(async () => new Response(JSON.stringify(STATUS), { status: 200 }));
    vi.stubGlobal('fetch', stub);
    const late = new QuickCart({ baseUrl, apiKey: API_KEY });
    expect((await late.payment.checkPaymentStatus('pay_1')).status).toBe('pending');
    expect(stub).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries 503 and 429 with the same Idempotency-Key, so the server can replay', async () => {
    const { qc, seen } = await setup([
      json(503, errorBody('SERVICE_UNAVAILABLE')),
      json(429, errorBody('RATE_LIMITED'), { 'retry-after': '0' }),
      json(201, { success: true, transaction_id: 'pay_1' }),
    ]);
    const created = await qc.payment.generateQRIS({ license_key: 'LK', amount: 50000 });
    expect(created.transaction_id).toBe('pay_1');
    expect(seen).toHaveLength(3);
    const keys = new Set(seen.map((s) => s.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the caller’s idempotencyKey when given, and a new key per call otherwise', async () => {
    const { qc, seen } = await setup([json(201, { success: true })]);
    await qc.payment.generateQRIS({ license_key: 'LK', amount: 50000 }, { idempotencyKey: 'order-42' });
    await qc.payment.generateQRIS({ license_key: 'LK', amount: 50000 });
    await qc.payment.generateQRIS({ license_key: 'LK', amount: 50000 });
    const keys = seen.map((s) => s.headers['idempotency-key']);
    expect(keys[0]).toBe('order-42');
    expect(new Set(keys).size).toBe(3);
  });

  it('honours Retry-After', async () => {
    const { qc, seen } = await setup([
      json(429, errorBody('RATE_LIMITED'), { 'retry-after': '1' }),
      json(200, STATUS),
    ]);
    const started = performance.now();
    await qc.payment.checkPaymentStatus('pay_1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(seen).toHaveLength(2);
  });

  it('throws RateLimitError at once when Retry-After is over 30 s', async () => {
    const { qc, seen } = await setup([json(429, errorBody('RATE_LIMITED'), { 'retry-after': '120' })]);
    const error = await qc.payment.checkPaymentStatus('pay_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      retryAfterSeconds: 120,
      requestId: 'req-RATE_LIMITED',
    });
    expect(seen).toHaveLength(1);
  });

  it('gives up after 2 retries of a 5xx, and never retries 4xx or GATEWAY_ERROR', async () => {
    const five = await setup([json(500, errorBody('INTERNAL_ERROR'))]);
    await expect(five.qc.payment.checkPaymentStatus('pay_1')).rejects.toMatchObject({ status: 500 });
    expect(five.seen).toHaveLength(3);
    const notFound = await setup([json(404, errorBody('NOT_FOUND'))]);
    await expect(notFound.qc.payment.checkPaymentStatus('pay_1')).rejects.toBeInstanceOf(NotFoundError);
    expect(notFound.seen).toHaveLength(1);
    const gateway = await setup([json(502, errorBody('GATEWAY_ERROR'))]);
    const error = await gateway.qc.payment
      .generateQRIS({ license_key: 'LK', amount: 50000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 502, code: 'GATEWAY_ERROR' });
    expect(gateway.seen).toHaveLength(1);
  });

  it('retries a 409 that says the first attempt is still in progress, not other conflicts', async () => {
    const busy = errorBody('CONFLICT', { details: { header: 'Idempotency-Key', in_progress: true } });
    const { qc, seen } = await setup([
      json(409, busy),
      json(201, { success: true, transaction_id: 'pay_1' }),
    ]);
    await qc.payment.generateQRIS({ license_key: 'LK', amount: 50000 });
    expect(seen).toHaveLength(2);
    const tokens = await setup([json(409, errorBody('INSUFFICIENT_TOKENS'))]);
    await expect(tokens.qc.payment.generateQRIS({ license_key: 'LK', amount: 50000 })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(tokens.seen).toHaveLength(1);
  });

  it('honours maxRetries of the client and of the call', async () => {
    const none = await setup([json(503, errorBody('SERVICE_UNAVAILABLE'))], { maxRetries: 0 });
    await expect(none.qc.payment.checkPaymentStatus('pay_1')).rejects.toMatchObject({ status: 503 });
    expect(none.seen).toHaveLength(1);
    const one = await setup([json(503, errorBody('SERVICE_UNAVAILABLE'))]);
    await expect(one.qc.payment.checkPaymentStatus('pay_1', { maxRetries: 1 })).rejects.toMatchObject({
      status: 503,
    });
    expect(one.seen).toHaveLength(2);
  });
});

describe('no answer', () => {
  it('times out each attempt after timeoutMs (per call), retries, then throws RequestTimeoutError', async () => {
    const { qc, seen } = await setup([hang]);
    const started = performance.now();
    const error = await qc.payment
      .generateQRIS({ license_key: 'LK', amount: 50000 }, { timeoutMs: 150 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', timeoutMs: 150 });
    expect((error as Error).message).toBe('QuickCart did not answer POST /v1/payments/qris within 150 ms');
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.headers['idempotency-key'])).size).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(450 + 250 + 500);
    expectNoKey(error);
  });

  it('throws ConnectionError with the cause when nothing listens', async () => {
    const { baseUrl } = await setup([json(200, STATUS)]);
    await doubles.pop()?.close();
    const qc = new QuickCart({ baseUrl, apiKey: API_KEY, maxRetries: 1 });
    const error = await qc.payment.checkPaymentStatus('pay_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'CONNECTION_ERROR', cause: expect.any(Error) });
    expect((error as Error).message).toMatch(/^could not reach QuickCart for GET \/v1\/payments\/pay_1: /);
    expectNoKey(error);
  });

  it('rejects with the signal’s reason when aborted, in flight or between retries, without retrying', async () => {
    const { qc, seen } = await setup([hang]);
    const controller = new AbortController();
    const pending = qc.payment.checkPaymentStatus('pay_1', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 100);
    await expect(pending).rejects.toThrow('user left');
    expect(seen).toHaveLength(1);
    const busy = await setup([json(503, errorBody('SERVICE_UNAVAILABLE'))]);
    const later = new AbortController();
    const retrying = busy.qc.payment.checkPaymentStatus('pay_1', { signal: later.signal });
    setTimeout(() => later.abort(new Error('stop retrying')), 100);
    await expect(retrying).rejects.toThrow('stop retrying');
    expect(busy.seen).toHaveLength(1);
    await expect(
      qc.payment.checkPaymentStatus('pay_1', { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('answers and misuse', () => {
  it('keeps the api key out of API errors too', async () => {
    const { qc } = await setup([json(401, errorBody('UNAUTHORIZED'))]);
    const error = await qc.payment.checkPaymentStatus('pay_1').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expectNoKey(error);
    expect(inspect(qc, { depth: 10 })).not.toContain(API_KEY);
    expect(JSON.stringify(qc)).not.toContain(API_KEY);
  });

  it('throws ApiError INVALID_RESPONSE for a 2xx that is not JSON', async () => {
    const { qc } = await setup([
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'x-request-id': 'r-html' });
        res.end('<html>captive portal</html>');
      },
    ]);
    await expect(qc.payment.checkPaymentStatus('pay_1')).rejects.toMatchObject({
      code: 'INVALID_RESPONSE',
      status: 200,
      requestId: 'r-html',
      body: '<html>captive portal</html>',
    });
  });

  it('refuses bad options and ids with UsageError, sending nothing and never echoing the key', async () => {
    const { qc, seen, baseUrl } = await setup([json(200, STATUS)]);
    const bad: unknown[] = [
      { baseUrl: 'ftp://x', apiKey: API_KEY },
      { baseUrl: 'not a url', apiKey: API_KEY },
      { baseUrl, apiKey: '' },
      { baseUrl, apiKey: `${API_KEY} with spaces` },
      { baseUrl, apiKey: API_KEY, timeoutMs: 0 },
      { baseUrl, apiKey: API_KEY, maxRetries: -1 },
      undefined,
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        new QuickCart(options as QuickCartOptions);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).not.toContain(API_KEY);
    }
    await expect(qc.payment.checkPaymentStatus('')).rejects.toBeInstanceOf(UsageError);
    await expect(qc.payment.waitForPayment('')).rejects.toBeInstanceOf(UsageError);
    await expect(qc.payment.waitForPayment('pay_1', { timeout: -1 })).rejects.toBeInstanceOf(UsageError);
    expect(seen).toHaveLength(0);
  });
});
