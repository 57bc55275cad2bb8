// The pay page in a real browser: Debian's Chromium, headless, driven by playwright-core.
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import jsQRModule from 'jsqr';
import { type Browser, chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../src/index.js';
import { PROJECT, receiver, SECRET, sandbox } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ??
  jsQRModule) as unknown as typeof jsQRModule.default;

let browser: Browser | undefined;
let running: SandboxHandle | undefined;
let hooks: Awaited<ReturnType<typeof receiver>> | undefined;

beforeAll(async () => {
  hooks = await receiver();
  running = await sandbox({ webhookUrl: hooks.url, webhookSecret: SECRET });
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await hooks?.close();
});

describe('pay page in Chromium', () => {
  it('shows the QRIS and the amount, pays with #simulate, and sends the signed v1 webhook', async () => {
    // Fail, never skip: a missing browser must not pass as green.
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: install it with "apt-get install -y chromium"`,
    ).toBe(true);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
      timeout: 15_000,
    });
    if (!running || !hooks) throw new Error('setup failed');
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const response = await page.goto(`${running.url}/pay/${PROJECT}/22000?order_id=BROWSER-1&qris_only=1`);
    expect(response?.status()).toBe(200);

    // The QR as the browser drew it, read back with jsQR: the transaction's dynamic QRIS.
    const qr = page.locator('#qr');
    await qr.waitFor({ state: 'visible' });
    const loaded = await qr.evaluate(
      (img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0,
    );
    expect(loaded).toBe(true);
    const image = PNG.sync.read(await qr.screenshot());
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    const txn = running.transaction('BROWSER-1');
    expect(decoded?.data).toBe(txn?.payment_number);
    expect(txn?.payment_number).toContain('540822464.00');

    expect(await page.locator('#amount').textContent()).toBe('Rp 22.000');
    expect(await page.locator('#total').textContent()).toBe('Rp 22.464');
    expect(await page.locator('#countdown').textContent()).toMatch(/^00:59:\d\d$/);
    expect(await page.locator('#methods').count()).toBe(0);
    expect(await page.locator('#status').textContent()).toContain('pending');

    await page.locator('#simulate').click();
    await page.waitForFunction(
      "document.getElementById('status').textContent.includes('completed')",
      undefined,
      {
        timeout: 5000,
      },
    );
    expect(await page.locator('#status').textContent()).toMatch(/completed.*paid/);
    expect(await page.locator('#simulate').isVisible()).toBe(false);
    expect(await page.locator('#countdown').textContent()).toBe('-');

    await hooks.next(1);
    const [hook] = hooks.requests;
    if (!hook) throw new Error('no webhook');
    expect(hook.headers['x-pakasir-signature']).toBe(
      createHmac('sha256', SECRET).update(hook.body).digest('hex'),
    );
    expect(JSON.parse(hook.body)).toMatchObject({
      amount: 22000,
      order_id: 'BROWSER-1',
      project: PROJECT,
      status: 'completed',
      payment_method: 'qris',
    });
    expect(errors).toEqual([]);
    await page.close();
  });
});
