import { logMessage } from '../db/errors.js';
import type { StoreOrder } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { type AlertSink, type Logger, silentLogger } from '../payments/alerts.js';
import type { PaymentService, PaymentView } from '../payments/contract.js';
import { QuickCartError } from '../payments/errors.js';
import type { StoreAccount } from './account.js';
import { StoreError } from './errors.js';
import {
  attachPayment,
  type CreatedOrder,
  type CreateOrderInput,
  createOrder,
  failOrder,
  getOrder,
  type OrderWithItems,
} from './orders.js';
import { type SettleResult, settleOrder } from './settle.js';
import { creditStrayPayment, ordersWithStrayPayments, type StrayCredit } from './stray.js';
import { createTopupOrder, topupQuote } from './topup.js';
import { balanceOf } from './wallet.js';
import { ordersToSettle, ordersWithoutPayment } from './work.js';

/**
 * The store's use of the payments domain, in process: checkout (order + reserved stock, then a
 * QRIS payment of the store partner), status refresh, cancel, and the sweep that settles orders
 * whose payment moved while nobody listened. Catalog, stock, users and stats are plain functions
 * over the database (catalog.ts, stock.ts, users.ts, stats.ts).
 */

/** Options of `createStore()`. */
export interface StoreOptions {
  db: Db;
  payments: PaymentService;
  account: StoreAccount;
  /** How long a QR may be paid (seed 000: 10 minutes). */
  paymentExpiryMinutes?: number;
  /** A pending order with no payment after this long is failed (the process died in checkout). */
  orphanAfterMs?: number;
  now?: () => Date;
  logger?: Logger;
  /** Told when a late or mismatched payment was credited to a buyer's balance (the admins). */
  alerts?: AlertSink;
}

/** A created order and its payment (QR string, expiry). */
export interface Checkout extends CreatedOrder {
  payment: PaymentView;
}

/** A created order and its QRIS payment, or null when the balance (or a voucher) paid it whole. */
export interface Purchase extends CreatedOrder {
  payment: PaymentView | null;
}

/** A pending top-up order and its QRIS payment. */
export interface TopupCheckout {
  order: StoreOrder;
  amount: number;
  fee: number;
  payment: PaymentView;
}

/** What one sweep did. */
export interface StoreSweepReport {
  settled: string[];
  orphansFailed: number;
  /** Late or mismatched payments credited to buyers' balances. */
  credited: StrayCredit[];
}

export type Store = ReturnType<typeof createStore>;

