// The payments domain as the HTTP layer, the CLI and the bot see it. The shapes follow seeds 002
// and 004 (snake_case on the wire); the implementation lives in service.ts.
import type { PayerInfo, PaymentItem, PaymentStatus, PaymentType } from '../db/schema.js';

/** What a payment is for: everything of a create but the license that pays for it. */
export interface PaymentDetailsInput {
  /** The partner's own id for the payment, unique per partner (seed 002's reference_id maps here). */
  transactionId: string;
  /** Integer rupiah, >= 1000. */
  amount: number;
  paymentType: PaymentType;
  description?: string;
  /** Default 30 for QRIS, 120 for CHECKOUT_PAGE; 1 to 1440. */
  expiryMinutes?: number;
  webhookUrl?: string;
  backUrl?: string;
  items?: PaymentItem[];
  customerName?: string;
  customerEmail?: string;
  customerPhone?: string;
  /** Seed 002 metadata: kept and echoed, never interpreted. */
  metadata?: Record<string, unknown>;
}

/** Input of `PaymentService.create` (seed 004's raw `generate`, already validated by the route). */
export interface CreatePaymentInput extends PaymentDetailsInput {
  licenseKey: string;
}

/** A payment as the partner sees it; routes map it to the seeds' response shapes. */
export interface PaymentView {
  id: string;
  partnerId: string;
  transactionId: string;
  amount: number;
  paymentType: PaymentType;
  status: PaymentStatus;
  description: string | null;
  /** The upstream QRIS string. */
  qrContent: string;
  expiresAt: Date;
  paidAt: Date | null;
  payerInfo: PayerInfo | null;
  createdAt: Date;
  metadata: Record<string, unknown> | null;
  items: PaymentItem[] | null;
  backUrl: string | null;
}

/** What a long-poll answers: the payment, and whether the wait ran out before a change. */
export interface WaitResult {
  payment: PaymentView;
  timeout: boolean;
}

export interface PaymentService {
  /**
   * One DB transaction: insert the payment, debit one license token, record the event; then the
   * upstream transaction, outside it. Upstream failure: the payment is `failed`, the token refunded
   * through the ledger, and a QuickCartError GATEWAY_ERROR (502) thrown. A reused transaction id:
   * DUPLICATE_TRANSACTION (409), no token spent.
   */
  create(partnerId: string, input: CreatePaymentInput): Promise<PaymentView>;
  /**
   * `create` for in-process callers that hold a license id rather than its key (the Telegram
   * store, which so never has to keep a license key): INVALID_LICENSE when it is not the partner's.
   */
  createForLicense(partnerId: string, licenseId: string, input: PaymentDetailsInput): Promise<PaymentView>;
  /** By payment id or the partner's transaction id; another partner's payment is NOT_FOUND. */
  get(partnerId: string, idOrTransactionId: string): Promise<PaymentView>;
  /**
   * Resolves as soon as the payment leaves `pending` (or at once when it already has), else after
   * `timeoutMs` with `timeout: true`. Driven by notifications, not polling.
   */
  wait(
    partnerId: string,
    id: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<WaitResult>;
  /** Calls `listener` on every status change of the payment until the returned function is called. */
  subscribe(partnerId: string, id: string, listener: (payment: PaymentView) => void): Promise<() => void>;
  /** Cancels upstream and locally; a paid payment is CONFLICT (409). */
  cancel(partnerId: string, id: string): Promise<PaymentView>;
  /** Sandbox mode only: pays through the sandbox so it travels the real webhook path. */
  simulate(partnerId: string, id: string): Promise<PaymentView>;
  /** Releases what the service holds in memory (its read cache); call once when the process stops. */
  close(): void;
}
