import { createHmac } from 'node:crypto';
import { parseWebhook } from '@quickcart/pakasir';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, call, PROJECT, receiver, SECRET, sandbox } from '../test/helpers.js';
import type { SandboxHandle } from './index.js';

let running: SandboxHandle | undefined;
let hooks: Awaited<ReturnType<typeof receiver>> | undefined;
afterEach(async () => {
  await running?.close();
  await hooks?.close();
  running = undefined;
  hooks = undefined;
});

async function setUp(respond?: Parameters<typeof receiver>[0], options: Parameters<typeof sandbox>[0] = {}) {
  hooks = await receiver(respond);
  running = await sandbox({ webhookUrl: hooks.url, webhookSecret: SECRET, ...options });
  return { handle: running, hooks };
}

async function createAndPay(handle: SandboxHandle, orderId: string, amount = 22000) {
  const body = { project: PROJECT, order_id: orderId, amount, api_key: API_KEY };
  await call(`${handle.url}/api/transactioncreate/qris`, { body });
  expect((await call(`${handle.url}/api/paymentsimulation`, { body })).status).toBe(200);
}

describe('webhooks', () => {
  it('signs v1 webhooks with the hex HMAC-SHA256 of the raw body, which the client accepts', async () => {
    const { handle, hooks } = await setUp();
    await createAndPay(handle, 'SIG-1');
    await hooks.next(1);
    const [hook] = hooks.requests;
    if (!hook) throw new Error('no webhook');
    expect(hook.method).toBe('POST');
    expect(hook.url).toBe('/webhooks/pakasir');
    expect(hook.headers['content-type']).toBe('application/json');
    const expected = createHmac('sha256', SECRET).update(hook.body).digest('hex');
    expect(hook.headers['x-pakasir-signature']).toBe(expected);
    const event = await parseWebhook(hook.body, hook.headers, { secret: SECRET });
    expect(event).toMatchObject({ version: 'v1', orderId: 'SIG-1', amount: 22000, status: 'completed' });
    await expect(parseWebhook(hook.body, hook.headers, { secret: 'other' })).rejects.toThrow(/signature/);
  });

  it('sends no signature without a secret, and nothing at all without a webhook URL', async () => {
    hooks = await receiver();
    running = await sandbox({ webhookUrl: hooks.url });
    await createAndPay(running, 'NOSIG-1');
    await hooks.next(1);
    expect(hooks.requests[0]?.headers['x-pakasir-signature']).toBeUndefined();
    const silent = await sandbox();
    try {
      await createAndPay(silent, 'SILENT-1');
      await silent.webhooks.idle();
      expect(silent.webhooks.log()).toEqual([]);
    } finally {
      await silent.close();
    }
  });

  it('retries on 500 from the receiver with exponential backoff, and logs every attempt', async () => {
    const { handle, hooks } = await setUp((_request, index) => (index < 2 ? 500 : 204));
    const started = performance.now();
    await createAndPay(handle, 'RETRY-1');
    await handle.webhooks.idle();
    expect(performance.now() - started).toBeGreaterThanOrEqual(30); // 10 ms + 20 ms
    expect(hooks.requests).toHaveLength(3);
    expect(new Set(hooks.requests.map((r) => r.body)).size).toBe(1);
    const [delivery] = handle.webhooks.log();
    expect(delivery).toMatchObject({ state: 'delivered', version: 'v1', orderId: 'RETRY-1', copy: 1 });
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
  });

  it('gives up after 3 retries (4 attempts) and on network errors too', async () => {
    const { handle, hooks } = await setUp(() => 503);
    await createAndPay(handle, 'FAIL-1');
    await handle.webhooks.idle();
    expect(hooks.requests).toHaveLength(4);
    expect(handle.webhooks.log()[0]).toMatchObject({ state: 'failed' });
    // A receiver that is gone: connection refused on every attempt.
    const gone = await receiver();
    const goneUrl = gone.url;
    await gone.close();
    const unreachable = await sandbox({ webhookUrl: goneUrl, webhookRetries: 2, webhookBaseDelayMs: 1 });
    try {
      await createAndPay(unreachable, 'FAIL-2');
      await unreachable.webhooks.idle();
      const [delivery] = unreachable.webhooks.log();
      expect(delivery?.state).toBe('failed');
      expect(delivery?.attempts).toHaveLength(3);
      expect(delivery?.attempts[0]?.error).toMatch(/ECONNREFUSED/);
    } finally {
      await unreachable.close();
    }
  });

  it('close() abandons pending retries at once', async () => {
    const { handle } = await setUp(() => 500, { webhookBaseDelayMs: 60_000 });
    await createAndPay(handle, 'CLOSE-1');
    while (handle.webhooks.log()[0]?.attempts.length !== 1) await new Promise((r) => setTimeout(r, 5));
    const started = performance.now();
    await handle.close();
    await handle.webhooks.idle();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(handle.webhooks.log()[0]?.state).toBe('abandoned');
  });

  it('is listed at GET /sandbox/webhooks', async () => {
    const { handle, hooks } = await setUp();
    await createAndPay(handle, 'LIST-1');
    await hooks.next(1);
    await handle.webhooks.idle();
    const listed = await call<{ deliveries: { orderId: string; state: string; body: string }[] }>(
      `${handle.url}/sandbox/webhooks`,
    );
    expect(listed.json.deliveries).toMatchObject([{ orderId: 'LIST-1', state: 'delivered' }]);
    expect(listed.json.deliveries[0]?.body).toBe(hooks.requests[0]?.body);
  });
});
