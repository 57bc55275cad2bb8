import { eq } from 'drizzle-orm';
import { type EventSource, type JsonObject, type PayerInfo, type Payment, payments } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import type { AlertSink } from './alerts.js';
import { refundToken } from './licenses.js';
import { markAmountMismatch, markPaidLate, transition } from './state.js';

/**
 * What the webhook handler, the reconciler, the expiry sweeper and the service do with a payment
 * once the gateway has spoken, in one place so they all decide alike:
 * - `settleCompleted`: the gateway says "paid": paid, a duplicate, paid late, or a wrong amount;
 * - `failAndRefund`: the upstream transaction could not be made: failed, and the token given back.
 * Status changes go through `state.ts`; the database trigger of migration 0003 notifies waiters.
 */

/** What a "paid" report did to the payment. */
export type SettleOutcome =
  /** pending → paid, by this call. */
  | 'paid'
  /** Already paid (or already flagged paid late): nothing changed. */
  | 'duplicate'
  /** Expired, cancelled or failed, now flagged `paid_late`; an alert was raised. */
  | 'paid_late'
  /** Another amount than asked: flagged `amount_mismatch`, not paid; an alert was raised (once). */
  | 'amount_mismatch';

/** Options of `settleCompleted()`. */
export interface SettleOptions {
  /** The amount the gateway (or webhook) reports as paid. */
  paidAmount: number;
  /** When the gateway says it was paid; null: now. */
  paidAt: Date | null;
  payerInfo?: PayerInfo;
  source: EventSource;
  /** Kept in the event row (order id, gateway status…); never secrets. */
  detail?: JsonObject;
  alerts: AlertSink;
}

/** The payment with this order id (the id we gave the gateway), or null. */
export async function findByOrderId(executor: Executor, orderId: string): Promise<Payment | null> {
  const [row] = await executor.select().from(payments).where(eq(payments.orderId, orderId));
  return row ?? null;
}

/** The payment with this id; throws when it does not exist (callers know it does). */
export async function loadPayment(executor: Executor, paymentId: string): Promise<Payment> {
  const [row] = await executor.select().from(payments).where(eq(payments.id, paymentId));
  if (!row) throw new Error(`payment ${paymentId} does not exist`);
  return row;
}

/**
 * Applies a "completed" report to a payment. Idempotent: a second identical report is a
 * `duplicate`; two racing reports make one transition (the conditional UPDATE of `transition`).
 * - amount differs and the payment is pending → `amount_mismatch` flag, stays pending, alert;
 * - pending → `paid` (with paid_at, paid_amount, payer info);
 * - paid → `duplicate`;
 * - expired / cancelled / failed → `paid_late` flag (status unchanged), alert.
 */
export async function settleCompleted(
  executor: Executor,
  payment: Payment,
  options: SettleOptions,
): Promise<SettleOutcome> {
  const { paidAmount, source, alerts } = options;
  const detail = { ...options.detail, paid_amount: paidAmount };
  let row = payment;
  // Two rounds at most: a transition lost to a racing caller is re-read once.
  for (let round = 0; round < 2; round++) {
    if (row.status === 'paid') return 'duplicate';
    if (row.status !== 'pending') {
      const flagged = await executor.transaction((tx) =>
        markPaidLate(tx, row.id, {
          source,
          detail,
          paidAmount,
          ...(options.paidAt && { paidAt: options.paidAt }),
          ...(options.payerInfo && { payerInfo: options.payerInfo }),
        }),
      );
      if (!flagged) return 'duplicate';
      alerts({
        kind: 'paid_late',
        paymentId: row.id,
        message: `payment ${row.id} was reported paid after it became ${row.status}: refund or deliver by hand`,
        detail: { status: row.status, expected_amount: row.amount, paid_amount: paidAmount, source },
      });
      return 'paid_late';
    }
    if (paidAmount !== row.amount) {
      const flagged = await executor.transaction((tx) =>
        markAmountMismatch(tx, row.id, { source, detail, paidAmount }),
      );
      if (flagged) {
        alerts({
          kind: 'amount_mismatch',
          paymentId: row.id,
          message: `payment ${row.id} asked for ${row.amount} but ${paidAmount} was reported paid: not treated as paid`,
          detail: { expected_amount: row.amount, paid_amount: paidAmount, source },
        });
      }
      return 'amount_mismatch';
    }
    const made = await executor.transaction((tx) =>
      transition(tx, row.id, 'paid', {
        source,
        detail,
        paidAmount,
        ...(options.paidAt && { paidAt: options.paidAt }),
        ...(options.payerInfo && { payerInfo: options.payerInfo }),
      }),
    );
    if (made) return 'paid';
    row = await loadPayment(executor, row.id);
  }
  return 'duplicate';
}

/**
 * Marks a pending payment `failed` and refunds its token through the ledger, in one transaction.
 * Returns whether this call did it (false when the payment had already left `pending`).
 */
export async function failAndRefund(
  executor: Executor,
  payment: Pick<Payment, 'id' | 'licenseId'>,
  options: { source: EventSource; detail?: JsonObject },
): Promise<boolean> {
  return executor.transaction(async (tx) => {
    const made = await transition(tx, payment.id, 'failed', options);
    if (made) await refundToken(tx, { licenseId: payment.licenseId, paymentId: payment.id });
    return made;
  });
}
