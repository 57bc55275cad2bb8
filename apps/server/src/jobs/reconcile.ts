import { and, asc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { type EventSource, type Payment, payments } from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { AlertSink, Logger } from '../payments/alerts.js';
import {
  type PaymentProvider,
  ProviderError,
  type UpstreamDetail,
  type UpstreamRef,
} from '../payments/provider.js';
import { failAndRefund, type SettleOutcome, settleCompleted } from '../payments/settle.js';
import { transition } from '../payments/state.js';

/**
 * The reconciler: asks the gateway about pending payments on a backoff schedule (15 s, 30 s,
 * 1 min … then every 5 min) and applies what it says through the same state machine as webhooks.
 * This is what recovers a dropped webhook. It also fails (and refunds) payments whose upstream
 * transaction was never stored: a crash between the create transaction and the gateway's answer.
 */

/** What the sweeps need. */
export interface SweepContext {
  db: Db;
  provider: PaymentProvider;
  alerts: AlertSink;
  logger: Logger;
  now: () => Date;
  /** Payments handled per run (default 100). */
  batchSize?: number;
  /** Gateway calls in flight at once (default 4). */
  concurrency?: number;
}

/** What applying the gateway's view did. */
export type UpstreamOutcome = SettleOutcome | 'expired' | 'cancelled' | 'pending';

/** The delay before the reconciler's next question about a payment it asked `attempt` times (0-based). */
export function reconcileDelayMs(attempt: number): number {
  return Math.min(15_000 * 2 ** Math.max(0, attempt), 5 * 60_000);
}

/** The reference of a payment's upstream transaction. */
export function upstreamRefOf(row: Payment): UpstreamRef {
  return { orderId: row.orderId, amount: row.amount, txnId: row.upstreamTxnId };
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function forEachLimited<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

/**
 * Applies the gateway's view of a pending payment: paid (settled: paid, amount mismatch…),
 * expired or cancelled upstream (the same here), or still pending. A sandbox payment while live
 * is never paid: it raises an alert instead.
 */
export async function applyUpstream(
  context: Pick<SweepContext, 'db' | 'provider' | 'alerts'>,
  row: Payment,
  detail: UpstreamDetail,
  source: EventSource,
): Promise<UpstreamOutcome> {
  const { db, provider, alerts } = context;
  const eventDetail = { order_id: row.orderId, upstream_status: detail.status };
  switch (detail.status) {
    case 'paid':
      if (detail.isSandbox === true && !provider.acceptsSandboxPayments) {
        alerts({
          kind: 'sandbox_payment_in_live',
          paymentId: row.id,
          message: `the gateway reports payment ${row.id} paid by a sandbox payment; not counted as paid`,
        });
        return 'pending';
      }
      return settleCompleted(db, row, {
        paidAmount: detail.amount,
        paidAt: detail.completedAt,
        ...(detail.paymentMethod !== undefined && { payerInfo: { payment_method: detail.paymentMethod } }),
        source,
        detail: eventDetail,
        alerts,
      });
    case 'expired':
    case 'cancelled': {
      const to = detail.status;
      await db.transaction((tx) => transition(tx, row.id, to, { source, detail: eventDetail }));
      return to;
    }
    default:
      return 'pending';
  }
}

/** Counts of one reconciliation run. */
export interface ReconcileReport {
  checked: number;
  changed: number;
  /** Payments without an upstream transaction, failed and refunded. */
  orphans: number;
  errors: number;
}

/**
 * One reconciliation run: the pending payments whose `reconcile_after` has come, then the
 * orphans (no QRIS stored `orphanAfterMs` after creation, default 2 min: longer than a create
 * with its retries can take). Call it under the job lock (`startSweepers` does).
 */
export async function reconcilePendingPayments(
  context: SweepContext & { orphanAfterMs?: number },
): Promise<ReconcileReport> {
  const { db, provider, logger } = context;
  const now = context.now();
  const limit = context.batchSize ?? 100;
  const report: ReconcileReport = { checked: 0, changed: 0, orphans: 0, errors: 0 };
  const due = await db
    .select()
    .from(payments)
    .where(
      and(eq(payments.status, 'pending'), isNotNull(payments.qrContent), lte(payments.reconcileAfter, now)),
    )
    .orderBy(asc(payments.reconcileAfter))
    .limit(limit);
  await forEachLimited(due, context.concurrency ?? 4, async (row) => {
    report.checked++;
    try {
      const outcome = await applyUpstream(
        context,
        row,
        await provider.detail(upstreamRefOf(row)),
        'reconciler',
      );
      if (outcome !== 'pending' && outcome !== 'amount_mismatch') {
        report.changed++;
        logger.info({ payment_id: row.id, outcome }, 'reconciler applied the gateway status');
        return;
      }
    } catch (error) {
      report.errors++;
      logger.warn(
        { payment_id: row.id, err: (error as Error).message },
        'reconciler could not check a payment',
      );
    }
    await db
      .update(payments)
      .set({
        reconcileAttempts: sql`${payments.reconcileAttempts} + 1`,
        reconcileAfter: new Date(now.getTime() + reconcileDelayMs(row.reconcileAttempts)),
      })
      .where(and(eq(payments.id, row.id), eq(payments.status, 'pending')));
  });

  const orphanBefore = new Date(now.getTime() - (context.orphanAfterMs ?? 120_000));
  const orphans = await db
    .select()
    .from(payments)
    .where(
      and(eq(payments.status, 'pending'), isNull(payments.qrContent), lte(payments.createdAt, orphanBefore)),
    )
    .limit(limit);
  await forEachLimited(orphans, context.concurrency ?? 4, async (row) => {
    // Best effort: if the gateway did create it, nobody must be able to pay it now.
    await provider.cancel(upstreamRefOf(row)).catch((error: unknown) => {
      if (!(error instanceof ProviderError && error.kind === 'not_found'))
        logger.debug({ payment_id: row.id, err: (error as Error).message }, 'orphan cancel upstream failed');
    });
    const made = await failAndRefund(db, row, {
      source: 'reconciler',
      detail: { reason: 'no upstream transaction was stored' },
    });
    if (made) {
      report.orphans++;
      logger.warn({ payment_id: row.id }, 'payment without an upstream transaction failed; token refunded');
    }
  });
  return report;
}
