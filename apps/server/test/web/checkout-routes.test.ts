// The checkout routes over the real payment stack (sandbox gateway, webhooks, notifier) on PGlite
// and PostgreSQL: the page's HTML for both payment types, its states, languages, 404, security
// headers and secrets; the status JSON, the SSE stream and the sandbox-only simulate endpoint.
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { payments } from '../../src/db/schema.js';
import { buildApp } from '../../src/http/app.js';
import type { PaymentView } from '../../src/payments/contract.js';
import { createLicense } from '../../src/payments/licenses.js';
import { createPartner } from '../../src/payments/partners.js';
import { transition } from '../../src/payments/state.js';
import { describeEachDatabase } from '../databases.js';
import { type Stack, startStack } from '../gateway.js';
import { testConfig } from '../http-harness.js';
import { expectNoInlineCode, expectPageHeaders, seedCheckoutBody, sseReader } from './helpers.js';

const MERCHANT = `Toko <Budi> & "Sons"`;

describeEachDatabase('checkout page routes', (getDatabase) => {
  let stack: Stack;
  let app: FastifyInstance;
  let live: FastifyInstance;
  let base: string;
  let partnerId: string;
  let licenseKey: string;
  let secrets: string[];

  beforeAll(async () => {
    const database = getDatabase();
    stack = await startStack(database);
    const created = await createPartner(database.db, { name: MERCHANT });
    partnerId = created.partner.id;
    const license = await createLicense(database.db, { partnerId, tokens: 100 });
    licenseKey = license.key;
    secrets = [created.apiKey, created.webhookSecret, license.key];
    app = await buildApp({
      db: database.db,
      payments: stack.service,
      config: testConfig(),
      logger: false,
      env: {},
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    live = await buildApp({
      db: database.db,
      payments: stack.service,
      config: testConfig({ pakasir: { mode: 'live' } }),
      logger: false,
      env: {},
    });
  });
  afterAll(async () => {
    await app?.close();
    await live?.close();
    await stack?.close();
  });

  /** A payment through the real service: seed 004's checkout page, or a plain QRIS. */
  async function create(type: 'CHECKOUT_PAGE' | 'QRIS', overrides: Record<string, unknown> = {}) {
    const body = seedCheckoutBody(licenseKey, overrides);
    return stack.service.create(partnerId, {
      transactionId: body.transaction_id,
      amount: Number(body.amount),
      licenseKey,
      paymentType: type,
      description: String(body.description),
      ...(type === 'CHECKOUT_PAGE' && { backUrl: String(body.back_url), items: body.items }),
      customerName: 'Jane Doe',
      customerEmail: 'jane@example.com',
      customerPhone: '081234567890',
      webhookUrl: 'https://hooks.partner.example/secret-path-xyz',
      metadata: { internal_note: 'metadata-not-for-payers' },
    });
  }

  const page = (id: string, headers: Record<string, string> = {}, query = '') =>
    app.inject({ url: `/checkout/${id}${query}`, headers });

  it('renders a CHECKOUT_PAGE payment: merchant, description, items, amount, QR, countdown', async () => {
    const payment = await create('CHECKOUT_PAGE');
    const res = await page(payment.id);
    expect(res.statusCode).toBe(200);
    expectPageHeaders(res.headers);
    expect(res.headers.vary).toBe('accept-language');
    const text = res.body;
    expect(text).toMatch(/^<!doctype html>\n<html lang="id">/);
    expect(text).toContain('<h1 id="merchant">Toko &lt;Budi&gt; &amp; &quot;Sons&quot;</h1>');
    expect(text).not.toContain(MERCHANT);
    expect(text).toContain('<p class="description" id="description">Invoice #12345</p>');
    expect(text).toContain('<span id="amount">Rp 150.000</span>');
    expect(text).toContain('data-copy="150000"');
    expect(text).toContain(
      '<span class="item-name">Laundry 5kg</span><span class="item-unit"><span class="item-qty">1</span> × <span class="item-price">Rp 100.000</span>',
    );
    expect(text).toContain('<span class="item-qty">2</span> × <span class="item-price">Rp 25.000</span>');
    expect(text).toContain('<td class="num item-total">Rp 50.000</td>');
    expect(text).toContain('<td class="num" id="items-total">Rp 150.000</td>');
    expect(text).not.toContain('class="adjustment"');
    expect(text).toContain(`<img id="qr" src="/qr/${payment.id}.png?size=512"`);
    expect(text).toContain(
      `href="/qr/${payment.id}.png?size=1024" download="qris-${payment.id}.png">Download QR</a>`,
    );
    // The sandbox's transactions expire after an hour: the page counts down from there.
    expect(text).toMatch(/<strong id="countdown">(01:00:00|59:\d\d)<\/strong>/);
    expect(text).toMatch(/Bayar sebelum \d{1,2} \w{3} \d{4}, \d\d\.\d\d WIB/);
    expect(text).toContain('data-status="pending" data-final="false"');
    expect(text).toContain(`<dd id="reference">${payment.transactionId}</dd>`);
    expect(text).toContain('id="sandbox-banner"');
    expect(text).toContain(`action="/checkout/${payment.id}/simulate?lang=id"`);
    // Without JavaScript a pending page reloads itself.
    expect(text).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
    expectNoInlineCode(text);
    // The QR the page links to is the payment's.
    const qr = await app.inject({ url: `/qr/${payment.id}.png?size=512` });
    expect(qr.statusCode).toBe(200);
  });

  it('renders a QRIS payment too (no items), and shows an adjustment row when items do not add up', async () => {
    const qris = await create('QRIS', { amount: 50_000 });
    const res = await page(qris.id);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<span id="amount">Rp 50.000</span>');
    expect(res.body).toContain(`<img id="qr" src="/qr/${qris.id}.png?size=512"`);
    expect(res.body).not.toContain('id="items"');
    expectNoInlineCode(res.body);

    const odd = await create('CHECKOUT_PAGE', { amount: 140_000 });
    const oddPage = await page(odd.id);
    expect(oddPage.body).toContain(
      '<tr class="adjustment"><td>Biaya lain / diskon</td><td class="num">-Rp 10.000</td></tr>',
    );
  });

  it('puts no secret on the page: no keys, webhook secret or URL, customer contact or metadata', async () => {
    const payment = await create('CHECKOUT_PAGE');
    for (const query of ['', '?lang=en']) {
      const text = (await page(payment.id, {}, query)).body;
      for (const secret of [
        ...secrets,
        'jane@example.com',
        '081234567890',
        'Jane Doe',
        'secret-path-xyz',
        'metadata-not-for-payers',
        partnerId,
        payment.qrContent,
      ]) {
        expect(text).not.toContain(secret);
      }
    }
    const status = await app.inject({ url: `/checkout/${payment.id}/status` });
    expect(Object.keys(status.json()).sort()).toEqual([
      'expires_at',
      'final',
      'paid_at',
      'paid_at_text',
      'status',
    ]);
  });

  it('speaks English with ?lang=en or Accept-Language, Indonesian otherwise', async () => {
    const payment = await create('CHECKOUT_PAGE');
    const english = await page(payment.id, {}, '?lang=en');
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('<span id="amount">Rp 150,000</span>');
    expect(english.body).toContain('Amount due');
    expect(english.body).toMatch(/Pay before \d{1,2} \w{3} \d{4}, \d\d:\d\d WIB/);
    expect(english.body).toContain(`href="/checkout/${payment.id}?lang=id" hreflang="id"`);
    const negotiated = await page(payment.id, { 'accept-language': 'en-US,en;q=0.9,id;q=0.8' });
    expect(negotiated.body).toContain('<html lang="en">');
    const preferred = await page(payment.id, { 'accept-language': 'en;q=0.3, id-ID' });
    expect(preferred.body).toContain('<html lang="id">');
    const overridden = await page(payment.id, { 'accept-language': 'en' }, '?lang=id');
    expect(overridden.body).toContain('Total pembayaran');
    expect(overridden.body).toContain(`href="/checkout/${payment.id}?lang=en" hreflang="en"`);
  });

  it('answers an unknown or malformed id with a friendly 404 page', async () => {
    for (const id of ['pay_aaaaaaaaaaaaaaaaaaaaaaaa', 'nope', `pay_${'<x>'.repeat(3)}`]) {
      const res = await page(encodeURIComponent(id));
      expect(res.statusCode).toBe(404);
      expectPageHeaders(res.headers);
      expect(res.body).toContain('Pembayaran tidak ditemukan');
      expect(res.body).not.toContain('<x>');
    }
    const english = await page('pay_aaaaaaaaaaaaaaaaaaaaaaaa', { 'accept-language': 'en' });
    expect(english.body).toContain('Payment not found');
    const status = await app.inject({ url: '/checkout/pay_aaaaaaaaaaaaaaaaaaaaaaaa/status' });
    expect(status.statusCode).toBe(404);
    expect(status.json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
  });

  it('serves the script and stylesheet under hashed names, cached for good', async () => {
    const text = (await page((await create('QRIS')).id)).body;
    const js = /src="(\/checkout\/assets\/checkout\.[0-9a-f]{12}\.js)"/.exec(text)?.[1] ?? '';
    const css = /href="(\/checkout\/assets\/checkout\.[0-9a-f]{12}\.css)"/.exec(text)?.[1] ?? '';
    const script = await app.inject({ url: js });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toContain('EventSource');
    const style = await app.inject({ url: css });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await app.inject({ url: '/checkout/assets/checkout.000000000000.js' })).statusCode).toBe(404);
  });

  it('streams the status over SSE and flips to paid when the sandbox pays, then ends', async () => {
    const payment = await create('CHECKOUT_PAGE');
    const res = await fetch(`${base}/checkout/${payment.id}/events?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = sseReader(res.body as ReadableStream<Uint8Array>);
    expect(await events.nextEvent()).toMatchObject({
      id: '1',
      event: 'status',
      data: { status: 'pending', final: false },
    });
    await stack.service.simulate(partnerId, payment.id);
    const paid = await events.nextEvent();
    expect(paid).toMatchObject({ id: '2', data: { status: 'paid', final: true } });
    expect(paid?.data.paid_at_text).toMatch(/^\d{1,2} \w{3} \d{4}, \d\d:\d\d WIB$/);
    expect(await events.nextEvent()).toBeNull();
    // A final status is sent at once and the stream ends.
    const again = sseReader(
      (await fetch(`${base}/checkout/${payment.id}/events`)).body as ReadableStream<Uint8Array>,
    );
    expect(await again.nextEvent()).toMatchObject({ data: { status: 'paid', final: true } });
    expect(await again.nextEvent()).toBeNull();
    const unknown = await fetch(`${base}/checkout/pay_aaaaaaaaaaaaaaaaaaaaaaaa/events`);
    expect(unknown.status).toBe(404);
  });

  it('streams a cancellation, and renders cancelled, expired and failed payments as their own states', async () => {
    const cancelled = await create('CHECKOUT_PAGE');
    const res = await fetch(`${base}/checkout/${cancelled.id}/events`);
    const events = sseReader(res.body as ReadableStream<Uint8Array>);
    expect(await events.nextEvent()).toMatchObject({ data: { status: 'pending' } });
    await stack.service.cancel(partnerId, cancelled.id);
    expect(await events.nextEvent()).toMatchObject({ data: { status: 'cancelled', final: true } });

    const { db } = getDatabase();
    const expired = await create('QRIS');
    await db.transaction((tx) => transition(tx, expired.id, 'expired', { source: 'sweeper' }));
    const overdue = await create('QRIS');
    await db
      .update(payments)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(payments.id, overdue.id));
    const failed = await create('QRIS');
    await db.transaction((tx) => transition(tx, failed.id, 'failed', { source: 'api' }));
    const cases: Array<[PaymentView, string, string]> = [
      [cancelled, 'cancelled', 'true'],
      [expired, 'expired', 'true'],
      [overdue, 'expired', 'false'],
      [failed, 'cancelled', 'true'],
    ];
    for (const [payment, status, final] of cases) {
      const text = (await page(payment.id)).body;
      expect(text).toContain(`data-status="${status}" data-final="${final}"`);
      expect(text).not.toContain('id="qr"');
      expect(text).not.toContain('http-equiv="refresh"');
      const body = (await app.inject({ url: `/checkout/${payment.id}/status` })).json();
      expect(body).toMatchObject({ status, final: final === 'true' });
    }
  });

  it('pays from the sandbox-only simulate endpoint: JSON for the script, 303 for the no-JS form', async () => {
    const payment = await create('CHECKOUT_PAGE');
    const json = await app.inject({
      method: 'POST',
      url: `/checkout/${payment.id}/simulate?lang=en`,
      headers: { accept: 'application/json' },
    });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({
      status: 'paid',
      final: true,
      paid_at_text: expect.stringMatching(/WIB$/),
    });
    const paidPage = (await page(payment.id)).body;
    expect(paidPage).toContain('data-status="paid" data-final="true"');
    expect(paidPage).toContain('data-back-url="https://myapp.com/payment/complete"');
    expect(paidPage).toContain('<a class="button" id="back-link" href="https://myapp.com/payment/complete"');
    expect(paidPage).toContain(
      '<noscript><meta http-equiv="refresh" content="5;url=https://myapp.com/payment/complete"></noscript>',
    );
    expect(paidPage).toMatch(
      /<p class="muted" id="paid-at">Dibayar pada <span id="paid-at-text">[^<]+ WIB<\/span>/,
    );
    // Paying again: a conflict for the script, back to the page for the form.
    const again = await app.inject({
      method: 'POST',
      url: `/checkout/${payment.id}/simulate`,
      headers: { accept: 'application/json' },
    });
    expect(again.statusCode).toBe(409);

    const other = await create('QRIS');
    const form = await app.inject({
      method: 'POST',
      url: `/checkout/${other.id}/simulate?lang=en`,
      headers: { 'content-type': 'text/plain' },
      payload: '',
    });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe(`/checkout/${other.id}?lang=en`);
    expect((await app.inject({ url: `/checkout/${other.id}/status` })).json()).toMatchObject({
      status: 'paid',
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/checkout/pay_aaaaaaaaaaaaaaaaaaaaaaaa/simulate',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('has no simulate endpoint or control, and no sandbox banner, with a real Pakasir', async () => {
    const payment = await create('CHECKOUT_PAGE');
    const res = await live.inject({ method: 'POST', url: `/checkout/${payment.id}/simulate` });
    expect(res.statusCode).toBe(404);
    const text = (await live.inject({ url: `/checkout/${payment.id}` })).body;
    expect(text).toContain('<span id="amount">Rp 150.000</span>');
    expect(text).not.toContain('simulate');
    expect(text).not.toContain('sandbox-banner');
    expect((await live.inject({ url: `/checkout/${payment.id}/status` })).json()).toMatchObject({
      status: 'pending',
    });
  });

  it('never links a back_url that is not http(s)', async () => {
    const payment = await create('CHECKOUT_PAGE');
    const { db } = getDatabase();
    await db.update(payments).set({ backUrl: 'javascript:alert(1)' }).where(eq(payments.id, payment.id));
    await stack.service.simulate(partnerId, payment.id);
    const text = (await page(payment.id)).body;
    expect(text).toContain('data-status="paid"');
    expect(text).not.toContain('javascript:');
    expect(text).not.toContain('id="back-link"');
    expect(text).not.toContain('http-equiv="refresh"');
  });
});
