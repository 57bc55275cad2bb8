// waitForPayment's loop of long-polls against scripted servers: the timeout_ms it asks for, what
// it does with cut-short answers and failures, and how it ends.
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError, PaymentTimeoutError, QuickCart } from '../src/index.js';
import { type Double, errorBody, hang, json, scripted } from './support/http-doubles.js';

const pending = { success: true, transaction_id: 'pay_1', status: 'pending', amount: 50000, timeout: true };
const paid = { ...pending, status: 'paid', paid_at: '2026-01-15T10:25:00.000Z', timeout: false };

const doubles: Double[] = [];
afterEach(async () => {
  for (const double of doubles.splice(0)) await double.close();
});

async function setup(handlers: Parameters<typeof scripted>[0]) {
  const double = await scripted(handlers);
  doubles.push(double);
  return {
    qc: new QuickCart({ baseUrl: double.baseUrl, apiKey: 'qc_test_k', maxRetries: 0 }),
    seen: double.seen,
  };
}

const timeoutMsOf = (url: string) => Number(new URL(url, 'http://x').searchParams.get('timeout_ms'));

describe('waitForPayment loop', () => {
  it('asks for at most 60 s per long-poll, and what is left of the timeout after', async () => {
    const { qc, seen } = await setup([json(200, pending), hang]);
    const controller = new AbortController();
    const waiting = qc.payment.waitForPayment('pay_1', {
      timeout: 150_000,
      interval: 10,
      signal: controller.signal,
    });
    while (seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new Error('customer left'));
    await expect(waiting).rejects.toThrow('customer left');
    expect(seen[0]?.url).toBe('/v1/payments/pay_1/wait?timeout_ms=60000');
    expect(timeoutMsOf(seen[1]?.url ?? '')).toBe(60_000);
    const short = await setup([json(200, paid)]);
    await short.qc.payment.waitForPayment('pay_1', { timeout: 1234 });
    expect(timeoutMsOf(short.seen[0]?.url ?? '')).toBeLessThanOrEqual(1234);
    expect(timeoutMsOf(short.seen[0]?.url ?? '')).toBeGreaterThan(1200);
  });

  it('does not spin on answers cut short: pauses `interval`, then times out with "timeout"', async () => {
    const { qc, seen } = await setup([json(200, pending)]);
    const started = performance.now();
    const error = await qc.payment
      .waitForPayment('pay_1', { timeout: 600, interval: 150 })
      .catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(PaymentTimeoutError);
    expect((error as Error).message).toContain('timeout');
    expect(error).toMatchObject({ paymentId: 'pay_1', timeoutMs: 600, code: 'PAYMENT_TIMEOUT' });
    expect(elapsed).toBeGreaterThanOrEqual(590);
    expect(elapsed).toBeLessThan(1500);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeLessThanOrEqual(6);
  });

  it('rides out failures (5xx, 429) and resolves on the terminal status', async () => {
    const { qc, seen } = await setup([
      json(503, errorBody('SERVICE_UNAVAILABLE')),
      json(429, errorBody('RATE_LIMITED'), { 'retry-after': '0' }),
      json(200, paid),
    ]);
    const result = await qc.payment.waitForPayment('pay_1', { timeout: 5000, interval: 20 });
    expect(result).toMatchObject({ status: 'paid', paid_at: '2026-01-15T10:25:00.000Z' });
    expect(seen).toHaveLength(3);
  });

  it('resolves on expired and cancelled too, and rethrows NotFoundError at once', async () => {
    for (const status of ['expired', 'cancelled']) {
      const { qc } = await setup([json(200, { ...paid, status })]);
      expect((await qc.payment.waitForPayment('pay_1')).status).toBe(status);
    }
    const { qc, seen } = await setup([json(404, errorBody('NOT_FOUND'))]);
    await expect(qc.payment.waitForPayment('nope', { timeout: 5000 })).rejects.toBeInstanceOf(NotFoundError);
    expect(seen).toHaveLength(1);
  });

  it('keeps the last failure as the cause of the timeout', async () => {
    const { qc } = await setup([json(503, errorBody('SERVICE_UNAVAILABLE'))]);
    const error = await qc.payment
      .waitForPayment('pay_1', { timeout: 300, interval: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentTimeoutError);
    expect((error as Error).cause).toMatchObject({ status: 503 });
  });
});
