import { type Api, InputFile } from 'grammy';
import type { StoreOrder } from '../db/schema.js';
import type { Logger } from '../payments/alerts.js';
import {
  claimNotification,
  MAX_NOTIFY_ATTEMPTS,
  markNotified,
  NOTIFY_LEASE_MS,
  ordersToNotify,
} from '../store/notify.js';
import type { OrderWithItems } from '../store/orders.js';
import type { Store } from '../store/service.js';
import type { StrayCredit } from '../store/stray.js';
import { userLanguage } from '../store/users.js';
import { backToMenuKeyboard } from './keyboards.js';
import { type Messages, messagesFor } from './messages/index.js';

/**
 * Telling buyers how their orders ended: goods after payment, notices after expiry or cancel.
 * Three triggers call `process(orderId)`, and any number may race:
 * - `watch()`: the payment's status notification, the fast path;
 * - `sweep()`: every few seconds and at start, so nothing depends on an in-memory event (a
 *   crash, a restart between payment and delivery, a lost notification);
 * - the buyer's "Status Pembayaran" / "Batalkan" buttons.
 * `process` settles the order (goods assigned once, in the database), then claims the telling with
 * a lease, sends, and marks the order notified (`paid` → `delivered`). Each buyer is told in the
 * language stored for them (`store_users.language`), whoever triggered the telling.
 */

/** Above this many characters the content goes as a .txt document (a message holds 4096). */
export const MAX_INLINE_CONTENT = 3500;

export interface DeliveryOptions {
  store: Store;
  api: Api;
  logger: Logger;
  redact: (error: unknown) => string;
  /** Told when an order's goods cannot reach the buyer after every attempt. */
  onUndeliverable?: (order: StoreOrder) => void;
  leaseMs?: number;
}

export class Delivery {
  readonly #watches = new Map<string, () => void>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #options: DeliveryOptions;
  #closed = false;

  constructor(options: DeliveryOptions) {
    this.#options = options;
  }

  /**
   * Settles the order and, when its buyer is still to be told and nobody else is telling them,
   * tells them. Returns whether this call told the buyer. Never throws for a Telegram failure:
   * the lease expires and the sweeper tries again.
   */
  async process(orderId: string): Promise<boolean> {
    const { store, logger, redact } = this.#options;
    // A payment no order took (paid late, another amount) went to the balance: the buyer hears of it.
    const { credited } = await store.refresh(orderId);
    if (credited) await this.tellCredit(credited);
    const claimed = await claimNotification(store.db, orderId, this.#options.leaseMs ?? NOTIFY_LEASE_MS);
    if (!claimed) return false;
    const found = await store.getOrder(orderId);
    if (!found) return false;
    try {
      await this.#tell(found);
    } catch (error) {
      logger.warn(
        { order_id: orderId, attempt: claimed.notifyAttempts, err: redact(error) },
        'store: could not tell the buyer; will retry',
      );
      if (claimed.notifyAttempts >= MAX_NOTIFY_ATTEMPTS) this.#options.onUndeliverable?.(claimed);
      return false;
    }
    await markNotified(store.db, orderId);
    return true;
  }

  /** One pass over what the store's sweep settles and every order still to be told. */
  async sweep(limit = 100): Promise<{ told: number }> {
    const { store, logger, redact } = this.#options;
    const report = await store.sweep(limit);
    // Money no order took (paid late, another amount) went to the buyer's balance: tell them.
    for (const credit of report.credited) await this.tellCredit(credit);
    let told = 0;
    for (const orderId of await ordersToNotify(store.db, limit)) {
      if (this.#closed) break;
      try {
        if (await this.process(orderId)) told++;
      } catch (error) {
        logger.error({ order_id: orderId, err: redact(error) }, 'store: delivery sweep failed for an order');
      }
    }
    return { told };
  }

  /** Processes the order as soon as its payment leaves `pending` (in this process). */
  async watch(order: Pick<StoreOrder, 'id' | 'paymentId'>): Promise<void> {
    if (!order.paymentId || this.#closed || this.#watches.has(order.id)) return;
    const { store, logger, redact } = this.#options;
    const stop = await store.watch(order.paymentId, (payment) => {
      if (payment.status === 'pending') return;
      this.#unwatch(order.id);
      const work = this.process(order.id).catch((error: unknown) =>
        logger.error(
          { order_id: order.id, err: redact(error) },
          'store: delivery after a payment change failed',
        ),
      );
      this.#inFlight.add(work);
      void work.finally(() => this.#inFlight.delete(work));
    });
    if (this.#closed) return stop();
    this.#watches.set(order.id, stop);
  }

  /** Resolves when the deliveries started by watches are done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** How many orders are watched (tests). */
  get watching(): number {
    return this.#watches.size;
  }

  /** Stops every watch; later calls of `process` still work (the sweeper may be finishing). */
  close(): void {
    this.#closed = true;
    for (const stop of this.#watches.values()) stop();
    this.#watches.clear();
  }

  #unwatch(orderId: string): void {
    this.#watches.get(orderId)?.();
    this.#watches.delete(orderId);
  }

  /** The messages of an order's outcome. */
  async #tell({ order, items }: OrderWithItems): Promise<void> {
    const t = await this.messagesOf(order.userId);
    if (order.kind === 'topup' && order.status !== 'expired' && order.status !== 'failed')
      return this.#tellTopup(order, t);
    switch (order.status) {
      case 'paid':
      case 'delivered': {
        await this.#editQr(order, t.qrPaidCaption(order.id, order.totalBill));
        for (const item of items)
          await this.sendContent(order.chatId, order.id, item.productName, item.content ?? '', t);
        await this.#options.api.sendMessage(order.chatId, t.confirmation(t.orderItems(items), order.id), {
          reply_markup: backToMenuKeyboard(t),
        });
        return;
      }
      case 'expired':
        await this.#editQr(order, t.qrExpiredCaption(order.id));
        await this.#options.api.sendMessage(order.chatId, t.expired, { reply_markup: backToMenuKeyboard(t) });
        return;
      case 'cancelled':
        await this.#editQr(order, t.qrCancelledCaption(order.id));
        await this.#options.api.sendMessage(order.chatId, t.cancelled(order.id), {
          reply_markup: backToMenuKeyboard(t),
        });
        return;
      case 'failed':
        await this.#editQr(order, t.qrFailedCaption(order.id));
        await this.#options.api.sendMessage(order.chatId, t.paymentCreateFailed);
        return;
      case 'pending':
        return;
    }
  }

