import { type V1DetailResponse, V2_PATHS, type V2Transaction } from '@quickcart/pakasir';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, call, decodeQrDataUrl, PROJECT, sandbox } from '../test/helpers.js';
import { escapeHtml, formatRupiah, jsonForScript } from './html.js';
import type { SandboxHandle, SandboxTransaction } from './index.js';
import { fromPage } from './page-routes.js';

let running: SandboxHandle | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start() {
  running = await sandbox();
  return running;
}

const attribute = (html: string, id: string, name: string) =>
  new RegExp(`id="${id}"[^>]*?${name}="([^"]*)"`).exec(html)?.[1];
const text = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];

describe('pay pages', () => {
  it('/pay creates the transaction and shows a scannable QRIS, amount, total, countdown and button', async () => {
    const handle = await start();
    const page = await call(`${handle.url}/pay/${PROJECT}/22000?order_id=240910HDE7C9&qris_only=1`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const txn = handle.transaction('240910HDE7C9');
    expect(txn).toMatchObject({
      amount: 22000,
      fee: 464,
      total_payment: 22464,
      api_version: 'v1',
      status: 'pending',
    });
    const src = attribute(page.text, 'qr', 'src') ?? '';
    expect(src).toMatch(/^data:image\/png;base64,/);
    expect(decodeQrDataUrl(src)).toBe(txn?.payment_number);
    expect(text(page.text, 'amount')).toBe('Rp 22.000');
    expect(text(page.text, 'total')).toBe('Rp 22.464');
    expect(page.text).toContain('id="countdown"');
    expect(page.text).toContain('<button id="simulate"');
    expect(text(page.text, 'status')).toContain('pending');
    expect(page.text).not.toContain('id="methods"');
    expect(page.text).not.toMatch(/(src|href)="https?:/); // self-contained
  });

  it('without qris_only shows the method selector, and ?method= switches the method', async () => {
    const handle = await start();
    const page = await call(`${handle.url}/pay/${PROJECT}/50000?order_id=SEL-1`);
    expect(page.text).toContain('id="methods"');
    expect(page.text.match(/data-method="/g)).toHaveLength(11);
    expect(page.text).toMatch(/aria-current="true">QRIS</);
    const va = await call(`${handle.url}/pay/${PROJECT}/50000?order_id=SEL-1&method=bni_va`);
    expect(text(va.text, 'payment-number')).toMatch(/^988\d{13}$/);
    expect(handle.transaction('SEL-1')).toMatchObject({
      payment_method: 'bni_va',
      fee: 3500,
      total_payment: 53500,
    });
    expect((await call(`${handle.url}/pay/${PROJECT}/50000?order_id=SEL-1&method=gopay`)).status).toBe(400);
  });

  it('escapes everything it puts into HTML', async () => {
    const handle = await start();
    const orderId = `<img/src=x/onerror=alert(1)>"'&`;
    const page = await call(`${handle.url}/pay/${PROJECT}/1000?order_id=${encodeURIComponent(orderId)}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<img/src=x');
    expect(page.text).toContain('&lt;img/src=x/onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    expect(jsonForScript({ a: '</script><!--' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--"}');
    expect(formatRupiah(1234567)).toBe('Rp 1.234.567');
  });

  it('answers errors with an HTML page: 404 project, 400 amount/order id/redirect, 409 amount mismatch', async () => {
    const handle = await start();
    const status = async (path: string) => {
      const page = await call(`${handle.url}${path}`);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      return page.status;
    };
    expect(await status('/pay/other/1000?order_id=X-1')).toBe(404);
    expect(await status(`/pay/${PROJECT}/0?order_id=X-1`)).toBe(400);
    expect(await status(`/pay/${PROJECT}/abc?order_id=X-1`)).toBe(400);
    expect(await status(`/pay/${PROJECT}/1000`)).toBe(400);
    expect(await status(`/pay/${PROJECT}/1000?order_id=X-1&redirect=javascript:alert(1)`)).toBe(400);
    expect(await status(`/pay/${PROJECT}/1000?order_id=X-1`)).toBe(200);
    expect(await status(`/pay/${PROJECT}/2000?order_id=X-1`)).toBe(409);
    expect(await status('/pay-v2/txn_nope')).toBe(404);
  });

  it('pays through POST /sandbox/pay, then shows the paid state and the redirect link', async () => {
    const handle = await start();
    const redirect = 'https://app.depodomain.com/invoices?x=1&y=2';
    const path = `/pay/${PROJECT}/22000?order_id=PAY-1&redirect=${encodeURIComponent(redirect)}`;
    const before = await call(`${handle.url}${path}`);
    expect(before.text).toMatch(
      /<a id="redirect" href="https:\/\/app\.depodomain\.com\/invoices\?x=1&amp;y=2" hidden>/,
    );
    const paid = await call<{ transaction: SandboxTransaction }>(`${handle.url}/sandbox/pay/PAY-1`, {
      body: { method: 'qris' },
    });
    expect(paid.json.transaction).toMatchObject({ status: 'completed', payment_method: 'qris' });
    expect((await call(`${handle.url}/sandbox/pay/PAY-1`, { method: 'POST' })).status).toBe(409);
    expect((await call(`${handle.url}/sandbox/pay/NOPE`, { method: 'POST' })).status).toBe(404);
    const after = await call(`${handle.url}${path}`);
    expect(text(after.text, 'status')).toContain('completed');
    expect(after.text).not.toContain('id="simulate"');
    expect(after.text).toMatch(/<a id="redirect" href="[^"]+">/);
    const listed = await call<{ transactions: SandboxTransaction[] }>(`${handle.url}/sandbox/transactions`);
    expect(listed.json.transactions.map((t) => t.order_id)).toEqual(['PAY-1']);
  });

  it('/paypal creates a PayPal transaction', async () => {
    const handle = await start();
    const page = await call(`${handle.url}/paypal/${PROJECT}/22000?order_id=PP-1`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('PayPal');
    expect(handle.transaction('PP-1')).toMatchObject({
      payment_method: 'paypal',
      fee: 0,
      total_payment: 22000,
    });
    handle.pay('PP-1');
    const detail = await call<V1DetailResponse>(
      `${handle.url}/api/transactiondetail?project=${PROJECT}&amount=22000&order_id=PP-1&api_key=${API_KEY}`,
    );
    expect(detail.json.transaction).toMatchObject({ status: 'completed', payment_method: 'paypal' });
  });

  it('/pay-v2 shows a v2 transaction; a payment_link lets the payer pick the method', async () => {
    const handle = await start();
    const created = await call<V2Transaction>(`${handle.url}${V2_PATHS.create(PROJECT, 'LINK-1')}`, {
      body: { method: 'payment_link', amount: 30000 },
      headers: { 'X-Api-Key': API_KEY },
    });
    const page = await call(created.json.payment_link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="methods"');
    expect(decodeQrDataUrl(attribute(page.text, 'qr', 'src') ?? '')).toContain('540830520.00');
    const retail = await call(`${created.json.payment_link}?method=retail`);
    expect(text(retail.text, 'payment-number')).toMatch(/^PKS/);
    handle.pay('LINK-1');
    expect(handle.transaction('LINK-1')).toMatchObject({
      payment_method: 'retail',
      status: 'completed',
      fee: 5000,
    });
    const fixed = await call<V2Transaction>(`${handle.url}${V2_PATHS.create(PROJECT, 'FIXED-1')}`, {
      body: { method: 'qris', amount: 30000 },
      headers: { 'X-Api-Key': API_KEY },
    });
    expect((await call(fixed.json.payment_link)).text).not.toContain('id="methods"');
  });
});

describe('fromPage', () => {
  it('makes sandbox paths relative to the page, so they survive a prefix', () => {
    expect(fromPage('/pay/shop/25000', '/sandbox/pay/A%2FB')).toBe('../../sandbox/pay/A%2FB');
    expect(fromPage('/pay-v2/txn_1', '/sandbox/transactions/X')).toBe('../sandbox/transactions/X');
    for (const page of ['/pay/shop/25000', '/pay-v2/txn_1']) {
      const prefixed = new URL(`/sandbox/pakasir${page}`, 'http://127.0.0.1:3000');
      expect(new URL(fromPage(page, '/sandbox/pay/X'), prefixed).pathname).toBe(
        '/sandbox/pakasir/sandbox/pay/X',
      );
      const bare = new URL(page, 'http://127.0.0.1:3000');
      expect(new URL(fromPage(page, '/sandbox/pay/X'), bare).pathname).toBe('/sandbox/pay/X');
    }
  });
});