/** The store service. @example const store = createStore({ db, payments, account }); */
export function createStore(options: StoreOptions) {
  const { db, payments, account } = options;
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const expiryMinutes = options.paymentExpiryMinutes ?? 10;
  const orphanAfterMs = options.orphanAfterMs ?? 5 * 60_000;
  const alerts = options.alerts;

  /** Credits an order's stray payment (if any) and tells the admins; never throws. */
  async function creditStray(orderId: string): Promise<StrayCredit | null> {
    const credit = await creditStrayPayment(db, orderId);
    if (!credit) return null;
    logger.warn(
      {
        order_id: credit.orderId,
        payment_id: credit.paymentId,
        amount: credit.amount,
        reason: credit.reason,
      },
      'store: a payment no order took was credited to the buyer balance',
    );
    alerts?.({
      kind: 'balance_credited',
      paymentId: credit.paymentId,
      message: `Rp ${credit.amount} of payment ${credit.paymentId} (order ${credit.orderId}, asked Rp ${credit.expectedAmount}) was credited to the balance of user ${credit.userId}`,
      detail: {
        order_id: credit.orderId,
        user_id: credit.userId,
        credited: credit.amount,
        reason: credit.reason,
      },
    });
    return credit;
  }

  /** Creates the QRIS payment of a pending order; on failure the order fails and gives everything back. */
  async function payByQris(
    order: StoreOrder,
    amount: number,
    description: string,
    metadata: Record<string, unknown>,
  ): Promise<PaymentView> {
    let payment: PaymentView;
    try {
      payment = await payments.createForLicense(account.partnerId, account.licenseId, {
        transactionId: order.id,
        amount,
        paymentType: 'QRIS',
        expiryMinutes,
        description,
        metadata: { ...metadata, store_order_id: order.id },
      });
    } catch (error) {
      await failOrder(db, order.id, { buyerTold: true });
      throw new StoreError(
        'PAYMENT_FAILED',
        `the payment of order ${order.id} could not be created`,
        { order_id: order.id },
        { cause: error },
      );
    }
    await attachPayment(db, order.id, payment.id);
    return payment;
  }

  /**
   * Checkout with voucher and balance: the order in one transaction (voucher claimed, balance part
   * debited, an order with nothing left to pay sold at once), then the QRIS payment of the rest.
   */
  async function buy(input: CreateOrderInput & { username?: string | undefined }): Promise<Purchase> {
    const created = await createOrder(db, input);
    const { order, quote, charge } = created;
    if (charge.qrisAmount === 0) return { ...created, payment: null };
    const payment = await payByQris(order, charge.qrisAmount, `${created.productName} x${quote.quantity}`, {
      // Seed 000: the Telegram id travels with the payment for easier follow-up.
      telegram_id: input.userId,
      telegram_username: input.username ?? null,
      product_id: input.productId,
      quantity: quote.quantity,
    });
    return { ...created, order: { ...order, paymentId: payment.id }, payment };
  }

  /** Links an order with no payment to the one checkout made, or fails it when there is none. */
  async function adoptOrphan(orderId: string): Promise<boolean> {
    try {
      const payment = await payments.get(account.partnerId, orderId);
      await attachPayment(db, orderId, payment.id);
      return false;
    } catch (error) {
      if (!(error instanceof QuickCartError && error.code === 'NOT_FOUND')) throw error;
      return failOrder(db, orderId, { buyerTold: false });
    }
  }

  return {
    db,
    account,

    /**
     * Checkout by QRIS: the order and its reserved items in one transaction, then the payment
     * (outside it, like every payment). When the payment cannot be made the order fails and its
     * items go back on sale; PAYMENT_FAILED carries the payment error as `cause`.
     */
    async checkout(
      input: Omit<CreateOrderInput, 'balance' | 'voucherCode'> & { username?: string | undefined },
    ): Promise<Checkout> {
      const purchase = await buy(input);
      if (!purchase.payment) throw new Error(`order ${purchase.order.id} needed no QRIS payment`);
      return { ...purchase, payment: purchase.payment };
    },

    buy,

    /** A QRIS top-up of the buyer's balance (Rp 10,000 or more, fee on top); credited once paid. */
    async topup(input: {
      userId: number;
      chatId: number;
      amount: number;
      checkoutKey?: string | undefined;
    }): Promise<TopupCheckout> {
      const priced = topupQuote(input.amount);
      const order = await createTopupOrder(db, input);
      const payment = await payByQris(order, priced.total, `Top up saldo Rp ${priced.amount}`, {
        telegram_id: input.userId,
        topup_amount: priced.amount,
      });
      return { order: { ...order, paymentId: payment.id }, amount: priced.amount, fee: priced.fee, payment };
    },

    /** A buyer's balance (and the ledger's sum, always equal). */
    balance(userId: number) {
      return balanceOf(db, userId);
    },

    /** Settles an order against its payment now (the "Status Pembayaran" button, a notification). */
    async refresh(orderId: string): Promise<SettleResult & { credited: StrayCredit | null }> {
      const result = await settleOrder(db, orderId);
      if (result.order.status === 'pending') return { ...result, credited: null };
      const credited = await creditStray(orderId).catch((error: Error) => {
        logger.error(
          { order_id: orderId, err: logMessage(error) },
          'store: could not credit a stray payment',
        );
        return null;
      });
      return { ...result, credited };
    },

    /**
     * Cancels a buyer's pending order: the payment is cancelled first (upstream too), then the
     * order follows it. When the payment turned out paid, the order is paid instead.
     */
    async cancel(orderId: string, userId: number): Promise<SettleResult> {
      const found = await getOrder(db, orderId);
      if (!found || found.order.userId !== userId) {
        throw new StoreError('ORDER_NOT_FOUND', `order ${orderId} not found`, { order_id: orderId });
      }
      const { order } = found;
      if (order.status === 'pending' && order.paymentId) {
        try {
          await payments.cancel(account.partnerId, order.paymentId);
        } catch (error) {
          // CONFLICT: paid (or settled) meanwhile; the settle below tells which.
          if (!(error instanceof QuickCartError && error.code === 'CONFLICT')) throw error;
        }
      } else if (order.status === 'pending') {
        await adoptOrphan(order.id);
      }
      return settleOrder(db, orderId);
    },

    /** The order's payment, as the payments domain reports it. */
    async paymentOf(order: Pick<StoreOrder, 'paymentId' | 'id'>): Promise<PaymentView> {
      return payments.get(account.partnerId, order.paymentId ?? order.id);
    },

    /** Calls `listener` on every status change of an order's payment until the return is called. */
    watch(paymentId: string, listener: (payment: PaymentView) => void): Promise<() => void> {
      return payments.subscribe(account.partnerId, paymentId, listener);
    },

    getOrder(orderId: string): Promise<OrderWithItems | null> {
      return getOrder(db, orderId);
    },

    /** One sweep: settle what the payments domain settled, fail orphans. Never throws per order. */
    async sweep(limit = 100): Promise<StoreSweepReport> {
      const report: StoreSweepReport = { settled: [], orphansFailed: 0, credited: [] };
      for (const orderId of await ordersWithoutPayment(
        db,
        new Date(now().getTime() - orphanAfterMs),
        limit,
      )) {
        await adoptOrphan(orderId).then(
          (failed) => failed && report.orphansFailed++,
          (error: Error) =>
            logger.error(
              { order_id: orderId, err: logMessage(error) },
              'store: could not adopt an orphan order',
            ),
        );
      }
      for (const orderId of await ordersToSettle(db, limit)) {
        await settleOrder(db, orderId).then(
          (result) => result.changed && report.settled.push(orderId),
          (error: Error) =>
            logger.error({ order_id: orderId, err: logMessage(error) }, 'store: could not settle an order'),
        );
      }
      for (const orderId of await ordersWithStrayPayments(db, limit)) {
        await creditStray(orderId).then(
          (credit) => credit && report.credited.push(credit),
          (error: Error) =>
            logger.error(
              { order_id: orderId, err: logMessage(error) },
              'store: could not credit a stray payment',
            ),
        );
      }
      return report;
    },
  };
}