  /** A top-up's outcome: the balance it added (issue 9), or that it was cancelled. */
  async #tellTopup(order: StoreOrder, t: Messages): Promise<void> {
    const { api, store } = this.#options;
    if (order.status === 'pending') return;
    if (order.status === 'cancelled') {
      await this.#editQr(order, t.qrCancelledCaption(order.id));
      await api.sendMessage(order.chatId, t.topupCancelled(order.id), {
        reply_markup: backToMenuKeyboard(t),
      });
      return;
    }
    await this.#editQr(order, t.topupQrPaidCaption(order.id, order.totalBill));
    const { balance } = await store.balance(order.userId);
    await api.sendMessage(order.chatId, t.topupDone(order.subtotal, balance), {
      reply_markup: backToMenuKeyboard(t),
    });
  }

  /** Tells a buyer that a stray payment was credited to their balance; a failure is only logged. */
  async tellCredit(credit: StrayCredit): Promise<void> {
    const { api, store, logger, redact } = this.#options;
    try {
      const t = await this.messagesOf(credit.userId);
      const { balance } = await store.balance(credit.userId);
      const text =
        credit.reason === 'late_payment'
          ? t.lateCredited(credit.orderId, credit.amount, balance)
          : t.mismatchCredited(credit.orderId, credit.amount, balance);
      // A private chat's id is the user's.
      await api.sendMessage(credit.userId, text);
    } catch (error) {
      logger.warn(
        { order_id: credit.orderId, err: redact(error) },
        'store: could not tell the buyer about a balance credit',
      );
    }
  }

  /** The texts in a buyer's stored language (Bahasa Indonesia when none), for messages outside an update. */
  async messagesOf(userId: number): Promise<Messages> {
    return messagesFor(await userLanguage(this.#options.store.db, userId));
  }

  /**
   * Sends purchased content in the buyer's texts `t`: a message, or a .txt document when it is long
   * (also for /orders).
   */
  async sendContent(
    chatId: number,
    orderId: string,
    productName: string,
    content: string,
    t: Messages,
  ): Promise<void> {
    const { api } = this.#options;
    const text = t.deliveryText(productName, content);
    if (text.length <= MAX_INLINE_CONTENT) {
      await api.sendMessage(chatId, text);
      return;
    }
    await api.sendDocument(chatId, new InputFile(Buffer.from(`${content}\n`, 'utf8'), `${orderId}.txt`), {
      caption: t.deliveryDocumentCaption(productName, orderId),
    });
  }

  /** Replaces the QR photo's caption and buttons; a message that is gone or too old is no reason to stop. */
  async #editQr(order: StoreOrder, caption: string): Promise<void> {
    if (order.qrMessageId === null) return;
    try {
      await this.#options.api.editMessageCaption(order.chatId, order.qrMessageId, {
        caption,
        reply_markup: { inline_keyboard: [] },
      });
    } catch (error) {
      this.#options.logger.info(
        { order_id: order.id, err: this.#options.redact(error) },
        'store: could not edit the QR message (continuing)',
      );
    }
  }
}
