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
import { backToMenuKeyboard } from './keyboards.js';
import type { Messages } from './messages/index.js';

/**
 * Telling buyers how their orders ended: goods after payment, notices after expiry or cancel.
 * Three triggers call `process(orderId)`, and any number may race:
 * - `watch()`: the payment's status notification, the fast path;
 * - `sweep()`: every few seconds and at start, so nothing depends on an in-memory event (a
 *   crash, a restart between payment and delivery, a lost notification);
 * - the buyer's "Status Pembayaran" / "Batalkan" buttons.
 * `process` settles the order (goods assigned once, in the database), then claims the telling with
 * a lease, sends, and marks the order notified (`paid` → `delivered`).
 */

/** Above this many characters the content goes as a .txt document (a message holds 4096). */
export const MAX_INLINE_CONTENT = 3500;

export interface DeliveryOptions {
  store: Store;
  api: Api;
  messages: Messages;
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
    await store.refresh(orderId);
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
    await store.sweep(limit);
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
    const { messages: t } = this.#options;
    switch (order.status) {
      case 'paid':
      case 'delivered': {
        await this.#editQr(order, t.qrPaidCaption(order.id, order.totalBill));
        for (const item of items)
          await this.sendContent(order.chatId, order.id, item.productName, item.content ?? '');
        const names = items.map((item) => `${item.productName} ×${item.quantity}`).join(', ');
        await this.#options.api.sendMessage(order.chatId, t.confirmation(names, order.id), {
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

  /** Sends purchased content: a message, or a .txt document when it is long (also for /orders). */
  async sendContent(chatId: number, orderId: string, productName: string, content: string): Promise<void> {
    const { api, messages: t } = this.#options;
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
