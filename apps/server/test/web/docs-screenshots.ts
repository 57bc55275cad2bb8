// The README's pictures of the checkout page: docs/checkout-pending.png and docs/checkout-paid.png,
// a phone (390x844 at device scale 2) showing seed 004's checkout payment before and after it is
// paid. Not a test (npm test does not run it); run it by hand after changing the page:
//   npm run build && npx tsx apps/server/test/web/docs-screenshots.ts
// It starts a whole server (PGlite, embedded sandbox) on 127.0.0.1 with the test helpers, and
// Debian's Chromium.
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { createLicense } from '../../src/payments/licenses.js';
import { createPartner } from '../../src/payments/partners.js';
import { callApi, startTestServer } from '../servers.js';
import { CHROMIUM, CHROMIUM_ARGS, MOBILE, seedCheckoutBody } from './helpers.js';

const DOCS = fileURLToPath(new URL('../../../../docs/', import.meta.url));
/** Bigger than this and the README gets heavy: the script fails instead. */
const MAX_BYTES = 300 * 1024;

async function shoot(page: Page, name: string): Promise<void> {
  const path = `${DOCS}${name}`;
  await page.screenshot({ path });
  const { size } = await stat(path);
  if (size > MAX_BYTES) throw new Error(`${path} is ${size} bytes, over ${MAX_BYTES}`);
  console.log(`wrote ${path} (${Math.round(size / 1024)} KB)`);
}

if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
await mkdir(DOCS, { recursive: true });
const running = await startTestServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
try {
  const db = running.server.database.db;
  const { partner, apiKey } = await createPartner(db, { name: 'Warung Sari Laundry' });
  const { key } = await createLicense(db, { partnerId: partner.id, tokens: 10 });
  const created = await callApi<{ payment_id: string }>(`${running.url}/v1/partner/payments`, apiKey, {
    body: seedCheckoutBody(key, { transaction_id: 'TRX-2026-002' }),
  });
  if (created.status !== 201) throw new Error(`create answered ${created.status}`);
  const id = created.body.payment_id;

  const context = await browser.newContext(MOBILE);
  const page = await context.newPage();
  await page.goto(`${running.url}/checkout/${id}`);
  await page.locator('#qr').waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const qr = (
      globalThis as unknown as { document: { getElementById(id: string): unknown } }
    ).document.getElementById('qr') as { complete: boolean; naturalWidth: number } | null;
    return qr?.complete === true && qr.naturalWidth > 0;
  });
  await shoot(page, 'checkout-pending.png');

  const paid = await callApi(`${running.url}/v1/payments/${id}/simulate`, apiKey, { body: {} });
  if (paid.status !== 200) throw new Error(`simulate answered ${paid.status}`);
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { document: { body: { dataset: { status?: string } } } }).document.body
        .dataset.status === 'paid',
    undefined,
    { timeout: 5000 },
  );
  await shoot(page, 'checkout-paid.png'); // before the redirect to back_url, 5 s later
  await context.close();
} finally {
  await browser.close();
  await running.close();
}
