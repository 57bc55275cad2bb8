import { and, asc, eq, inArray, isNotNull, notExists, notInArray, or } from 'drizzle-orm';
import { type BalanceReason, payments, storeBalanceLedger, storeOrders } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { applyBalanceChange, PAYMENT_CREDIT_REASONS } from './wallet.js';

/**
 * Money the store received but no order took (issue 9): a Pakasir payment reported paid after its
 * order expired or was cancelled (`paid_late`), or of another amount than asked (`amount_mismatch`,
 * once the payment has closed without being paid). The whole amount paid goes to the buyer's
 * balance, once per payment (the ledger's unique index), and the caller tells the admins.
 * The store's sweep calls this, so a credit never depends on an in-memory event.
 */

/** One payment credited to a buyer's balance. */
export interface StrayCredit {
  orderId: string;
  paymentId: string;
  userId: number;
  amount: number;
  reason: BalanceReason;
  expectedAmount: number;
}

const CLOSED = ['expired', 'cancelled', 'failed'] as const;

function stray() {
  return and(
    inArray(payments.status, [...CLOSED]),
    or(eq(payments.paidLate, true), and(eq(payments.amountMismatch, true), isNotNull(payments.paidAmount))),
  );
}

/** Orders whose payment is stray money not yet credited, oldest first. */
export async function ordersWithStrayPayments(db: Executor, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: storeOrders.id })
    .from(storeOrders)
    .innerJoin(payments, eq(payments.id, storeOrders.paymentId))
    .where(
      and(
        stray(),
        notInArray(storeOrders.status, ['pending']),
        notExists(
          db
            .select({ id: storeBalanceLedger.id })
            .from(storeBalanceLedger)
            .where(
              and(
                eq(storeBalanceLedger.paymentId, payments.id),
                inArray(storeBalanceLedger.reason, [...PAYMENT_CREDIT_REASONS]),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(payments.updatedAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Credits the stray payment of `orderId` to its buyer; null when there is none or it was credited. */
export async function creditStrayPayment(db: Executor, orderId: string): Promise<StrayCredit | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ order: storeOrders, payment: payments })
      .from(storeOrders)
      .innerJoin(payments, eq(payments.id, storeOrders.paymentId))
      .where(and(eq(storeOrders.id, orderId), stray(), notInArray(storeOrders.status, ['pending'])));
    if (!row) return null;
    const { order, payment } = row;
    const amount = payment.paidAmount ?? payment.amount;
    const reason: BalanceReason = payment.paidLate
      ? 'late_payment'
      : amount > payment.amount
        ? 'overpayment'
        : 'underpayment';
    const result = await applyBalanceChange(tx, {
      userId: order.userId,
      delta: amount,
      reason,
      orderId: order.id,
      paymentId: payment.id,
    });
    if (!result.applied) return null;
    return {
      orderId: order.id,
      paymentId: payment.id,
      userId: order.userId,
      amount,
      reason,
      expectedAmount: payment.amount,
    };
  });
}
