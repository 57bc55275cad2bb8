// The embedded sandbox on the service's own port, under /sandbox/pakasir/ (sandbox mode only):
// its pay pages and its API, through `quickcart start`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessServer, startInProcess } from './running-server.js';

const PROJECT = 'proxy-shop';
const API_KEY = 'sandbox-key-for-tests';

describe('the embedded sandbox under /sandbox/pakasir/', () => {
  let running: InProcessServer;
  beforeAll(async () => {
    running = await startInProcess({ PAKASIR_PROJECT_SLUG: PROJECT }, { sandboxApiKey: API_KEY });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('is named in the banner', () => {
    expect(running.banner).toContain(`embedded Pakasir sandbox at ${running.url}/sandbox/pakasir/`);
  });

  it('serves the pay page, whose own script calls work on this port too', async () => {
    const page = await fetch(
      `${running.url}/sandbox/pakasir/pay/${PROJECT}/25000?order_id=PROXY-1&qris_only=1`,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('x-request-id')).toBeTruthy();
    const html = await page.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('PROXY-1');
    expect(html).toContain('data:image/png;base64,'); // the QR

    // The page's "Simulate payment" button and its status poll, resolved as the browser does.
    const pageUrl = `${running.url}/sandbox/pakasir/pay/${PROJECT}/25000?order_id=PROXY-1&qris_only=1`;
    const data = JSON.parse(
      /<script id="pay-data" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}',
    );
    const before = await fetch(new URL(data.statusUrl, pageUrl));
    expect(await before.json()).toMatchObject({ transaction: { order_id: 'PROXY-1', status: 'pending' } });
    const paid = await fetch(new URL(data.payUrl, pageUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'qris' }),
    });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ transaction: { order_id: 'PROXY-1', status: 'completed' } });
  });

  it("keeps the pay page's method links under the prefix", async () => {
    const pageUrl = `${running.url}/sandbox/pakasir/pay/${PROJECT}/26000?order_id=PROXY-3`;
    const html = await (await fetch(pageUrl)).text();
    const links = [...html.matchAll(/<a href="([^"]+)" data-method="([^"]+)"/g)];
    expect(links.length).toBeGreaterThan(2);
    const [, href, method] = links.find(([, , m]) => m !== 'qris') ?? [];
    const target = new URL((href ?? '').replaceAll('&amp;', '&'), pageUrl);
    expect(target.pathname).toBe(`/sandbox/pakasir/pay/${PROJECT}/26000`);
    const switched = await fetch(target);
    expect(switched.status).toBe(200);
    expect(await switched.text()).toContain(`data-method="${method}" aria-current="true"`);
  });

  it('answers the v1 API: create with a JSON body, then transactiondetail', async () => {
    const created = await fetch(`${running.url}/sandbox/pakasir/api/transactioncreate/qris`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ project: PROJECT, order_id: 'PROXY-2', amount: 30000, api_key: API_KEY }),
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({
      payment: { order_id: 'PROXY-2', amount: 30000, payment_number: expect.stringMatching(/^000201/) },
    });

    const query = new URLSearchParams({
      project: PROJECT,
      amount: '30000',
      order_id: 'PROXY-2',
      api_key: API_KEY,
    });
    const detail = await fetch(`${running.url}/sandbox/pakasir/api/transactiondetail?${query}`);
    expect(detail.status).toBe(200);
    expect(await detail.json()).toEqual({
      transaction: {
        amount: 30000,
        order_id: 'PROXY-2',
        project: PROJECT,
        status: 'pending',
        payment_method: 'qris',
        completed_at: null,
      },
    });
    const head = await fetch(`${running.url}/sandbox/pakasir/api/transactiondetail?${query}`, {
      method: 'HEAD',
    });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    const wrongKey = await fetch(
      `${running.url}/sandbox/pakasir/api/transactiondetail?${new URLSearchParams({ project: PROJECT, amount: '30000', order_id: 'PROXY-2', api_key: 'nope' })}`,
    );
    expect(wrongKey.status).toBeGreaterThanOrEqual(400); // the sandbox's own answer, status kept
    expect(await wrongKey.json()).toEqual({ error: expect.any(String) });
  });

  it("keeps the sandbox's status and body for unknown paths", async () => {
    const answer = await fetch(`${running.url}/sandbox/pakasir/no/such/path`);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: expect.stringContaining('not found') });
    const root = await fetch(`${running.url}/sandbox/pakasir/`);
    expect(await root.json()).toMatchObject({ name: 'pakasir-sandbox', project: PROJECT });
  });
});

describe('live mode', () => {
  it('has no /sandbox/pakasir/ routes', async () => {
    // Live mode needs a reachable Pakasir only for payments; /sandbox/pakasir is simply not there.
    const running = await startInProcess({
      PAKASIR_API_KEY: 'live-key',
      PAKASIR_PROJECT_SLUG: PROJECT,
      PAKASIR_BASE_URL: 'http://127.0.0.1:9',
    });
    try {
      const answer = await fetch(`${running.url}/sandbox/pakasir/`);
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({ code: 'NOT_FOUND' });
      expect(running.banner).toContain('payments: Pakasir (PAKASIR_API_KEY set)');
    } finally {
      await running.close();
    }
  });
});
