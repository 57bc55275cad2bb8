import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { sseEvent } from '../../src/http/routes/events.js';
import { describeEachDatabase } from '../databases.js';
import { FakePaymentService } from '../fake-payments.js';
import { auth, type Harness, partnerBody, startHarness, testConfig } from '../http-harness.js';

/** Resolves when `condition()` holds, checking every 5 ms for at most `ms`. */
async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Reads an SSE stream: `next()` resolves with the next block (event or comment), or null at the end. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<string | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          return block;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    /** The next `event:` block, skipping comments and `retry:`, parsed. */
    async nextEvent(): Promise<{ id: string; event: string; data: Record<string, unknown> } | null> {
      for (;;) {
        const block = await this.next();
        if (block === null) return null;
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':') && line.includes(': '))
            .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]),
        );
        if (fields.event) {
          return { id: fields.id ?? '', event: fields.event, data: JSON.parse(fields.data ?? 'null') };
        }
      }
    },
  };
}

describe('sseEvent', () => {
  it('writes the SSE wire format', () => {
    expect(sseEvent({ id: 3, event: 'status', data: { status: 'paid' } })).toBe(
      'id: 3\nevent: status\ndata: {"status":"paid"}\n\n',
    );
  });
});

describeEachDatabase('long-poll and events', (getDatabase) => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness(getDatabase(), { tokens: 100, heartbeatMs: 40 });
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => h.close());

  async function create(): Promise<string> {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/partner/payments',
      headers: auth(h.partner),
      payload: partnerBody(h.partner),
    });
    return res.json().payment_id;
  }

  describe('GET /v1/payments/:id/wait', () => {
    it('answers within 100 ms of the status change', async () => {
      const id = await create();
      const waiting = h.app.inject({
        url: `/v1/payments/${id}/wait?timeout_ms=10000`,
        headers: auth(h.partner),
      });
      await until(() => h.fake.waiting === 1);
      const changed = performance.now();
      h.fake.pay(id);
      const res = await waiting;
      const elapsed = performance.now() - changed;
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ success: true, payment_id: id, status: 'paid', timeout: false });
      expect(elapsed).toBeLessThan(100);
    });

    it('answers the current status with timeout: true after timeout_ms', async () => {
      const id = await create();
      const started = performance.now();
      const res = await h.app.inject({
        url: `/v1/payments/${id}/wait?timeout_ms=150`,
        headers: auth(h.partner),
      });
      const elapsed = performance.now() - started;
      expect(res.json()).toMatchObject({ status: 'pending', timeout: true });
      expect(elapsed).toBeGreaterThanOrEqual(140);
      expect(elapsed).toBeLessThan(1000);
    });

    it('answers at once for a payment that is no longer pending, with a 30 s default', async () => {
      const id = await create();
      h.fake.expire(id);
      const res = await h.app.inject({ url: `/v1/payments/${id}/wait`, headers: auth(h.partner) });
      expect(res.json()).toMatchObject({ status: 'expired', timeout: false });
      expect(h.fake.calls.filter((c) => c.method === 'wait').at(-1)?.arg).toEqual({ id, timeoutMs: 30_000 });
    });

    it.each(['60001', '-1', 'abc', '1.5'])('refuses timeout_ms=%s with 400', async (value) => {
      const res = await h.app.inject({
        url: `/v1/payments/pay_x/wait?timeout_ms=${value}`,
        headers: auth(h.partner),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'timeout_ms' } });
    });

    it('aborts the wait when the client disconnects', async () => {
      const id = await create();
      const controller = new AbortController();
      const request = fetch(`${base}/v1/payments/${id}/wait?timeout_ms=30000`, {
        headers: auth(h.partner),
        signal: controller.signal,
      }).catch((error: unknown) => error);
      await until(() => h.fake.waiting === 1);
      controller.abort();
      expect(await request).toBeInstanceOf(Error);
      await until(() => h.fake.waiting === 0, 1000);
    });

    it('answers open waits with timeout: true when the app closes', async () => {
      const fake = new FakePaymentService();
      fake.addLicense({ partnerId: h.partner.partnerId, key: h.partner.licenseKey, tokens: 1 });
      const app = await buildApp({
        db: getDatabase().db,
        payments: fake,
        config: testConfig(),
        logger: false,
      });
      const id = (
        await fake.create(h.partner.partnerId, {
          transactionId: 'T-close',
          amount: 5000,
          licenseKey: h.partner.licenseKey,
          paymentType: 'QRIS',
        })
      ).id;
      const waiting = app.inject({
        url: `/v1/payments/${id}/wait?timeout_ms=60000`,
        headers: auth(h.partner),
      });
      await until(() => fake.waiting === 1);
      const started = performance.now();
      await app.close();
      const res = await waiting;
      expect(res.json()).toMatchObject({ status: 'pending', timeout: true });
      expect(performance.now() - started).toBeLessThan(1000);
    });
  });

  describe('GET /v1/payments/:id/events', () => {
    it('sends the current status, then each change, then ends after a terminal status', async () => {
      const id = await create();
      const res = await fetch(`${base}/v1/payments/${id}/events`, { headers: auth(h.partner) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('x-request-id')).toBeTruthy();
      const sse = sseReader(res.body as ReadableStream<Uint8Array>);
      const first = await sse.nextEvent();
      expect(first).toMatchObject({ id: '1', event: 'status', data: { payment_id: id, status: 'pending' } });
      const changed = performance.now();
      h.fake.pay(id);
      const second = await sse.nextEvent();
      expect(performance.now() - changed).toBeLessThan(100);
      expect(second).toMatchObject({
        id: '2',
        event: 'status',
        data: { status: 'paid', paid_at: expect.any(String) },
      });
      expect(await sse.nextEvent()).toBeNull();
      await until(() => h.fake.subscribers === 0);
    });

    it('sends heartbeat comments while nothing happens', async () => {
      const id = await create();
      const controller = new AbortController();
      const res = await fetch(`${base}/v1/payments/${id}/events`, {
        headers: auth(h.partner),
        signal: controller.signal,
      });
      const sse = sseReader(res.body as ReadableStream<Uint8Array>);
      const blocks: string[] = [];
      while (!blocks.includes(': heartbeat')) {
        const block = await sse.next();
        if (block === null) break;
        blocks.push(block);
      }
      expect(blocks).toContain(': heartbeat');
      controller.abort();
      await until(() => h.fake.subscribers === 0, 1000);
    });

    it('unsubscribes when the client disconnects', async () => {
      const id = await create();
      await until(() => h.fake.subscribers === 0);
      const controller = new AbortController();
      const res = await fetch(`${base}/v1/payments/${id}/events`, {
        headers: auth(h.partner),
        signal: controller.signal,
      });
      const sse = sseReader(res.body as ReadableStream<Uint8Array>);
      await sse.nextEvent();
      expect(h.fake.subscribers).toBe(1);
      controller.abort();
      await until(() => h.fake.subscribers === 0, 1000);
    });

    it('sends one event and ends for a payment that is already terminal', async () => {
      const id = await create();
      h.fake.pay(id);
      const res = await fetch(`${base}/v1/payments/${id}/events`, { headers: auth(h.partner) });
      const sse = sseReader(res.body as ReadableStream<Uint8Array>);
      expect(await sse.nextEvent()).toMatchObject({ data: { status: 'paid' } });
      expect(await sse.nextEvent()).toBeNull();
    });

    it('answers HEAD at once and lets go of the subscription', async () => {
      const id = await create();
      await until(() => h.fake.subscribers === 0);
      const res = await fetch(`${base}/v1/payments/${id}/events`, {
        method: 'HEAD',
        headers: auth(h.partner),
      });
      expect(res.status).toBe(200);
      await until(() => h.fake.subscribers === 0, 1000);
    });

    it('answers an unknown payment with a JSON 404 before any stream starts', async () => {
      const res = await fetch(`${base}/v1/payments/pay_unknown/events`, { headers: auth(h.partner) });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
    });

    it('ends open streams when the app closes', async () => {
      const fake = new FakePaymentService();
      fake.addLicense({ partnerId: h.partner.partnerId, key: h.partner.licenseKey, tokens: 1 });
      const app: FastifyInstance = await buildApp({
        db: getDatabase().db,
        payments: fake,
        config: testConfig(),
        logger: false,
      });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const { id } = await fake.create(h.partner.partnerId, {
        transactionId: 'T-sse-close',
        amount: 5000,
        licenseKey: h.partner.licenseKey,
        paymentType: 'QRIS',
      });
      const res = await fetch(`${url}/v1/payments/${id}/events`, { headers: auth(h.partner) });
      const sse = sseReader(res.body as ReadableStream<Uint8Array>);
      await sse.nextEvent();
      const started = performance.now();
      await app.close();
      expect(await sse.nextEvent()).toBeNull();
      expect(performance.now() - started).toBeLessThan(1000);
      expect(fake.subscribers).toBe(0);
    });
  });

  it('logged no errors along the way', () => {
    const errors = h.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  });
});
