// The examples of seeds 002 and 004 (test/consumer/seed-*/, changed only in their import and
// constructor) run against the server, with the placeholders they use made real: license keys
// 'LICENSE-KEY' and 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX', a payment whose reference id is
// 'transaction-id'. `express` and `ws` are the shims of test/consumer/shims (mocked in
// server.test.ts); the "customer" pays each displayed QR in the sandbox.
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuickCart } from '../../src/index.js';
import { apps } from '../consumer/shims/express.js';
import { FakeSocket, servers } from '../consumer/shims/ws.js';
import { type Account, createAccount, type TestServer, tokensOf } from '../support/server.js';

/**
 * Runs (imports) a seed example. The path is built at run time so that the repository's type check
 * does not follow it: the examples are type-checked by their own consumer project (test/consumer).
 */
const seed = (name: string): Promise<Record<string, unknown>> =>
  import(/* @vite-ignore */ new URL(`../consumer/${name}.ts`, import.meta.url).href);

interface SeedOrder {
  id: string;
  licenseKey: string;
  total: number;
  storeId: string;
  items: { name: string }[];
}

export function seedSuite(server: () => TestServer): void {
  const output: string[] = [];
  const env = { url: process.env.KGITON_API_URL, key: process.env.KGITON_API_KEY };
  beforeEach(() => {
    output.length = 0;
    const capture = (...args: unknown[]) => {
      output.push(args.map(String).join(' '));
    };
    vi.spyOn(console, 'log').mockImplementation(capture);
    vi.spyOn(console, 'error').mockImplementation(capture);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env.KGITON_API_URL = env.url;
    process.env.KGITON_API_KEY = env.key;
  });
  /** What the seeds read: KGITON_API_URL and KGITON_API_KEY (seed 002's own constructor). */
  const use = (account: Account) => {
    process.env.KGITON_API_URL = server().url;
    process.env.KGITON_API_KEY = account.apiKey;
    return new QuickCart({ baseUrl: server().url, apiKey: account.apiKey });
  };
  /** The payer: pays payment `id` in the sandbox after `ms`. */
  const payLater = (id: string, ms = 200) =>
    setTimeout(() => {
      const sandbox = server().server.sandbox;
      if (!sandbox) throw new Error('expected the embedded sandbox');
      sandbox.pay(id);
    }, ms);
  const idOfImage = (url: string) => /\/qr\/([^/]+)\.png$/.exec(url)?.[1] ?? '';

  describe('seed 002 examples', () => {
    let shop: Account;
    const shopAccount = async () => {
      shop ??= await createAccount(server(), { tokens: 20, licenseKey: 'LICENSE-KEY' });
      return shop;
    };

    it('generateQRIS', async () => {
      use(await shopAccount());
      await seed('seed-002/generate-qris');
      expect(output[0]).toMatch(/^Transaction ID: pay_/);
      expect(output[1]).toMatch(/^QRIS String: 000201/);
      expect(output).toContain('Amount: 50000');
    });

    it('checkPaymentStatus, then waitForPayment while the customer pays', async () => {
      const account = await createAccount(server());
      const qc = use(account);
      const qris = await qc.payment.generateQRIS({
        license_key: account.licenseKey,
        amount: 20000,
        reference_id: 'transaction-id',
      });
      await seed('seed-002/check-status');
      expect(output).toEqual(['Status: pending', 'Amount: 20000', 'Paid At: undefined']);
      output.length = 0;
      payLater(qris.transaction_id, 300);
      await seed('seed-002/wait');
      expect(output[0]).toBe('Payment successful!');
      expect(output[1]).toMatch(/^Paid at: \d{4}-/);
    });

    it('cancelPayment', async () => {
      const account = await createAccount(server());
      const qc = use(account);
      await qc.payment.generateQRIS({
        license_key: account.licenseKey,
        amount: 20000,
        reference_id: 'transaction-id',
      });
      await seed('seed-002/cancel');
      expect(output).toEqual(['Payment cancelled']);
      expect((await qc.payment.checkPaymentStatus('transaction-id')).status).toBe('cancelled');
    });

    it('POS integration: create, display, the customer pays, order completed', async () => {
      use(await shopAccount());
      const order: SeedOrder = {
        id: 'ORDER-1',
        licenseKey: 'LICENSE-KEY',
        total: 45000,
        storeId: 'STORE-1',
        items: [{ name: 'Apple' }],
      };
      const completed: SeedOrder[] = [];
      vi.stubGlobal('order', order);
      vi.stubGlobal('displayQRIS', (url: string) => payLater(idOfImage(url)));
      vi.stubGlobal('completeOrder', (done: SeedOrder) => completed.push(done));
      try {
        await seed('seed-002/pos');
      } finally {
        vi.unstubAllGlobals();
      }
      expect(completed).toEqual([order]);
    });

    it('Express endpoints: create, status, long-poll wait, cancel, webhook', async () => {
      use(await shopAccount());
      const updates: [string, string][] = [];
      vi.stubGlobal('updateOrderStatus', async (id: string, status: string) => {
        updates.push([id, status]);
      });
      await seed('seed-002/express-app');
      const app = apps.at(-1);
      if (!app) throw new Error('the snippet made no app');
      const listening = app.listen(0);
      await new Promise((resolve) => listening.once('listening', resolve));
      const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
      const call = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${base}${path}`, {
          method,
          ...(body !== undefined && {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      try {
        const created = await call('POST', '/api/payment/qris', {
          license_key: 'LICENSE-KEY',
          amount: 20000,
          reference_id: 'WEB-1',
          description: 'web shop',
        });
        expect(created).toEqual({
          status: 200,
          body: {
            success: true,
            transaction_id: expect.stringMatching(/^pay_/),
            qris_image_url: expect.any(String),
            expires_at: expect.any(String),
          },
        });
        const status = await call('GET', '/api/payment/WEB-1/status');
        expect(status.body).toMatchObject({ success: true, status: 'pending', reference_id: 'WEB-1' });
        payLater(created.body.transaction_id as string, 300);
        const waited = await call('GET', '/api/payment/WEB-1/wait');
        expect(waited.body).toMatchObject({ success: true, status: 'paid', timeout: false });
        await call('POST', '/api/payment/qris', {
          license_key: 'LICENSE-KEY',
          amount: 20000,
          reference_id: 'WEB-2',
        });
        expect(await call('POST', '/api/payment/WEB-2/cancel')).toEqual({
          status: 200,
          body: { success: true, message: 'Payment cancelled' },
        });
        const missing = await call('GET', '/api/payment/nope/status');
        expect(missing.status).toBe(400);
        expect(missing.body.error).toMatch(/404 NOT_FOUND/);
        const hook = await call('POST', '/api/webhook/payment', {
          transaction_id: 'WEB-1',
          status: 'paid',
          amount: 20000,
        });
        expect(hook.body).toEqual({ received: true });
        expect(updates).toEqual([['WEB-1', 'paid']]);
      } finally {
        vi.unstubAllGlobals();
        listening.closeAllConnections();
        await new Promise((resolve) => listening.close(resolve));
      }
    });

    it('WebSocket updates: qris_created, then payment_status once paid', async () => {
      use(await shopAccount());
      await seed('seed-002/websocket');
      const wss = servers.at(-1);
      if (!wss) throw new Error('the snippet made no server');
      expect(wss.options).toEqual({ port: 8080 });
      const ws = new FakeSocket();
      wss.emit('connection', ws);
      const next = () =>
        new Promise<{ type: string; data?: Record<string, unknown> }>((resolve) =>
          ws.once('sent', (text: string) => resolve(JSON.parse(text))),
        );
      const created = next();
      ws.emit(
        'message',
        Buffer.from(
          JSON.stringify({ type: 'create_payment', payload: { license_key: 'LICENSE-KEY', amount: 30000 } }),
        ),
      );
      const qris = await created;
      expect(qris).toMatchObject({ type: 'qris_created', data: { status: 'pending', amount: 30000 } });
      const update = next();
      payLater(qris.data?.transaction_id as string);
      expect(await update).toMatchObject({ type: 'payment_status', data: { status: 'paid' } });
    });

    it('error handling: ValidationError and NotFoundError', async () => {
      use(await shopAccount());
      await seed('seed-002/errors');
      // amount 100 is refused before the key is looked up.
      expect(output).toEqual(['Invalid amount or parameters']);
    });
  });

  describe('seed 004 examples', () => {
    let partner: Account;
    const partnerAccount = async () => {
      partner ??= await createAccount(server(), { tokens: 5, licenseKey: 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX' });
      return use(partner);
    };

    it('generateQris, generateCheckoutPage and generate (raw)', async () => {
      const qc = await partnerAccount();
      await seed('seed-004/generate-qris');
      expect(output[0]).toMatch(/^QRIS URL: http:\/\/127\.0\.0\.1:\d+\/qr\/pay_\w+\.png$/);
      expect(output[1]).toMatch(/^QRIS Content: 000201/);
      await seed('seed-004/checkout-page');
      expect(output[3]).toMatch(/^Checkout URL: http:\/\/127\.0\.0\.1:\d+\/checkout\/pay_\w+$/);
      await seed('seed-004/generate-raw');
      expect(await qc.payment.checkPaymentStatus('TRX-2026-003')).toMatchObject({
        amount: 75000,
        payment_type: 'QRIS',
      });
    });

    it('the complete example picks QRIS or a checkout page by amount', async () => {
      await partnerAccount();
      const { createPayment } = (await seed('seed-004/complete-example')) as {
        createPayment(orderId: string, amount: number): Promise<unknown>;
      };
      expect(await createPayment('ORDER-A', 50000)).toEqual({
        type: 'qris',
        qrUrl: expect.stringMatching(/\.png$/),
        expiresAt: expect.any(String),
      });
      expect(await createPayment('ORDER-B', 150000)).toEqual({
        type: 'checkout',
        checkoutUrl: expect.stringMatching(/\/checkout\/pay_/),
        expiresAt: expect.any(String),
      });
    });

    it('error handling by code: INSUFFICIENT_TOKENS once the 5 tokens are spent', async () => {
      await partnerAccount();
      expect((await tokensOf(server(), partner)).tokens).toBe(0);
      await seed('seed-004/errors');
      expect(output).toEqual(['Token tidak cukup, silakan top-up']);
    });
  });
}
