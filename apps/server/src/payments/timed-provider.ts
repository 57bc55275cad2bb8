import type { PaymentProvider, Simulator } from './provider.js';

/**
 * Upstream latency for `/metrics`: decorators that time every call a PaymentProvider (and a
 * sandbox Simulator) makes to the gateway and report it, without the provider knowing. Feed them
 * `AppMetrics.observeUpstream`.
 * @example
 * const metrics = createAppMetrics();
 * const provider = timedProvider(pakasirProvider(pakasir), metrics.observeUpstream);
 */

/** One upstream call: which operation, whether it succeeded, how long it took. */
export interface UpstreamSample {
  operation: 'create_qris' | 'detail' | 'cancel' | 'simulate';
  outcome: 'ok' | 'error';
  seconds: number;
}

export type UpstreamObserver = (sample: UpstreamSample) => void;

/** Options of the decorators. */
export interface TimingOptions {
  /** Milliseconds of a monotonic clock (default `performance.now`). */
  clock?: () => number;
}

/** Runs `call`, reports its duration and outcome, and passes its result or error on unchanged. */
async function timed<T>(
  observe: UpstreamObserver,
  operation: UpstreamSample['operation'],
  clock: () => number,
  call: () => Promise<T>,
): Promise<T> {
  const started = clock();
  let outcome: UpstreamSample['outcome'] = 'error';
  try {
    const result = await call();
    outcome = 'ok';
    return result;
  } finally {
    // An observer that throws must never turn a payment's success into a failure.
    try {
      observe({ operation, outcome, seconds: (clock() - started) / 1000 });
    } catch {}
  }
}

/** `provider` with every call timed (operations `create_qris`, `detail`, `cancel`). */
export function timedProvider(
  provider: PaymentProvider,
  observe: UpstreamObserver,
  options: TimingOptions = {},
): PaymentProvider {
  const clock = options.clock ?? (() => performance.now());
  return {
    name: provider.name,
    acceptsSandboxPayments: provider.acceptsSandboxPayments,
    createQris: (input) => timed(observe, 'create_qris', clock, () => provider.createQris(input)),
    detail: (ref) => timed(observe, 'detail', clock, () => provider.detail(ref)),
    cancel: (ref) => timed(observe, 'cancel', clock, () => provider.cancel(ref)),
  };
}

/** `simulate` timed as the operation `simulate`. */
export function timedSimulator(
  simulate: Simulator,
  observe: UpstreamObserver,
  options: TimingOptions = {},
): Simulator {
  const clock = options.clock ?? (() => performance.now());
  return (ref) => timed(observe, 'simulate', clock, () => simulate(ref));
}
