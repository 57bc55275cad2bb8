import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { type BalanceReason, type StoreBalanceEntry, storeBalanceLedger, storeUsers } from '../db/schema.js';
import { queryRows } from '../db/sql.js';
import type { Executor, Tx } from '../db/types.js';
import { StoreError } from './errors.js';

/**
 * Buyers' balances (seed 003 `account_balance`, issue 9). Every change is one row of the
 * append-only `store_balance_ledger` plus one conditional UPDATE of the balance, in the same
 * transaction and under the user's row lock, so `sum(delta) = account_balance` always holds and a
 * balance never goes below zero. Changes tied to an order or a payment are idempotent: the
 * ledger's partial unique indexes allow one debit and one refund per order and one credit per
 * payment, and a repeated call answers the existing entry with `applied: false`.
 */

/** One change of a balance. */
export interface BalanceChange {
  userId: number;
  /** Integer rupiah: positive credits, negative debits. */
  delta: number;
  reason: BalanceReason;
  orderId?: string | null;
  paymentId?: string | null;
  note?: string | null;
}

/** What a change did: its ledger entry, and whether this call made it (false: made before). */
export interface BalanceResult {
  entry: StoreBalanceEntry;
  applied: boolean;
}

/** Reasons that credit a payment's money; one payment credits at most once, whatever the reason. */
export const PAYMENT_CREDIT_REASONS = ['topup', 'late_payment', 'overpayment', 'underpayment'] as const;
/** Reasons recorded at most once per order. */
const ORDER_ONCE_REASONS: readonly BalanceReason[] = ['order_payment', 'refund', 'topup'];

/**
 * Applies `change` inside the caller's transaction: locks the user's row, answers the earlier
 * entry when the change was already made (same order + reason, or same credited payment), else
 * moves the balance with `… where account_balance + delta >= 0` and appends the entry.
 * Throws INSUFFICIENT_BALANCE for a debit the balance does not cover, INVALID_INPUT otherwise.
 */
export async function applyBalanceChange(tx: Tx, change: BalanceChange): Promise<BalanceResult> {
  if (!Number.isSafeInteger(change.delta) || change.delta === 0) {
    throw new StoreError('INVALID_INPUT', 'a balance change must be a non-zero whole number of rupiah', {
      delta: change.delta,
    });
  }
  const [user] = await tx
    .select({ balance: storeUsers.accountBalance })
    .from(storeUsers)
    .where(eq(storeUsers.telegramId, change.userId))
    .for('no key update');
  if (!user) {
    throw new StoreError('INVALID_INPUT', `store user ${change.userId} is unknown`, {
      user_id: change.userId,
    });
  }
  const earlier = await findEarlier(tx, change);
  if (earlier) return { entry: earlier, applied: false };
  const [moved] = await tx
    .update(storeUsers)
    .set({
      accountBalance: sql`${storeUsers.accountBalance} + ${change.delta}`,
      updatedAt: sql`now()`,
    })
    .where(
      and(eq(storeUsers.telegramId, change.userId), sql`${storeUsers.accountBalance} + ${change.delta} >= 0`),
    )
    .returning({ balance: storeUsers.accountBalance });
  if (!moved) {
    throw new StoreError(
      'INSUFFICIENT_BALANCE',
      `user ${change.userId} has ${user.balance} of the ${-change.delta} to pay`,
      { user_id: change.userId, balance: user.balance, needed: -change.delta },
    );
  }
  const [entry] = await tx
    .insert(storeBalanceLedger)
    .values({
      userId: change.userId,
      delta: change.delta,
      balanceAfter: moved.balance,
      reason: change.reason,
      orderId: change.orderId ?? null,
      paymentId: change.paymentId ?? null,
      note: change.note ?? null,
    })
    .returning();
  if (!entry) throw new Error('insert into store_balance_ledger returned no row');
  return { entry, applied: true };
}

