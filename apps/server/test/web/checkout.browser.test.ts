// The hosted checkout page in a real browser (Debian's Chromium, headless, playwright-core) against
// a whole QuickCart server on 127.0.0.1 (PGlite, embedded sandbox): rendering, the QR read back
// with jsQR, live status over SSE and by polling, the redirect to back_url, expired and cancelled
// states, no-JS, languages, 404, and the CSP holding with no violation.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import jsQRModule from 'jsqr';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { payments } from '../../src/db/schema.js';
import { createLicense } from '../../src/payments/licenses.js';
import { createPartner } from '../../src/payments/partners.js';
import { transition } from '../../src/payments/state.js';
import { CHECKOUT_CSP } from '../../src/web/routes.js';
import { callApi, startTestServer, type TestServer } from '../servers.js';
import { CHROMIUM, CHROMIUM_ARGS, MOBILE, SCREENSHOTS, seedCheckoutBody } from './helpers.js';

const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ??
  jsQRModule) as unknown as typeof jsQRModule.default;

let running: TestServer;
let browser: Browser;
/** The partner's shop (back_url): answered by the browser itself, so the SSRF guard sees a public host. */
const SHOP = 'https://shop.example';
const BACK_URL = `${SHOP}/done?order=1`;
let owner: { apiKey: string; licenseKey: string; secrets: string[] };
/** Browser-side errors of every page (console errors, exceptions, CSP violations); empty after each test. */
let errors: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // Fail, never skip: a missing browser must not pass as green.
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const launching = chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: 15_000,
  });
  running = await startTestServer();
  browser = await launching;
  const db = running.server.database.db;
  const partner = await createPartner(db, { name: 'Warung Sari <Laundry> & Co' });
  const license = await createLicense(db, { partnerId: partner.partner.id, tokens: 100 });
  owner = {
    apiKey: partner.apiKey,
    licenseKey: license.key,
    secrets: [partner.apiKey, license.key, partner.webhookSecret, partner.partner.id],
  };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  const seen = errors;
  errors = [];
  expect(seen).toEqual([]);
});

/** A page in a new browser context (mobile by default), with its errors collected. */
async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ ...MOBILE, ...options });
  contexts.push(context);
  await context.route(`${SHOP}/**`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><title>Shop</title><h1 id="shop">Back at the shop</h1>',
    }),
  );
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  if (options.javaScriptEnabled !== false) {
    await page.addInitScript(
      "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))",
    );
  }
  return page;
}

/** Creates a payment through the partner API: seed 004's checkout page by default. */
async function createPayment(overrides: Record<string, unknown> = {}) {
  const res = await callApi<{ payment_id: string; qris: { qr_content: string } | null }>(
    `${running.url}/v1/partner/payments`,
    owner.apiKey,
    { body: seedCheckoutBody(owner.licenseKey, { back_url: BACK_URL, ...overrides }) },
  );
  expect(res.status).toBe(201);
  const [row] = await running.server.database.db
    .select({ qrContent: payments.qrContent })
    .from(payments)
    .where(eq(payments.id, res.body.payment_id));
  return { id: res.body.payment_id, qrContent: row?.qrContent ?? '', qris: res.body.qris };
}

/** Pays through the partner API's sandbox simulate (the real webhook path). */
async function payByApi(id: string) {
  const res = await callApi(`${running.url}/v1/payments/${id}/simulate`, owner.apiKey, { body: {} });
  expect(res.status).toBe(200);
}

/** Opens the page and resolves once its event stream is connected (its answer's headers arrived). */
async function gotoLive(page: Page, url: string): Promise<void> {
  const stream = page.waitForResponse((response) => response.url().includes('/events'));
  await page.goto(url);
  expect((await stream).status()).toBe(200);
}

const statusOf = (page: Page) => page.evaluate<string | undefined>('document.body.dataset.status');
/** What the predicates below read in the page (this tsconfig has no DOM lib). */
type InPage = {
  document: {
    body: { dataset: Record<string, string | undefined> };
  };
};

