import { describe, expect, it } from 'vitest';
import { createAppMetrics } from '../http/metrics.js';
import { type PaymentProvider, ProviderError } from './provider.js';
import { timedProvider, timedSimulator, type UpstreamSample } from './timed-provider.js';

/** A clock that advances by the given steps, one per reading. */
function steppingClock(...readings: number[]): () => number {
  return () => {
    const next = readings.shift();
    if (next === undefined) throw new Error('the clock was read more often than expected');
    return next;
  };
}

const fakeProvider: PaymentProvider = {
  name: 'fake',
  acceptsSandboxPayments: true,
  createQris: async (input) => ({ orderId: input.orderId, qrContent: '000201', expiresAt: new Date(0) }),
  detail: async () => {
    throw new ProviderError('unavailable', 'down');
  },
  cancel: async () => {},
};

describe('timedProvider', () => {
  it('reports each call with its operation, outcome and seconds, and passes results and errors on', async () => {
    const samples: UpstreamSample[] = [];
    const provider = timedProvider(fakeProvider, (sample) => samples.push(sample), {
      clock: steppingClock(1000, 1250, 2000, 2005, 3000, 3000),
    });
    expect(provider.name).toBe('fake');
    expect(provider.acceptsSandboxPayments).toBe(true);
    await expect(provider.createQris({ orderId: 'pay_1', amount: 1000 })).resolves.toMatchObject({
      qrContent: '000201',
    });
    const failure = provider.detail({ orderId: 'pay_1', amount: 1000 });
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ kind: 'unavailable' });
    await provider.cancel({ orderId: 'pay_1', amount: 1000 });
    expect(samples).toEqual([
      { operation: 'create_qris', outcome: 'ok', seconds: 0.25 },
      { operation: 'detail', outcome: 'error', seconds: 0.005 },
      { operation: 'cancel', outcome: 'ok', seconds: 0 },
    ]);
  });

  it('never lets a failing observer fail the call', async () => {
    const provider = timedProvider(fakeProvider, () => {
      throw new Error('metrics are broken');
    });
    await expect(provider.cancel({ orderId: 'pay_1', amount: 1000 })).resolves.toBeUndefined();
  });

  it('feeds the upstream latency histogram of /metrics', async () => {
    const metrics = createAppMetrics();
    const simulate = timedSimulator(async () => {}, metrics.observeUpstream);
    await simulate({ orderId: 'pay_1', amount: 1000 });
    expect(await metrics.registry.render()).toContain(
      'quickcart_upstream_request_duration_seconds_count{operation="simulate",outcome="ok"} 1',
    );
  });
});
