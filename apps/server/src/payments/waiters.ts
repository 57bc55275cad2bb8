import type { Payment, PaymentStatus } from '../db/schema.js';
import { type Logger, silentLogger } from './alerts.js';
import type { PaymentNotifier } from './notifier.js';

/**
 * Long-poll waiters and status subscriptions over a `PaymentNotifier`. A waiter registers one
 * callback for its payment, reads the payment once, and then sleeps on a promise until a
 * notification, its timeout or its abort signal: no polling. A notification wakes every waiter of
 * that payment, and they share one read of the row (`read()` deduplicates concurrent reads).
 */

/** How a caller loads the payment it may see (scoped to its partner; throws NOT_FOUND otherwise). */
export type ScopedLoad = () => Promise<Payment>;

export class PaymentWaiters {
  readonly #notifier: PaymentNotifier;
  readonly #readRow: (paymentId: string) => Promise<Payment>;
  readonly #logger: Logger;
  readonly #inflight = new Map<string, Promise<Payment>>();

  constructor(options: {
    notifier: PaymentNotifier;
    readRow: (paymentId: string) => Promise<Payment>;
    logger?: Logger;
  }) {
    this.#notifier = options.notifier;
    this.#readRow = options.readRow;
    this.#logger = options.logger ?? silentLogger;
  }

  /** The current row; callers asking for the same payment at the same time share one query. */
  read(paymentId: string): Promise<Payment> {
    let pending = this.#inflight.get(paymentId);
    if (!pending) {
      pending = this.#readRow(paymentId).finally(() => this.#inflight.delete(paymentId));
      this.#inflight.set(paymentId, pending);
    }
    return pending;
  }

  /**
   * Resolves with the row as soon as the payment is no longer pending (at once when it already is),
   * or after `timeoutMs` with the current row and `timeout: true`. Rejects with the signal's reason
   * when it aborts, and with `load`'s error (NOT_FOUND). `paymentId` is listened on before `load`
   * runs, so a change between the read and the registration cannot be missed.
   */
  async wait(
    paymentId: string,
    load: ScopedLoad,
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<{ row: Payment; timeout: boolean }> {
    const { signal } = options;
    signal?.throwIfAborted();
    const deadline = Date.now() + options.timeoutMs;
    let notified = false;
    let wake: (() => void) | undefined;
    const unlisten = this.#notifier.listen(paymentId, (change) => {
      if (change.status === 'pending') return;
      notified = true;
      wake?.();
    });
    try {
      let row = await load();
      if (row.id !== paymentId) {
        // `paymentId` was the partner's transaction id shaped like a payment id: listen on the real one.
        unlisten();
        return this.wait(row.id, load, options);
      }
      for (;;) {
        if (row.status !== 'pending') return { row, timeout: false };
        if (!notified) {
          const woken = await new Promise<boolean>((resolve, reject) => {
            const done = (value: boolean) => {
              clearTimeout(timer);
              signal?.removeEventListener('abort', onAbort);
              wake = undefined;
              resolve(value);
            };
            const onAbort = () => {
              clearTimeout(timer);
              wake = undefined;
              reject(signal?.reason);
            };
            const timer = setTimeout(() => done(false), Math.max(0, deadline - Date.now()));
            signal?.addEventListener('abort', onAbort, { once: true });
            wake = () => done(true);
          });
          if (!woken) {
            row = await this.read(paymentId);
            return { row, timeout: row.status === 'pending' };
          }
        }
        notified = false;
        row = await this.read(paymentId);
      }
    } finally {
      unlisten();
    }
  }

  /**
   * Calls `listener` with the row each time the payment's status changes, until the returned
   * function is called. Resolves once registered (after `load` succeeded), so a caller that reads
   * the payment afterwards cannot miss a change in between.
   */
  async subscribe(
    paymentId: string,
    load: ScopedLoad,
    listener: (row: Payment) => void,
  ): Promise<() => void> {
    let last: PaymentStatus | undefined;
    let stopped = false;
    const deliver = async () => {
      const row = await this.read(paymentId);
      if (stopped || row.status === last) return;
      last = row.status;
      listener(row);
    };
    const unlisten = this.#notifier.listen(paymentId, () => {
      deliver().catch((error: unknown) =>
        this.#logger.error(
          { payment_id: paymentId, err: (error as Error).message },
          'could not read a payment after its status changed',
        ),
      );
    });
    const stop = () => {
      stopped = true;
      unlisten();
    };
    try {
      const row = await load();
      if (row.id !== paymentId) {
        stop();
        return this.subscribe(row.id, load, listener);
      }
      last ??= row.status;
      return stop;
    } catch (error) {
      stop();
      throw error;
    }
  }
}
