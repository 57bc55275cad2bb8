// @quickcart/pakasir against the sandbox, over real HTTP on 127.0.0.1 and through the sandbox's
// in-process fetch and lightFetch: every endpoint, both protocol versions, error answers, injected faults,
// webhooks and their confirmation.
import {
  type ApiVersion,
  PAYMENT_METHODS,
  Pakasir,
  PakasirApiError,
  PakasirNetworkError,
  type PakasirOptions,
  PakasirTimeoutError,
  PakasirValidationError,
  PakasirWebhookError,
  PaymentExpiredError,
  parseWebhook,
} from '@quickcart/pakasir';
import { parse } from '@quickcart/qris';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../src/index.js';
import { API_KEY, manualClock, PROJECT, receiver, SECRET, sandbox } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** How the client reaches the sandbox: a socket, or the sandbox's own in-process `fetch` or `lightFetch`. */
type Transport = 'http' | 'fetch' | 'lightFetch';
let transport: Transport = 'http';

async function setup(options: Parameters<typeof sandbox>[0] = {}) {
  const server = await sandbox(options);
  cleanups.push(() => server.close());
  const client = (overrides: Partial<PakasirOptions> = {}) =>
    new Pakasir({
      project: PROJECT,
      apiKey: API_KEY,
      baseUrl: server.url,
      mode: 'sandbox',
      maxRetries: 2,
      timeoutMs: 2000,
      ...(transport === 'fetch' && { fetch: server.fetch }),
      ...(transport === 'lightFetch' && { fetch: server.lightFetch }),
      ...overrides,
    });
  return { server, client };
}

async function webhookReceiver() {
  const hook = await receiver();
  cleanups.push(() => hook.close());
  return hook;
}

