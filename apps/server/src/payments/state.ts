import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  type EventSource,
  type JsonObject,
  type PayerInfo,
  type PaymentStatus,
  paymentEvents,
  payments,
} from '../db/schema.js';
import type { Tx } from '../db/types.js';
import { enqueuePaymentEvent } from '../webhooks/outbound/enqueue.js';
import { announceLocalTransition } from './read-cache.js';

/**
 * The payment state machine, and the one place a payment's status or its alert flags change.
 *
 *     pending ──► paid | expired | cancelled | failed      (terminal: never change again)
 *
 * Each change is one conditional UPDATE plus one `payment_events` row, in the caller's
 * transaction, so that of two racing callers (two webhooks, a webhook and the sweeper) exactly
 * one makes the change and only that one records an event. A database trigger also refuses any
 * change of a terminal status, whatever code tries it.
 */

/** The states a payment can end in. */
export const TERMINAL_STATUSES = ['paid', 'expired', 'cancelled', 'failed'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

/** Whether a status is terminal (everything but `pending`). */
export function isTerminal(status: PaymentStatus): status is TerminalStatus {
  return status !== 'pending';
}

/** What is recorded with a change: who made it, and anything worth keeping for an audit. */
export interface ChangeOptions {
  source: EventSource;
  /** Stored in `payment_events.detail` (gateway payload, reason…); never secrets. */
  detail?: JsonObject;
}

/** Options of `transition()`. */
export interface TransitionOptions extends ChangeOptions {
  /** `paid` only: when the gateway says it was paid (default: now). */
  paidAt?: Date;
  /** `paid` only: the amount the gateway reported, integer rupiah. */
  paidAmount?: number;
  /** `paid` only: who paid, when the gateway tells. */
  payerInfo?: PayerInfo;
}

/**
 * Moves a pending payment to a terminal status: `UPDATE payments … WHERE id = $1 AND status =
 * 'pending'`, plus an event row when the update matched. Returns whether this call made the
 * transition: false when the payment is already terminal (or does not exist), so callers
 * (webhooks, sweepers) can run it as often as they like.
 * @example
 * await db.transaction((tx) => transition(tx, 'pay_…', 'paid', { source: 'webhook', detail: { order_id } }));
 */
export async function transition(
  tx: Tx,
  paymentId: string,
  to: TerminalStatus,
  options: TransitionOptions,
): Promise<boolean> {
  if (!(TERMINAL_STATUSES as readonly string[]).includes(to)) {
    throw new TypeError(
      `transition target must be one of ${TERMINAL_STATUSES.join(', ')}, got ${String(to)}`,
    );
  }
  const paid =
    to === 'paid'
      ? {
          paidAt: options.paidAt ?? sql`now()`,
          ...(options.paidAmount !== undefined && { paidAmount: options.paidAmount }),
          ...(options.payerInfo !== undefined && { payerInfo: options.payerInfo }),
        }
      : {};
  announceLocalTransition(paymentId); // before the UPDATE: see read-cache.ts
  const changed = await tx
    .update(payments)
    .set({ status: to, updatedAt: sql`now()`, ...paid })
    .where(and(eq(payments.id, paymentId), eq(payments.status, 'pending')))
    .returning({ id: payments.id });
  if (changed.length === 0) return false;
  await tx.insert(paymentEvents).values({
    paymentId,
    fromStatus: 'pending',
    toStatus: to,
    source: options.source,
    detail: options.detail ?? null,
  });
  await enqueuePaymentEvent(tx, paymentId, to); // the partner webhook, committed with the change
  return true;
}

/**
 * Records that the gateway reports a payment completed after it expired, was cancelled or failed.
 * The status stays as it is (terminal states never change); the payment gets `paid_late`,
 * `paid_at` and an event, and the caller raises an alert. Returns whether this call flagged it
 * (false when it is not in such a state, or was already flagged).
 */
export async function markPaidLate(
  tx: Tx,
  paymentId: string,
  options: ChangeOptions & { paidAt?: Date; paidAmount?: number; payerInfo?: PayerInfo },
): Promise<boolean> {
  const [row] = await tx
    .update(payments)
    .set({
      paidLate: true,
      paidAt: options.paidAt ?? sql`now()`,
      updatedAt: sql`now()`,
      ...(options.paidAmount !== undefined && { paidAmount: options.paidAmount }),
      ...(options.payerInfo !== undefined && { payerInfo: options.payerInfo }),
    })
    .where(
      and(
        eq(payments.id, paymentId),
        inArray(payments.status, ['expired', 'cancelled', 'failed']),
        eq(payments.paidLate, false),
      ),
    )
    .returning({ status: payments.status });
  if (!row) return false;
  await insertFlagEvent(tx, paymentId, row.status, options, { paid_late: true });
  return true;
}

/**
 * Records that the gateway reports a payment of another amount than asked: the payment gets
 * `amount_mismatch` and `paid_amount`, stays pending (it is not treated as paid) and gets an event.
 * Returns whether this call flagged it (false when it is not pending or already flagged).
 */
export async function markAmountMismatch(
  tx: Tx,
  paymentId: string,
  options: ChangeOptions & { paidAmount: number },
): Promise<boolean> {
  const [row] = await tx
    .update(payments)
    .set({ amountMismatch: true, paidAmount: options.paidAmount, updatedAt: sql`now()` })
    .where(
      and(eq(payments.id, paymentId), eq(payments.status, 'pending'), eq(payments.amountMismatch, false)),
    )
    .returning({ status: payments.status, amount: payments.amount });
  if (!row) return false;
  await insertFlagEvent(tx, paymentId, row.status, options, {
    amount_mismatch: true,
    expected_amount: row.amount,
    paid_amount: options.paidAmount,
  });
  return true;
}

/** An event for a flag: the status does not move, so `from_status = to_status`. */
async function insertFlagEvent(
  tx: Tx,
  paymentId: string,
  status: PaymentStatus,
  options: ChangeOptions,
  flag: JsonObject,
): Promise<void> {
  await tx.insert(paymentEvents).values({
    paymentId,
    fromStatus: status,
    toStatus: status,
    source: options.source,
    detail: { ...options.detail, ...flag },
  });
}
