// Real deliveries of the server's outbound webhooks, verified by the SDK and cross-checked with the
// `standardwebhooks` reference library and seed 004's own verifier; and the README's shop
// (examples/http-app.ts) end to end, its webhook endpoint fed by the server.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../../apps/server/test/scratch.js';
import { createShop } from '../../examples/http-app.js';
import { QuickCart, type WebhookEvent, Webhooks, WebhookVerificationError } from '../../src/index.js';
import { createAccount, type TestServer } from '../support/server.js';

/** Seed 004's verifier, verbatim: what partners already run. */
function verifyWebhook(payload: string, signature: string, secret: string): boolean {
  const expectedSignature = createHmac('sha256', secret).update(payload).digest('hex');
  return timingSafeEqual(Buffer.from(signature), Buffer.from(expectedSignature));
}

interface Delivery {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Resolves with `check()`'s first truthy value, trying every 50 ms for at most `ms`. */
async function eventually<T>(what: string, check: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as WebhookVerificationError).reason;
};

export function webhookSuite(server: () => TestServer): void {
  const listening: Server[] = [];
  afterEach(async () => {
    for (const s of listening.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });
  const listen = async (s: Server, port = 0) => {
    listening.push(s);
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  };
  /** A receiver that keeps every delivery's raw bytes and headers and answers 200. */
  const receiver = async () => {
    const deliveries: Delivery[] = [];
    const url = await listen(
      createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        deliveries.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.end('ok');
      }),
    );
    return { url, deliveries };
  };
  const pay = (id: string) => {
    const sandbox = server().server.sandbox;
    if (!sandbox) throw new Error('expected the embedded sandbox');
    sandbox.pay(id);
  };

  describe('real webhook deliveries', () => {
    it('verifies payment.success as delivered, in both schemes, like the reference verifiers do', async () => {
      const account = await createAccount(server());
      const qc = new QuickCart({ baseUrl: server().url, apiKey: account.apiKey });
      const { url, deliveries } = await receiver();
      const payment = await qc.partnerPayment.generateQris({
        transactionId: 'HOOK-1',
        amount: 42000,
        licenseKey: account.licenseKey,
        webhookUrl: `${url}/webhook/payment`,
      });
      pay(payment.payment_id);
      const { headers, body } = await eventually('the delivery', () => deliveries[0]);
      const secret = account.webhookSecret;

      expect(await qc.webhooks.verify(body, headers, secret)).toEqual({
        scheme: 'standard-webhooks',
        id: headers['webhook-id'],
        timestamp: Number(headers['webhook-timestamp']),
      });
      expect((await qc.webhooks.verify(body, headers, secret, { scheme: 'x-kgiton-signature' })).scheme).toBe(
        'x-kgiton-signature',
      );
      const event = await qc.webhooks.constructEvent(body, headers, secret);
      expect(event).toEqual({
        event: 'payment.success',
        payment_id: payment.payment_id,
        transaction_id: 'HOOK-1',
        amount: 42000,
        payment_type: 'QRIS',
        paid_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      // The reference implementations agree.
      expect(new Webhook(secret).verify(body.toString(), headers as Record<string, string>)).toEqual(event);
      expect(verifyWebhook(body.toString(), headers['x-kgiton-signature'] as string, secret)).toBe(true);

      // Tampered bytes, a parsed body, another secret, a replay after the tolerance: refused.
      const tampered = Buffer.from(body.toString().replace('42000', '92000'));
      expect(await refusal(qc.webhooks.verify(tampered, headers, secret))).toBe('INVALID_SIGNATURE');
      expect(
        await refusal(qc.webhooks.verify(tampered, headers, secret, { scheme: 'x-kgiton-signature' })),
      ).toBe('INVALID_SIGNATURE');
      expect(await refusal(qc.webhooks.verify(JSON.parse(body.toString()), headers, secret))).toBe(
        'PARSED_BODY',
      );
      const other = await createAccount(server());
      expect(await refusal(qc.webhooks.verify(body, headers, other.webhookSecret))).toBe('INVALID_SIGNATURE');
      const later = new Webhooks({ now: () => Date.now() + 10 * 60_000 });
      expect(await refusal(later.verify(body, headers, secret))).toBe('TIMESTAMP_TOO_OLD');
    });

    it('keeps verifying with the old or the new secret while it rotates', async () => {
      const { url, deliveries } = await receiver();
      const account = await createAccount(server(), { webhookUrl: `${url}/hook` });
      const qc = new QuickCart({ baseUrl: server().url, apiKey: account.apiKey });
      const rotated = await fetch(`${server().url}/v1/webhooks/secret/rotate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${account.apiKey}` },
      });
      const { webhook_secret: newSecret } = (await rotated.json()) as { webhook_secret: string };
      expect(newSecret).toMatch(/^whsec_/);
      const qris = await qc.payment.generateQRIS({ license_key: account.licenseKey, amount: 30000 });
      pay(qris.transaction_id);
      const { headers, body } = await eventually('the delivery', () => deliveries[0]);
      expect(headers['x-kgiton-signature-next']).toMatch(/^[0-9a-f]{64}$/);
      for (const secret of [account.webhookSecret, newSecret]) {
        for (const scheme of ['standard-webhooks', 'x-kgiton-signature'] as const) {
          expect((await qc.webhooks.verify(body, headers, secret, { scheme })).scheme).toBe(scheme);
        }
      }
    });
  });

  describe('the README shop (examples/http-app.ts)', () => {
    it('creates, reads, long-polls, cancels, and takes the verified webhook of its paid payment', async () => {
      const port = await freePort();
      const account = await createAccount(server(), {
        webhookUrl: `http://127.0.0.1:${port}/api/webhook/payment`,
      });
      const events: { event: WebhookEvent; id: string | null }[] = [];
      const shop = createShop({
        qc: new QuickCart({ baseUrl: server().url, apiKey: account.apiKey }),
        webhookSecret: account.webhookSecret,
        licenseKey: account.licenseKey,
        onEvent: (event, id) => {
          events.push({ event, id });
        },
      });
      const base = await listen(shop, port);
      const call = async (method: string, path: string, init: RequestInit = {}) => {
        const response = await fetch(`${base}${path}`, { method, ...init });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const post = (path: string, body: unknown) =>
        call('POST', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

      const created = await post('/api/payment/qris', { amount: 25000, reference_id: 'SHOP-1' });
      expect(created).toMatchObject({
        status: 201,
        body: { success: true, qris_string: expect.stringMatching(/^000201/) },
      });
      expect((await call('GET', '/api/payment/SHOP-1/status')).body).toMatchObject({
        status: 'pending',
        amount: 25000,
      });
      const waiting = call('GET', '/api/payment/SHOP-1/wait?timeout=20000');
      setTimeout(() => pay(created.body.transaction_id as string), 300);
      expect((await waiting).body).toMatchObject({ status: 'paid', reference_id: 'SHOP-1' });
      const delivered = await eventually('the webhook at the shop', () => events[0]);
      expect(delivered.event).toMatchObject({
        event: 'payment.success',
        transaction_id: 'SHOP-1',
        amount: 25000,
      });
      expect(delivered.id).toMatch(/^msg_/);

      await post('/api/payment/qris', { amount: 25000, reference_id: 'SHOP-2' });
      expect(await call('POST', '/api/payment/SHOP-2/cancel')).toEqual({
        status: 200,
        body: { success: true, message: 'Payment cancelled' },
      });
      await post('/api/payment/qris', { amount: 25000, reference_id: 'SHOP-3' });
      expect((await call('GET', '/api/payment/SHOP-3/wait?timeout=300')).body).toEqual({
        success: true,
        status: 'pending',
        timeout: true,
      });
      expect(await call('GET', '/api/payment/nope/status')).toMatchObject({
        status: 404,
        body: { code: 'NOT_FOUND' },
      });

      // Its webhook endpoint takes what generateTestHeaders signs, and refuses anything else.
      const payload = JSON.stringify({
        event: 'webhook.test',
        message: 'hi',
        sent_at: new Date().toISOString(),
      });
      const signed = await new Webhooks().generateTestHeaders({ payload, secret: account.webhookSecret });
      expect((await call('POST', '/api/webhook/payment', { headers: signed, body: payload })).status).toBe(
        200,
      );
      const forged = await new Webhooks().generateTestHeaders({
        payload,
        secret: `whsec_${Buffer.alloc(32).toString('base64')}`,
      });
      expect((await call('POST', '/api/webhook/payment', { headers: forged, body: payload })).status).toBe(
        400,
      );
      expect(events.map((e) => e.event.event)).toEqual(['payment.success', 'webhook.test']);
    });
  });
}