describe.each<Transport>(['http', 'fetch', 'lightFetch'])('over %s', (via) => {
  beforeEach(() => {
    transport = via;
  });

  describe.each<ApiVersion>(['v1', 'v2'])('Pakasir client, %s, against the sandbox', (apiVersion) => {
    it('creates a QRIS transaction whose payment_number is a valid dynamic QRIS for total_payment', async () => {
      const { client } = await setup();
      const payment = await client({ apiVersion }).createQris({
        orderId: `INV-${apiVersion}-1`,
        amount: 99000,
      });
      expect(payment).toMatchObject({
        project: PROJECT,
        order_id: `INV-${apiVersion}-1`,
        amount: 99000,
        fee: 1003,
        total_payment: 100003,
        payment_method: 'qris',
      });
      expect(parse(payment.payment_number).fields).toMatchObject({
        pointOfInitiation: 'dynamic',
        amount: '100003.00',
      });
      expect(payment.expired_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      if (apiVersion === 'v2')
        expect(payment).toMatchObject({ txn_id: expect.any(String), is_sandbox: true, status: 'pending' });
    });

    it('creates every payment method of the docs', async () => {
      const { client } = await setup();
      const pakasir = client({ apiVersion });
      for (const method of PAYMENT_METHODS) {
        const created = await pakasir.createTransaction(method, { orderId: `M-${method}`, amount: 50000 });
        expect(created.payment_method).toBe(method);
        expect(created.payment_number).not.toBe('');
        expect(created.total_payment).toBe(50000 + created.fee);
      }
    });

    it('reads, simulates and waits for a payment; metadata reaches the webhook', async () => {
      const hook = await webhookReceiver();
      const { client } = await setup({ webhookUrl: hook.url, webhookSecret: SECRET });
      const pakasir = client({ apiVersion, webhookSecret: SECRET });
      const created = await pakasir.createQris({
        orderId: 'tg12345-ABC',
        amount: 22000,
        metadata: { telegram_id: 12345 },
      });
      const ref = { orderId: 'tg12345-ABC', amount: 22000, ...(created.txn_id && { txnId: created.txn_id }) };
      expect(await pakasir.transactionDetail(ref)).toMatchObject({
        status: 'pending',
        completed_at: null,
        project: PROJECT,
      });
      const waiting = pakasir.waitForPayment(ref, { timeoutMs: 20_000, intervalMs: 1000 });
      await pakasir.simulatePayment(ref);
      await expect(waiting).resolves.toMatchObject({ status: 'completed', completed_at: expect.any(String) });
      await hook.next(1);
      const event = await parseWebhook(
        hook.requests[0]?.body ?? '',
        hook.requests[0]?.headers as Record<string, string>,
        { secret: SECRET },
      );
      expect(event).toMatchObject({
        version: apiVersion,
        orderId: 'tg12345-ABC',
        amount: 22000,
        status: 'completed',
      });
      if (apiVersion === 'v1') expect(event.metadata).toEqual({ telegram_id: 12345 });
      await expect(
        pakasir.confirmWebhook(event, { orderId: 'tg12345-ABC', amount: 22000 }),
      ).resolves.toMatchObject({ status: 'completed' });
    });

    it('cancels a pending transaction, and waitForPayment then rejects with PaymentExpiredError', async () => {
      const { client } = await setup();
      const pakasir = client({ apiVersion });
      const created = await pakasir.createQris({ orderId: 'C-1', amount: 15000 });
      const ref = { orderId: 'C-1', amount: 15000, ...(created.txn_id && { txnId: created.txn_id }) };
      await pakasir.cancelTransaction(ref);
      await expect(pakasir.waitForPayment(ref)).rejects.toMatchObject({
        name: 'PaymentExpiredError',
        status: 'canceled',
      });
      await expect(pakasir.cancelTransaction(ref)).rejects.toMatchObject({ status: 409 });
    });

    it('reports expiry by the sandbox clock', async () => {
      const clock = manualClock();
      const { client } = await setup({ now: clock.now, expiryMs: 60_000 });
      const pakasir = client({ apiVersion });
      const created = await pakasir.createQris({ orderId: 'E-1', amount: 15000 });
      clock.advance(61_000);
      const ref = { orderId: 'E-1', amount: 15000, ...(created.txn_id && { txnId: created.txn_id }) };
      await expect(pakasir.waitForPayment(ref)).rejects.toBeInstanceOf(PaymentExpiredError);
    });

    it('turns the sandbox error answers into PakasirApiError with status and body', async () => {
      const { client } = await setup();
      const wrongKey = client({ apiVersion, apiKey: 'wrong' });
      await expect(wrongKey.createQris({ orderId: 'X-1', amount: 1000 })).rejects.toMatchObject({
        name: 'PakasirApiError',
        status: 401,
      });
      await expect(
        client({ apiVersion, project: 'nope' }).createQris({ orderId: 'X-1', amount: 1000 }),
      ).rejects.toMatchObject({
        status: 404,
      });
      const pakasir = client({ apiVersion });
      await pakasir.createQris({ orderId: 'D-1', amount: 1000 });
      const duplicate = await pakasir.createQris({ orderId: 'D-1', amount: 2000 }).catch((e: unknown) => e);
      expect(duplicate).toBeInstanceOf(PakasirApiError);
      expect(duplicate).toMatchObject({ status: 409, body: { error: expect.any(String) } });
      const again = await pakasir.createQris({ orderId: 'D-1', amount: 1000 });
      expect(again.order_id).toBe('D-1');
      const unknown = { orderId: 'NONE', amount: 1000, txnId: 'txn_none' };
      await expect(pakasir.transactionDetail(unknown)).rejects.toMatchObject({ status: 404 });
    });

    it('catches bad input before sending', async () => {
      const { client, server } = await setup();
      const pakasir = client({ apiVersion });
      await expect(pakasir.createQris({ orderId: '', amount: 1000 })).rejects.toBeInstanceOf(
        PakasirValidationError,
      );
      await expect(pakasir.createQris({ orderId: 'A', amount: 0 })).rejects.toBeInstanceOf(
        PakasirValidationError,
      );
      await expect(
        pakasir.createTransaction('gopay' as 'qris', { orderId: 'A', amount: 1000 }),
      ).rejects.toThrow(/unknown payment method/);
      expect(server.transactions()).toHaveLength(0);
    });
  });

  describe('Pakasir client under injected faults', () => {
    it('retries reads through 503 and 502 answers', async () => {
      const { server, client } = await setup();
      const pakasir = client({ apiVersion: 'v1' });
      await pakasir.createQris({ orderId: 'F-1', amount: 5000 });
      server.faults.set({ errors: [503, 502] });
      await expect(pakasir.transactionDetail({ orderId: 'F-1', amount: 5000 })).resolves.toMatchObject({
        status: 'pending',
      });
    });

    it('does not re-send a v1 create after a 502, and re-sends a v2 create', async () => {
      const { server, client } = await setup();
      server.faults.set({ errors: [502] });
      await expect(
        client({ apiVersion: 'v1' }).createQris({ orderId: 'F-2', amount: 5000 }),
      ).rejects.toMatchObject({ status: 502 });
      server.faults.set({ errors: [502] });
      await expect(
        client({ apiVersion: 'v2' }).createQris({ orderId: 'F-3', amount: 5000 }),
      ).resolves.toMatchObject({ order_id: 'F-3' });
      expect(server.transactions().map((t) => t.order_id)).toEqual(['F-3']);
    });

    it('times out a hanging answer and reports a reset connection', async () => {
      const { server, client } = await setup();
      const pakasir = client({ apiVersion: 'v1', timeoutMs: 200, maxRetries: 0 });
      server.faults.set({ hangs: 1 });
      await expect(pakasir.transactionDetail({ orderId: 'H-1', amount: 5000 })).rejects.toBeInstanceOf(
        PakasirTimeoutError,
      );
      server.faults.set({ resets: 1 });
      await expect(pakasir.transactionDetail({ orderId: 'H-1', amount: 5000 })).rejects.toBeInstanceOf(
        PakasirNetworkError,
      );
    });

    it('healthCheck says up, then down once the sandbox is gone', async () => {
      const { server, client } = await setup();
      const pakasir = client();
      expect(await pakasir.healthCheck()).toMatchObject({ ok: true, status: 200 });
      await server.close();
      expect(await pakasir.healthCheck({ timeoutMs: 500 })).toMatchObject({ ok: false });
    });

    it('fees() reads v2 payment-fee and agrees with estimateFee for QRIS', async () => {
      const { client } = await setup();
      const pakasir = client();
      const fees = await pakasir.fees(99000);
      expect(fees.qris).toBe(1003);
      expect(fees.qris).toBe(pakasir.estimateFee('qris', 99000));
    });
  });

  describe('webhook verification against the sandbox', () => {
    async function paidWithWebhook(
      server: SandboxHandle,
      hook: Awaited<ReturnType<typeof webhookReceiver>>,
      pakasir: Pakasir,
      orderId: string,
    ) {
      const created = await pakasir.createQris({ orderId, amount: 30000 });
      await pakasir.simulatePayment({ orderId, amount: 30000 });
      await server.webhooks.idle();
      return { created, request: hook.requests.at(-1) };
    }

    it('refuses a forged signature and a replay with another body', async () => {
      const hook = await webhookReceiver();
      const { server, client } = await setup({ webhookUrl: hook.url, webhookSecret: SECRET });
      const { request } = await paidWithWebhook(server, hook, client({ apiVersion: 'v1' }), 'W-1');
      const headers = request?.headers as Record<string, string>;
      const forged = (request?.body ?? '').replace('30000', '300000');
      await expect(parseWebhook(forged, headers, { secret: SECRET })).rejects.toBeInstanceOf(
        PakasirWebhookError,
      );
      await expect(parseWebhook(request?.body ?? '', headers, { secret: 'another-secret' })).rejects.toThrow(
        /signature/,
      );
    });

    it('a webhook with the wrong amount (signed as sent) fails confirmation', async () => {
      const hook = await webhookReceiver();
      const { server, client } = await setup({
        webhookUrl: hook.url,
        webhookSecret: SECRET,
        faults: { webhookWrongAmounts: 1 },
      });
      const pakasir = client({ apiVersion: 'v1' });
      const { request } = await paidWithWebhook(server, hook, pakasir, 'W-2');
      const event = await parseWebhook(request?.body ?? '', request?.headers as Record<string, string>, {
        secret: SECRET,
      });
      expect(event.amount).toBe(30001);
      await expect(pakasir.confirmWebhook(event, { orderId: 'W-2', amount: 30000 })).rejects.toThrow(
        /amount 30001, expected 30000/,
      );
    });

    it('a webhook for another project, or an unpaid order, fails confirmation', async () => {
      const hook = await webhookReceiver();
      const { server, client } = await setup({ webhookUrl: hook.url, webhookSecret: SECRET });
      const pakasir = client({ apiVersion: 'v1' });
      const { request } = await paidWithWebhook(server, hook, pakasir, 'W-3');
      const event = await parseWebhook(request?.body ?? '', {}, {});
      await expect(
        pakasir.confirmWebhook({ ...event, project: 'other' }, { orderId: 'W-3', amount: 30000 }),
      ).rejects.toThrow(/project other/);
      await pakasir.createQris({ orderId: 'W-4', amount: 30000 });
      await expect(
        pakasir.confirmWebhook({ ...event, orderId: 'W-4' }, { orderId: 'W-4', amount: 30000 }),
      ).rejects.toThrow(/is pending/);
    });

    it('a sandbox payment never confirms in live mode (v2 is_sandbox)', async () => {
      const hook = await webhookReceiver();
      const { server, client } = await setup({ webhookUrl: hook.url, webhookSecret: SECRET });
      const sandboxClient = client({ apiVersion: 'v2' });
      const { created, request } = await paidWithWebhook(server, hook, sandboxClient, 'W-5');
      const event = await parseWebhook(request?.body ?? '', request?.headers as Record<string, string>, {
        secret: SECRET,
      });
      expect(event).toMatchObject({ version: 'v2', isSandbox: true });
      const live = client({ apiVersion: 'v2', mode: 'live' });
      await expect(live.confirmWebhook(event, { orderId: 'W-5', amount: 30000 })).rejects.toThrow(/sandbox/);
      await expect(
        live.waitForPayment(
          { orderId: 'W-5', amount: 30000, txnId: created.txn_id ?? '' },
          { timeoutMs: 500 },
        ),
      ).rejects.toThrow(/sandbox payment/);
    });
  });
});

describe('the in-process fetch reads every form of a fetch() call', () => {
  it('answers a plain call, a Request object and a byte body alike', async () => {
    const server = await sandbox();
    cleanups.push(() => server.close());
    const body = (orderId: string) =>
      JSON.stringify({ project: PROJECT, order_id: orderId, amount: 25_000, api_key: API_KEY });
    const url = `${server.url}/api/transactioncreate/qris`;
    const answers = [
      await server.fetch(url, {
        method: 'post',
        headers: { 'Content-Type': 'application/json' },
        body: body('F-1'),
      }),
      await server.fetch(
        new Request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: body('F-2'),
        }),
      ),
      await server.fetch(new URL(url), {
        method: 'POST',
        headers: new Headers({ 'content-type': 'application/json' }),
        body: new TextEncoder().encode(body('F-3')),
      }),
    ];
    const created = await Promise.all(answers.map((answer) => answer.json()));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(created.map((c) => (c as { payment: { order_id: string } }).payment.order_id)).toEqual([
      'F-1',
      'F-2',
      'F-3',
    ]);
    await expect(server.fetch('not a url')).rejects.toThrow(TypeError);
    // lightFetch answers with a plain object: same status, headers and body as fetch.
    const light = await server.lightFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body('F-4'),
    });
    expect(light).toMatchObject({ status: 200, ok: true, body: null });
    expect(light.headers.get('Content-Type')).toBe(answers[0]?.headers.get('content-type'));
    expect(JSON.parse(await light.text())).toMatchObject({ payment: { order_id: 'F-4' } });
    const detail = `${server.url}/api/transactiondetail?${new URLSearchParams({ project: PROJECT, order_id: 'F-4', amount: '25000', api_key: API_KEY })}`;
    expect(await (await server.lightFetch(detail)).text()).toBe(await (await server.fetch(detail)).text());
  });
});
