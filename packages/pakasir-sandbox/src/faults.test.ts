import type { ErrorResponse, V1CreateResponse } from '@quickcart/pakasir';
import { describe, expect, it } from 'vitest';
import { call, credentials, PROJECT, receiver, sandbox, sandboxPerTest } from '../test/helpers.js';
import { FaultController, parseFaultHeader } from './faults.js';
import type { SandboxHandle } from './index.js';
import { mulberry32 } from './random.js';

const start = sandboxPerTest();

const createUrl = (url: string) => `${url}/api/transactioncreate/qris`;

describe('fault model', () => {
  it('parses X-Sandbox-Fault and refuses what it does not know', () => {
    expect(parseFaultHeader('latency=200, status=503, webhook-duplicate, webhook-delay=50')).toEqual({
      latencyMs: 200,
      action: 503,
      webhook: { duplicate: true, delayMs: 50 },
    });
    expect(parseFaultHeader('reset').action).toBe('reset');
    expect(() => parseFaultHeader('status=404')).toThrow(/500, 502 or 503/);
    expect(() => parseFaultHeader('latency')).toThrow(/whole number/);
    expect(() => parseFaultHeader('hang=1')).toThrow(/takes no value/);
    expect(() => parseFaultHeader('explode')).toThrow(/unknown fault "explode"/);
  });

  it('counts faults down, one per request, in the documented order', () => {
    const faults = new FaultController({ resets: 1, hangs: 1, errors: [502, 500] }, mulberry32(1));
    const actions = Array.from({ length: 5 }, () => faults.planRequest(undefined).action);
    expect(actions).toEqual(['reset', 'hang', 502, 500, 'answer']);
    expect(faults.current()).toMatchObject({ resets: 0, hangs: 0, errors: [] });
  });

  it('is deterministic for a seed (jitter, errorRate)', () => {
    const run = (seed: number) => {
      const faults = new FaultController({ jitterMs: 100, errorRate: 0.5 }, mulberry32(seed));
      return Array.from({ length: 20 }, () => {
        const plan = faults.planRequest(undefined);
        return `${plan.latencyMs}/${plan.action}`;
      });
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(run(7).filter((entry) => entry.endsWith('/503')).length).toBeGreaterThan(0);
  });

  it('refuses bad settings', () => {
    const faults = new FaultController({}, mulberry32(1));
    expect(() => faults.set({ latencyMs: -1 })).toThrow(/latencyMs/);
    expect(() => faults.set({ errors: [404 as 500] })).toThrow(/500, 502 or 503/);
    expect(() => faults.set({ errorRate: 2 })).toThrow(/errorRate/);
    expect(() => faults.set({ nope: 1 } as never)).toThrow(/unknown fault "nope"/);
  });
});

describe('request faults over HTTP', () => {
  it('adds latency (sandbox-wide and per request)', async () => {
    const { url } = await start({ faults: { latencyMs: 60 } });
    let started = performance.now();
    await call(createUrl(url), { body: credentials('L-1') });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    start.current()?.faults.set({ latencyMs: 0 });
    started = performance.now();
    await call(createUrl(url), { body: credentials('L-2'), headers: { 'X-Sandbox-Fault': 'latency=80' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('answers the next N requests with 500/502/503 without processing them', async () => {
    const { url } = await start({ faults: { errors: [503, 502, 500] } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await call(createUrl(url), { body: credentials('ERR-1') })).status);
    expect(statuses).toEqual([503, 502, 500, 200]);
    expect(start.current()?.transactions()).toHaveLength(1);
    const injected = await call<ErrorResponse>(createUrl(url), {
      body: credentials('ERR-2'),
      headers: { 'X-Sandbox-Fault': 'status=502' },
    });
    expect(injected).toMatchObject({ status: 502, json: { error: 'sandbox fault: injected 502' } });
  });

  it('hangs past the client timeout, and still closes promptly', async () => {
    const { url } = await start({ faults: { hangs: 1 } });
    const hung = fetch(createUrl(url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(credentials('H-1')),
      signal: AbortSignal.timeout(150),
    });
    await expect(hung).rejects.toThrow(/aborted|timeout/i);
    expect((await call(createUrl(url), { body: credentials('H-1') })).status).toBe(200);
    // A hung request the client never aborts must not hold close() up.
    const forever = fetch(createUrl(url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Sandbox-Fault': 'hang' },
      body: JSON.stringify(credentials('H-2')),
    }).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await start.current()?.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await forever).toBeInstanceOf(Error);
  });

  it('resets the connection', async () => {
    const { url } = await start({ faults: { resets: 1 } });
    await expect(
      fetch(createUrl(url), { method: 'POST', body: JSON.stringify(credentials('RST-1')) }),
    ).rejects.toThrow(/fetch failed/);
    const viaHeader = fetch(createUrl(url), {
      method: 'POST',
      headers: { 'X-Sandbox-Fault': 'reset' },
      body: JSON.stringify(credentials('RST-1')),
    });
    await expect(viaHeader).rejects.toThrow(/fetch failed/);
    expect((await call(createUrl(url), { body: credentials('RST-1') })).status).toBe(200);
  });

  it('fails a seeded share of requests with errorRate, the same way for the same seed', async () => {
    const statuses = async (seed: number) => {
      const handle = await sandbox({ seed, faults: { errorRate: 0.5 } });
      try {
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await call(`${handle.url}/api/v2/payment-fee/1000`)).status);
        return out;
      } finally {
        await handle.close();
      }
    };
    const first = await statuses(42);
    expect(await statuses(42)).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });

  it('leaves the pages and /sandbox endpoints alone, and is controlled through POST /sandbox/faults', async () => {
    const { url } = await start();
    const set = await call(`${url}/sandbox/faults`, { body: { errors: [503, 503], latencyMs: 5 } });
    expect(set.json).toMatchObject({ faults: { errors: [503, 503], latencyMs: 5 } });
    expect((await call(`${url}/sandbox/faults`)).json).toMatchObject({ faults: { errors: [503, 503] } });
    expect((await call(`${url}/pay/${PROJECT}/1000?order_id=PAGE-1`)).status).toBe(200);
    expect((await call(createUrl(url), { body: credentials('F-1') })).status).toBe(503);
    expect((await call(`${url}/sandbox/faults`, { method: 'DELETE' })).json).toMatchObject({
      faults: { errors: [], latencyMs: 0 },
    });
    expect((await call(createUrl(url), { body: credentials('F-1') })).status).toBe(200);
    const bad = await call<ErrorResponse>(`${url}/sandbox/faults`, { body: { hangs: 'many' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/hangs/);
    const badHeader = await call<ErrorResponse>(createUrl(url), {
      body: credentials('F-2'),
      headers: { 'X-Sandbox-Fault': 'melt' },
    });
    expect(badHeader.status).toBe(400);
  });
});

describe('webhook faults', () => {
  async function withReceiver(test: (hooks: Awaited<ReturnType<typeof receiver>>) => Promise<void>) {
    const hooks = await receiver();
    try {
      await test(hooks);
    } finally {
      await hooks.close();
    }
  }

  const paid = async (handle: SandboxHandle, orderId: string, header?: string) => {
    await call<V1CreateResponse>(createUrl(handle.url), { body: credentials(orderId) });
    return call(`${handle.url}/api/paymentsimulation`, {
      body: credentials(orderId),
      ...(header !== undefined && { headers: { 'X-Sandbox-Fault': header } }),
    });
  };

  it('drops a webhook', () =>
    withReceiver(async (hooks) => {
      const handle = await start({ webhookUrl: hooks.url, faults: { webhookDrops: 1 } });
      await paid(handle, 'WD-1');
      await paid(handle, 'WD-2', 'webhook-drop');
      await paid(handle, 'WD-3');
      await handle.webhooks.idle();
      expect(hooks.requests.map((r) => JSON.parse(r.body).order_id)).toEqual(['WD-3']);
      expect(handle.webhooks.log().map((d) => d.state)).toEqual(['dropped', 'dropped', 'delivered']);
    }));

  it('duplicates a webhook: the same bytes twice', () =>
    withReceiver(async (hooks) => {
      const handle = await start({ webhookUrl: hooks.url, webhookSecret: 's' });
      await paid(handle, 'DUP-1', 'webhook-duplicate');
      await handle.webhooks.idle();
      expect(hooks.requests).toHaveLength(2);
      expect(hooks.requests[1]?.body).toBe(hooks.requests[0]?.body);
      expect(hooks.requests[1]?.headers['x-pakasir-signature']).toBe(
        hooks.requests[0]?.headers['x-pakasir-signature'],
      );
      expect(handle.webhooks.log().map((d) => [d.copy, d.state])).toEqual([
        [1, 'delivered'],
        [2, 'delivered'],
      ]);
    }));

  it('delays a webhook', () =>
    withReceiver(async (hooks) => {
      const handle = await start({ webhookUrl: hooks.url, faults: { webhookDelayMs: 120 } });
      const started = performance.now();
      await paid(handle, 'DLY-1');
      expect(hooks.requests).toHaveLength(0);
      await hooks.next(1);
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    }));

  it('sends a wrong amount, validly signed', () =>
    withReceiver(async (hooks) => {
      const handle = await start({ webhookUrl: hooks.url, faults: { webhookWrongAmounts: 1 } });
      await paid(handle, 'AMT-1');
      await paid(handle, 'AMT-2');
      await handle.webhooks.idle();
      expect(hooks.requests.map((r) => JSON.parse(r.body).amount)).toEqual([10001, 10000]);
    }));
});
