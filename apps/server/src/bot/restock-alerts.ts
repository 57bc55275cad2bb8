import { type Api, InlineKeyboard } from 'grammy';
import type { Db } from '../db/types.js';
import type { Logger } from '../payments/alerts.js';
import { unitPrice } from '../store/pricing.js';
import { claimRestockAlerts, type RestockAlert } from '../store/restock.js';
import { sendPaced, TELEGRAM_MESSAGES_PER_SECOND } from './broadcast.js';
import { cb } from './callback-data.js';
import { messagesFor } from './messages/index.js';

/**
 * Restock alerts' sender: claims waiting subscriptions of products back in stock
 * (store/restock.ts) and tells each buyer once, paced like /broadcast (`sendPaced`, at most 30
 * messages a second). Runs from a periodic job and right after an admin adds stock; in one
 * process one run at a time: a call during a run makes that run go round once more, so stock
 * added meanwhile is not missed.
 */
export interface RestockAlertsOptions {
  db: Db;
  api: Api;
  logger: Logger;
  redact: (error: unknown) => string;
  perSecond?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Stops between two seconds of sending (the bot is stopping). */
  signal?: AbortSignal;
}

export class RestockAlerts {
  readonly #options: RestockAlertsOptions;
  #running: Promise<number> | undefined;
  #again = false;

  constructor(options: RestockAlertsOptions) {
    this.#options = options;
  }

  /** Sends every alert due now; resolves with how many buyers the run told. Never rejects. */
  run(): Promise<number> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const running = (async () => {
      let told = 0;
      do {
        this.#again = false;
        told += await this.#pass().catch((error: unknown) => {
          this.#options.logger.error({ err: this.#options.redact(error) }, 'store: restock alerts failed');
          return 0;
        });
      } while (this.#again && !this.#options.signal?.aborted);
      return told;
    })();
    this.#running = running;
    void running.finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    return running;
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #pass(): Promise<number> {
    const { db, api, logger, redact } = this.#options;
    const result = await sendPaced<RestockAlert>({
      perSecond: this.#options.perSecond ?? TELEGRAM_MESSAGES_PER_SECOND,
      // Banned buyers' subscriptions are claimed (never retried) but not told.
      next: async (size) => {
        for (;;) {
          const claimed = await claimRestockAlerts(db, size);
          const tellable = claimed.filter((alert) => !alert.isBanned);
          if (tellable.length > 0 || claimed.length === 0) return tellable;
        }
      },
      send: (alert) => {
        const t = messagesFor(alert.language ?? 'id');
        return api.sendMessage(
          alert.userId,
          t.restockAlert(alert.productName, unitPrice(alert, alert.memberStatus)),
          {
            reply_markup: new InlineKeyboard().text(t.buttonOpenProduct, cb.product(alert.productId)),
          },
        );
      },
      onFailure: (alert, error) =>
        logger.info(
          { user_id: alert.userId, product_id: alert.productId, err: redact(error) },
          'store: a restock alert was not delivered',
        ),
      ...(this.#options.now && { now: this.#options.now }),
      ...(this.#options.sleep && { sleep: this.#options.sleep }),
      ...(this.#options.signal && { signal: this.#options.signal }),
    });
    return result.sent;
  }
}