async function findEarlier(tx: Tx, change: BalanceChange): Promise<StoreBalanceEntry | null> {
  if (change.paymentId && (PAYMENT_CREDIT_REASONS as readonly string[]).includes(change.reason)) {
    const [row] = await tx
      .select()
      .from(storeBalanceLedger)
      .where(
        and(
          eq(storeBalanceLedger.paymentId, change.paymentId),
          inArray(storeBalanceLedger.reason, [...PAYMENT_CREDIT_REASONS]),
        ),
      );
    if (row) return row;
  }
  if (change.orderId && ORDER_ONCE_REASONS.includes(change.reason)) {
    const [row] = await tx
      .select()
      .from(storeBalanceLedger)
      .where(
        and(eq(storeBalanceLedger.orderId, change.orderId), eq(storeBalanceLedger.reason, change.reason)),
      );
    if (row) return row;
  }
  return null;
}

/** Credits `amount` (> 0) to a user's balance in its own transaction. */
export async function creditBalance(
  db: Executor,
  credit: Omit<BalanceChange, 'delta'> & { amount: number },
): Promise<BalanceResult> {
  assertAmount(credit.amount);
  const { amount, ...rest } = credit;
  return db.transaction((tx) => applyBalanceChange(tx, { ...rest, delta: amount }));
}

/**
 * Pays `amount` of an order from the buyer's balance, at most once per order (a replay answers
 * the first debit). Throws INSUFFICIENT_BALANCE. Pass the order's transaction to make it part of it.
 */
export async function spendBalance(
  db: Executor,
  spend: { userId: number; orderId: string; amount: number },
): Promise<BalanceResult> {
  assertAmount(spend.amount);
  return db.transaction((tx) =>
    applyBalanceChange(tx, {
      userId: spend.userId,
      delta: -spend.amount,
      reason: 'order_payment',
      orderId: spend.orderId,
    }),
  );
}

/** An admin's correction (positive or negative), with who and why in `note`. */
export async function adjustBalance(
  db: Executor,
  adjustment: { userId: number; delta: number; note: string },
): Promise<BalanceResult> {
  return db.transaction((tx) => applyBalanceChange(tx, { ...adjustment, reason: 'adjustment' }));
}

function assertAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new StoreError('INVALID_INPUT', 'an amount must be a positive whole number of rupiah', { amount });
  }
}

/** A user's balance and what the ledger sums to (always equal). */
export async function balanceOf(
  db: Executor,
  userId: number,
): Promise<{ balance: number; ledgerSum: number; entries: number }> {
  const [row] = await queryRows<{ balance: number | null; sum: number; n: number }>(
    db,
    sql`select (select account_balance from store_users where telegram_id = ${userId}) as balance,
               coalesce(sum(delta), 0)::int as sum, count(*)::int as n
        from store_balance_ledger where user_id = ${userId}`,
  );
  return {
    balance: Number(row?.balance ?? 0),
    ledgerSum: Number(row?.sum ?? 0),
    entries: Number(row?.n ?? 0),
  };
}

/** Users whose balance differs from their ledger's sum (always none; a check for tests and audits). */
export async function unbalancedUsers(
  db: Executor,
): Promise<{ userId: number; balance: number; ledgerSum: number }[]> {
  const rows = await queryRows<{ user_id: number; balance: number; sum: number }>(
    db,
    sql`select u.telegram_id as user_id, u.account_balance as balance, coalesce(l.sum, 0)::int as sum
        from store_users u
        left join (select user_id, sum(delta) as sum from store_balance_ledger group by user_id) l
          on l.user_id = u.telegram_id
        where u.account_balance <> coalesce(l.sum, 0)`,
  );
  return rows.map((row) => ({ userId: Number(row.user_id), balance: row.balance, ledgerSum: row.sum }));
}

/** A user's ledger, newest first (or oldest first with `order: 'asc'`). */
export async function ledgerOf(
  db: Executor,
  userId: number,
  options: { limit?: number; order?: 'asc' | 'desc' } = {},
): Promise<StoreBalanceEntry[]> {
  return db
    .select()
    .from(storeBalanceLedger)
    .where(eq(storeBalanceLedger.userId, userId))
    .orderBy(options.order === 'asc' ? asc(storeBalanceLedger.id) : desc(storeBalanceLedger.id))
    .limit(options.limit ?? 20);
}
