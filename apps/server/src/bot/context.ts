import type { Context } from 'grammy';
import type { AdminRole, StoreUser } from '../db/schema.js';
import type { Logger } from '../payments/alerts.js';
import type { PaymentView } from '../payments/contract.js';
import type { Store } from '../store/service.js';
import type { AdminAlerts } from './alerts.js';
import type { Delivery } from './delivery.js';
import type { Messages } from './messages/index.js';
import type { BotLimits } from './rate-limit.js';
import type { ReplacementSender } from './replacement-sender.js';
import type { RestockAlerts } from './restock-alerts.js';
import type { AdminRoles } from './roles.js';

/** What the middleware puts on every update's context before the handlers run. */
export interface StoreFlavor {
  /** The store user who sent the update (upserted), with ban and member status. */
  user: StoreUser;
  /** Texts in the user's language. */
  t: Messages;
  /** The user's admin role (owner: everything; staff: stock and orders), or null for buyers. */
  adminRole: AdminRole | null;
  /** `adminRole !== null`. */
  isAdmin: boolean;
}

export type BotContext = Context & StoreFlavor;

/** What the handlers need from the rest of QuickCart. */
export interface BotDeps {
  store: Store;
  delivery: Delivery;
  alerts: AdminAlerts;
  /** Sends approved replacements to buyers (after an approval; its sweeper after a crash). */
  replacements: ReplacementSender;
  /** Restock alerts: `run()` tells waiting buyers of products back in stock (after /addstock too). */
  restock: RestockAlerts;
  adminIds: ReadonlySet<number>;
  /** Admin roles by Telegram id (owners: adminIds; staff: store_admins), cached briefly. */
  adminRoles: AdminRoles;
  /** Welcome sticker file id (seed 003); undefined: none. */
  welcomeSticker: string | undefined;
  /** Seed 003: is the gateway up, before a QR is offered? Never throws. */
  checkGateway: () => Promise<boolean>;
  /**
   * Sandbox mode: pays a payment through the sandbox (the "Simulasi Bayar (sandbox)" button).
   * Undefined in live mode: no such button.
   */
  simulatePayment: ((paymentId: string) => Promise<unknown>) | undefined;
  /** The "Checkout Page" button's URL for a payment. */
  checkoutUrl: (payment: PaymentView) => string;
  /** QRIS string → PNG (default: @quickcart/qris `toPng`). */
  renderQr: (qris: string) => Promise<Buffer>;
  /** Downloads a file the user sent (admins' .txt stock files); throws on failure. */
  downloadFile: (fileId: string, maxBytes: number) => Promise<Buffer>;
  limits: BotLimits;
  now: () => Date;
  logger: Logger;
  /** A token-free description of an error (for logs). */
  redact: (error: unknown) => string;
  /** Background work (broadcasts) that stopping the bot waits for. */
  track: (work: Promise<unknown>) => void;
  /** Aborted when the bot stops: background work ends early. */
  stopping: AbortSignal;
}

/**
 * The quantity each user has chosen on a product page, in memory (seed 003's plus/minus buttons
 * carry no quantity). Lost on restart, which only resets a choice to 1. Bounded: the oldest
 * entries go first.
 */
export class QuantityMemory {
  readonly #chosen = new Map<number, { productId: number; quantity: number }>();
  constructor(private readonly max = 10_000) {}

  get(userId: number, productId: number): number {
    const entry = this.#chosen.get(userId);
    return entry?.productId === productId ? entry.quantity : 1;
  }

  set(userId: number, productId: number, quantity: number): void {
    this.#chosen.delete(userId);
    this.#chosen.set(userId, { productId, quantity });
    if (this.#chosen.size > this.max) {
      const oldest = this.#chosen.keys().next().value;
      if (oldest !== undefined) this.#chosen.delete(oldest);
    }
  }

  clear(userId: number): void {
    this.#chosen.delete(userId);
  }
}
