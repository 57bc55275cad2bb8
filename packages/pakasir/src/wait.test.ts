import { describe, expect, it } from 'vitest';
import { PakasirApiError, PakasirNetworkError, PaymentExpiredError, PaymentTimeoutError } from './errors.js';
import type { TransactionStatus } from './protocol.js';
import { waitForStatus } from './wait.js';

const state = (status: TransactionStatus) => ({ status, order_id: 'A1' });
const noSleep = async (_ms: number, signal?: AbortSignal) => {
  if (signal?.aborted) throw signal.reason;
};

/** A check that answers from a script, recording how often it was called. */
function scripted(answers: (TransactionStatus | Error)[]) {
  let calls = 0;
  const check = async () => {
    const answer = answers[Math.min(calls++, answers.length - 1)] as TransactionStatus | Error;
    if (answer instanceof Error) throw answer;
    return state(answer);
  };
  return { check, calls: () => calls };
}

describe('waitForStatus', () => {
  it('resolves on completed, riding out transient failures', async () => {
    const { check, calls } = scripted([
      'pending',
      new PakasirNetworkError('reset'),
      new PakasirApiError('busy', 503, null),
      'completed',
    ]);
    await expect(waitForStatus(check, { intervalMs: 1 }, noSleep)).resolves.toEqual(state('completed'));
    expect(calls()).toBe(4);
  });

  it('rejects with PaymentExpiredError on expired or canceled', async () => {
    await expect(
      waitForStatus(scripted(['pending', 'expired']).check, { intervalMs: 1 }, noSleep),
    ).rejects.toMatchObject({
      name: 'PaymentExpiredError',
      status: 'expired',
    });
    await expect(
      waitForStatus(scripted(['canceled']).check, { intervalMs: 1 }, noSleep),
    ).rejects.toBeInstanceOf(PaymentExpiredError);
  });

  it('stops on errors that will not go away (401, 404)', async () => {
    const { check, calls } = scripted([new PakasirApiError('invalid api_key', 401, null)]);
    await expect(waitForStatus(check, { intervalMs: 1 }, noSleep)).rejects.toMatchObject({ status: 401 });
    expect(calls()).toBe(1);
  });

  it('times out with a PaymentTimeoutError whose message contains "timeout"', async () => {
    const started = Date.now();
    const error = await waitForStatus(
      scripted(['pending']).check,
      { intervalMs: 20, timeoutMs: 150 },
      (ms, signal) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentTimeoutError);
    expect((error as Error).message).toMatch(/^timeout: payment for order A1 still pending after 150 ms$/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("aborts with the signal's reason", async () => {
    const controller = new AbortController();
    controller.abort(new Error('shop closed'));
    await expect(
      waitForStatus(scripted(['pending']).check, { intervalMs: 1, signal: controller.signal }, noSleep),
    ).rejects.toThrow('shop closed');
  });
});
