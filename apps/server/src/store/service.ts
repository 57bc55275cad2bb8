import type { StoreOrder } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { type Logger, silentLogger } from '../payments/alerts.js';
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
}

/** A created order and its payment (QR string, expiry). */
export interface Checkout extends CreatedOrder {
  payment: PaymentView;
}

/** What one sweep did. */
export interface StoreSweepReport {
  settled: string[];
  orphansFailed: number;
}

export type Store = ReturnType<typeof createStore>;

/** The store service. @example const store = createStore({ db, payments, account }); */
export function createStore(options: StoreOptions) {
  const { db, payments, account } = options;
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const expiryMinutes = options.paymentExpiryMinutes ?? 10;
  const orphanAfterMs = options.orphanAfterMs ?? 5 * 60_000;

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
     * Checkout: the order and its reserved items in one transaction, then the payment (outside
     * it, like every payment). When the payment cannot be made the order fails and its items go
     * back on sale; PAYMENT_FAILED carries the payment error as `cause`.
     */
    async checkout(input: CreateOrderInput & { username?: string | undefined }): Promise<Checkout> {
      const created = await createOrder(db, input);
      const { order, quote } = created;
      let payment: PaymentView;
      try {
        payment = await payments.createForLicense(account.partnerId, account.licenseId, {
          transactionId: order.id,
          amount: quote.total,
          paymentType: 'QRIS',
          expiryMinutes,
          description: `${created.productName} x${quote.quantity}`,
          // Seed 000: the Telegram id travels with the payment for easier follow-up.
          metadata: {
            telegram_id: input.userId,
            telegram_username: input.username ?? null,
            product_id: input.productId,
            quantity: quote.quantity,
            store_order_id: order.id,
          },
        });
      } catch (error) {
        await failOrder(db, order.id, { buyerTold: true });
        throw new StoreError(
          'PAYMENT_FAILED',
          `the payment of order ${order.id} could not be created`,
          {
            order_id: order.id,
          },
          { cause: error },
        );
      }
      await attachPayment(db, order.id, payment.id);
      return { ...created, order: { ...order, paymentId: payment.id }, payment };
    },

    /** Settles an order against its payment now (the "Status Pembayaran" button, a notification). */
    async refresh(orderId: string): Promise<SettleResult> {
      return settleOrder(db, orderId);
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
      const report: StoreSweepReport = { settled: [], orphansFailed: 0 };
      for (const orderId of await ordersWithoutPayment(
        db,
        new Date(now().getTime() - orphanAfterMs),
        limit,
      )) {
        await adoptOrphan(orderId).then(
          (failed) => failed && report.orphansFailed++,
          (error: Error) =>
            logger.error({ order_id: orderId, err: error.message }, 'store: could not adopt an orphan order'),
        );
      }
      for (const orderId of await ordersToSettle(db, limit)) {
        await settleOrder(db, orderId).then(
          (result) => result.changed && report.settled.push(orderId),
          (error: Error) =>
            logger.error({ order_id: orderId, err: error.message }, 'store: could not settle an order'),
        );
      }
      return report;
    },
  };
}