// Predicates are self-contained functions (they run in the page), never strings: Playwright polls
// string predicates with eval, which the page's CSP refuses (no 'unsafe-eval'), as it should.
const waitForStatus = (page: Page, status: string, timeout = 5000) =>
  page.waitForFunction(
    (wanted) => (globalThis as unknown as InPage).document.body.dataset.status === wanted,
    status,
    { timeout },
  );

/** The QR code in the page's <img id="qr">, as a phone camera would read it. */
async function decodeQr(page: Page): Promise<string | undefined> {
  const image = PNG.sync.read(await page.locator('#qr').screenshot());
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/** Saves what the phone shows (390x844 CSS pixels) under test-results/, for a person to look at. */
async function expectPhoneScreenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOTS, name);
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path });
  const image = PNG.sync.read(await readFile(path));
  const scale = MOBILE.deviceScaleFactor ?? 1;
  expect([image.width / scale, image.height / scale]).toEqual([390, 844]);
}

describe('checkout page in Chromium', () => {
  it("renders seed 004's checkout page on a phone: merchant, items, amount, countdown, a QR that decodes", async () => {
    const payment = await createPayment();
    const page = await openPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const response = await page.goto(`${running.url}/checkout/${payment.id}`);
    expect(response?.status()).toBe(200);
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toBe(CHECKOUT_CSP);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');

    expect(await page.locator('#merchant').textContent()).toBe('Warung Sari <Laundry> & Co');
    expect(await page.locator('#amount').textContent()).toBe('Rp 150.000');
    expect(await page.locator('#description').textContent()).toBe('Invoice #12345');
    const rows = page.locator('#items tbody tr.item');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).locator('.item-name').textContent()).toBe('Extra Parfum');
    expect(await rows.nth(1).locator('.item-qty').textContent()).toBe('2');
    expect(await rows.nth(1).locator('.item-price').textContent()).toBe('Rp 25.000');
    expect(await rows.nth(1).locator('.item-total').textContent()).toBe('Rp 50.000');
    expect(await page.locator('#items-total').textContent()).toBe('Rp 150.000');
    expect(await page.locator('#state-pending').isVisible()).toBe(true);
    expect(await page.locator('#state-paid').isVisible()).toBe(false);
    expect(await page.locator('#download-qr').getAttribute('href')).toBe(`/qr/${payment.id}.png?size=1024`);

    // The script runs under the CSP: the countdown ticks.
    const first = await page.locator('#countdown').textContent();
    expect(first).toMatch(/^(01:00:00|59:\d\d)$/);
    await expect.poll(() => page.locator('#countdown').textContent()).not.toBe(first);

    await page.locator('#qr').waitFor({ state: 'visible' });
    expect(
      await page
        .locator('#qr')
        .evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth),
    ).toBe(512);
    expect(await decodeQr(page)).toBe(payment.qrContent);
    expect(payment.qrContent).toMatch(/^000201/);

    // "Download QR" saves the same QR, bigger.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#download-qr').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`qris-${payment.id}.png`);
    const saved = PNG.sync.read(await readFile(await download.path()));
    expect(saved.width).toBe(1024);
    expect(jsQR(new Uint8ClampedArray(saved.data), saved.width, saved.height)?.data).toBe(payment.qrContent);

    await page.locator('#copy-amount').click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('150000');
    expect(await page.locator('#copy-amount').textContent()).toBe('Tersalin');

    const html = await page.content();
    for (const secret of [...owner.secrets, 'jane@example.com', '081234567890', 'Jane Doe']) {
      expect(html).not.toContain(secret);
    }
    await expectPhoneScreenshot(page, 'checkout-pending.png');
  });

  it('renders a QRIS payment, whose QR decodes to the qr_content the API returned', async () => {
    const payment = await createPayment({ payment_type: 'QRIS', amount: 50_000, items: undefined });
    const page = await openPage();
    await page.goto(`${running.url}/checkout/${payment.id}`);
    expect(await page.locator('#amount').textContent()).toBe('Rp 50.000');
    expect(await page.locator('#items').count()).toBe(0);
    await page.locator('#qr').waitFor({ state: 'visible' });
    expect(await decodeQr(page)).toBe(payment.qris?.qr_content);
  });

  it('flips to paid live (SSE, no reload) within a second, then goes back to back_url after 5 s', async () => {
    const payment = await createPayment();
    const page = await openPage();
    await gotoLive(page, `${running.url}/checkout/${payment.id}`);
    await page.evaluate('window.sameDocument = true');

    const started = performance.now();
    await payByApi(payment.id); // answers once the webhook has marked it paid
    const recorded = performance.now();
    await waitForStatus(page, 'paid', 1000);
    const flipped = performance.now();
    expect(flipped - recorded).toBeLessThan(1000);
    expect(flipped - started).toBeLessThan(3000);
    expect(await page.evaluate('window.sameDocument')).toBe(true); // the same document: no reload
    expect(await page.locator('#state-paid h2').textContent()).toBe('Pembayaran berhasil');
    expect(await page.locator('#paid-at-text').textContent()).toMatch(
      /^\d{1,2} \w{3} \d{4}, \d\d\.\d\d WIB$/,
    );
    expect(await page.locator('#state-pending').isVisible()).toBe(false);
    expect(await page.locator('#status-pill [data-when="paid"]').isVisible()).toBe(true);
    expect(await page.locator('#status-pill [data-when="pending"]').isVisible()).toBe(false);
    expect(await page.locator('#copy-amount').isVisible()).toBe(false);
    await expectPhoneScreenshot(page, 'checkout-paid.png');

    await page.waitForURL(BACK_URL, { timeout: 8000 });
    const redirected = performance.now() - flipped;
    expect(redirected).toBeGreaterThan(4500);
    expect(redirected).toBeLessThan(6500);
    expect(await page.locator('#shop').textContent()).toBe('Back at the shop');
  });

  it('pays with the sandbox "Simulate payment" control, without a reload', async () => {
    const payment = await createPayment({ back_url: undefined });
    const page = await openPage({ locale: 'en-US' });
    await page.goto(`${running.url}/checkout/${payment.id}`);
    await page.evaluate('window.sameDocument = true');
    expect(await page.locator('#sandbox-banner').isVisible()).toBe(true);
    await page.locator('#simulate').click();
    await waitForStatus(page, 'paid');
    expect(await page.evaluate('window.sameDocument')).toBe(true); // the same document: no reload
    expect(await page.locator('#state-paid h2').textContent()).toBe('Payment successful');
    expect(await page.locator('#simulate').isVisible()).toBe(false);
    expect(await page.locator('#back-link').count()).toBe(0);
  });

  it('shows cancelled and expired live, and expires by itself when the countdown ends', async () => {
    const [cancelled, expired, soon] = await Promise.all([createPayment(), createPayment(), createPayment()]);
    const db = running.server.database.db;
    await db
      .update(payments)
      .set({ expiresAt: new Date(Date.now() + 3000) })
      .where(eq(payments.id, soon.id));
    const c = await openPage();
    await c.goto(`${running.url}/checkout/${soon.id}`);
    expect(await statusOf(c)).toBe('pending');
    const [a, b] = (await Promise.all([openPage(), openPage()])) as [Page, Page];
    await Promise.all([
      gotoLive(a, `${running.url}/checkout/${cancelled.id}`),
      gotoLive(b, `${running.url}/checkout/${expired.id}?lang=en`),
    ]);
    const cancel = await callApi(`${running.url}/v1/payments/${cancelled.id}/cancel`, owner.apiKey, {
      body: {},
    });
    expect(cancel.status).toBe(200);
    await waitForStatus(a, 'cancelled', 1000);
    expect(await a.locator('#state-cancelled h2').textContent()).toBe('Pembayaran dibatalkan');

    await db.transaction((tx) => transition(tx, expired.id, 'expired', { source: 'sweeper' }));
    await waitForStatus(b, 'expired', 1000);
    expect(await b.locator('#state-expired h2').textContent()).toBe('Payment time is up');

    await waitForStatus(c, 'expired', 5000);
    expect(await c.locator('#countdown').textContent()).toBe('00:00');
    expect(await c.locator('#state-expired').isVisible()).toBe(true);
    expect(await c.locator('#qr').isVisible()).toBe(false);
  });

  it('falls back to polling when EventSource is unavailable', async () => {
    const payment = await createPayment({ back_url: undefined });
    const page = await openPage();
    await page.addInitScript("Object.defineProperty(window, 'EventSource', { value: undefined })");
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const polled = page.waitForResponse((response) => response.url().includes('/status'));
    await page.goto(`${running.url}/checkout/${payment.id}`);
    expect((await polled).status()).toBe(200);
    await payByApi(payment.id);
    await waitForStatus(page, 'paid', 4000);
    expect(requested).toContain(`/checkout/${payment.id}/status`);
    expect(requested).not.toContain(`/checkout/${payment.id}/events`);
  });

  it('works without JavaScript: meta refresh to the paid state, the simulate form, then back_url after 5 s', async () => {
    const [payment, other] = await Promise.all([createPayment(), createPayment()]);
    const page = await openPage({ javaScriptEnabled: false });
    const second = await page.context().newPage();
    await Promise.all([
      page.goto(`${running.url}/checkout/${payment.id}`),
      second.goto(`${running.url}/checkout/${other.id}`),
    ]);
    expect(await page.locator('#amount').textContent()).toBe('Rp 150.000');
    expect(await page.locator('#qr').isVisible()).toBe(true);
    expect(await page.locator('#copy-amount').isVisible()).toBe(false);
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe('5');
    // Both paths at once: the API pays the first page (its refresh shows it), the form pays the second.
    await Promise.all([
      (async () => {
        await payByApi(payment.id);
        await page.locator('#state-paid').waitFor({ state: 'visible', timeout: 8000 });
        expect(await statusOf(page)).toBe('paid');
      })(),
      (async () => {
        await second.locator('#simulate').click();
        await second.locator('#state-paid').waitFor({ state: 'visible', timeout: 8000 });
        expect(new URL(second.url()).pathname).toBe(`/checkout/${other.id}`);
        const paidAt = performance.now();
        expect(await second.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe(
          `5;url=${BACK_URL}`,
        );
        await second.waitForURL(BACK_URL, { timeout: 8000 });
        expect(performance.now() - paidAt).toBeGreaterThan(4000);
      })(),
    ]);
  });

  it('speaks English from Accept-Language and ?lang=en, and switches back to Indonesian', async () => {
    const payment = await createPayment();
    const english = await openPage({ locale: 'en-US' });
    await english.goto(`${running.url}/checkout/${payment.id}`);
    expect(await english.locator('html').getAttribute('lang')).toBe('en');
    expect(await english.locator('#amount').textContent()).toBe('Rp 150,000');
    await english.locator('#lang-switch').click();
    await english.waitForURL(/\?lang=id$/);
    expect(await english.locator('.amount .eyebrow').textContent()).toBe('Total pembayaran');

    const page = await openPage();
    await page.goto(`${running.url}/checkout/${payment.id}?lang=en`);
    expect(await page.locator('#state-pending .help').textContent()).toContain('Open your e-wallet');
  });

  it('shows a friendly 404 page for an unknown payment', async () => {
    const page = await openPage();
    const response = await page.goto(`${running.url}/checkout/pay_aaaaaaaaaaaaaaaaaaaaaaaa`);
    expect(response?.status()).toBe(404);
    expect(response?.headers()['content-security-policy']).toBe(CHECKOUT_CSP);
    expect(await page.locator('#not-found h1').textContent()).toBe('Pembayaran tidak ditemukan');
    // The browser enforces the CSP: an injected inline script does not run, and is reported.
    await page.evaluate(
      "const s = document.createElement('script'); s.textContent = 'window.pwned = 1'; document.body.append(s)",
    );
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    await expect
      .poll(() => errors.some((line) => line.includes('CSP violation: script-src-elem inline')))
      .toBe(true);
    // Chromium reports the 404 document and the refused script; nothing else may fail.
    errors = errors.filter((line) => !line.includes('status of 404') && !line.includes('script-src'));
  });
});
