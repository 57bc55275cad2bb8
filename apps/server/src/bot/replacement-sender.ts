import type { Api } from 'grammy';
import type { Db } from '../db/types.js';
import type { Logger } from '../payments/alerts.js';
import {
  claimReplacementDelivery,
  markReplacementDelivered,
  REPLACEMENT_LEASE_MS,
  replacementsToDeliver,
} from '../store/replacements.js';
import type { Delivery } from './delivery.js';

/**
 * Sends approved replacements to their buyers: right after an admin's approval (`deliver`), and
 * from the sweeper (`sweep`, a periodic job) for those a crash or a Telegram failure left unsent.
 * A sender claims a replacement with a lease, sends the new item as delivery sends goods (a
 * message, or a .txt document when long: `Delivery.sendContent`), then marks it delivered.
 */
export interface ReplacementSenderOptions {
  db: Db;
  api: Api;
  delivery: Delivery;
  logger: Logger;
  redact: (error: unknown) => string;
  leaseMs?: number;
}

export class ReplacementSender {
  readonly #options: ReplacementSenderOptions;

  constructor(options: ReplacementSenderOptions) {
    this.#options = options;
  }

  /** Sends one approved replacement unless it was sent or someone else is sending it; true when this call sent it. */
  async deliver(replacementId: number): Promise<boolean> {
    const { db, api, delivery, logger, redact } = this.#options;
    const claimed = await claimReplacementDelivery(
      db,
      replacementId,
      this.#options.leaseMs ?? REPLACEMENT_LEASE_MS,
    );
    if (!claimed) return false;
    const { replacement, chatId, productName, content } = claimed;
    try {
      const t = await delivery.messagesOf(replacement.userId);
      await api.sendMessage(chatId, t.replacementIntro(replacement.orderId));
      await delivery.sendContent(chatId, replacement.orderId, productName, content, t);
    } catch (error) {
      logger.warn(
        { replacement_id: replacementId, order_id: replacement.orderId, err: redact(error) },
        'store: could not send a replacement; will retry',
      );
      return false;
    }
    await markReplacementDelivered(db, replacementId);
    return true;
  }

  /** One pass over the approved replacements still to be sent. */
  async sweep(limit = 50): Promise<{ delivered: number }> {
    const { db, logger, redact } = this.#options;
    let delivered = 0;
    for (const replacementId of await replacementsToDeliver(db, limit)) {
      try {
        if (await this.deliver(replacementId)) delivered++;
      } catch (error) {
        logger.error(
          { replacement_id: replacementId, err: redact(error) },
          'store: replacement sweep failed',
        );
      }
    }
    return { delivered };
  }
}
