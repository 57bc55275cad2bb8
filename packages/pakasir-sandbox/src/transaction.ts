// The sandbox's record of one transaction, and how its status and price are worked out.
import {
  type ApiVersion,
  estimateFee,
  type Metadata,
  type PaymentMethod,
  qrisFee,
  type TransactionStatus,
} from '@quickcart/pakasir';

/**
 * How a transaction is paid: a Pakasir payment method, v2's "payment_link" (the payer picks on
 * the hosted page; shown as QRIS until then) or "paypal" (the `/paypal/` page).
 */
export type SandboxMethod = PaymentMethod | 'payment_link' | 'paypal';

/** One transaction as the sandbox keeps it (and writes it to the state file). */
export interface TransactionRecord {
  /** 1, 2, 3 … in creation order; seeds the transaction's random stream. */
  seq: number;
  txnId: string;
  project: string;
  orderId: string;
  amount: number;
  method: SandboxMethod;
  /** Whether the pay page may change the method: created by a `/pay` URL or as a payment_link. */
  methodOpen: boolean;
  fee: number;
  totalPayment: number;
  /** QRIS string, VA number or retail code for the method shown; "" for PayPal. */
  paymentNumber: string;
  /** The 19-character reference in the QRIS (tag 62.05). */
  reference: string;
  metadata?: Metadata;
  /** The API that created it; decides the webhook's shape. */
  version: ApiVersion;
  /** Epoch milliseconds of the sandbox clock. */
  createdAt: number;
  expiresAt: number;
  /** `expiresAt` as Pakasir writes it, with nanoseconds. */
  expiredAt: string;
  /** Stored status; "expired" is never stored, it is read from the clock (see `statusAt`). */
  status: 'pending' | 'completed' | 'canceled';
  /** Pakasir's `completed_at`, e.g. "2025-09-10T08:07:02.819+07:00". */
  completedAt: string | null;
}

/** The status Pakasir would report at `now`: a pending transaction past its expiry reads "expired". */
export function statusAt(txn: TransactionRecord, now: number): TransactionStatus {
  return txn.status === 'pending' && now >= txn.expiresAt ? 'expired' : txn.status;
}

/** The method whose details the payer sees: a payment link shows QRIS until another is picked. */
export function shownMethod(method: SandboxMethod): PaymentMethod | 'paypal' {
  return method === 'payment_link' ? 'qris' : method;
}

/**
 * The fee Pakasir adds for `method`: `qrisFee` for QRIS (and payment links, shown as QRIS),
 * `estimateFee` for the others. Pakasir publishes no PayPal fee; the sandbox charges none.
 */
export function feeFor(method: SandboxMethod, amount: number): number {
  const shown = shownMethod(method);
  if (shown === 'paypal') return 0;
  return shown === 'qris' ? qrisFee(amount) : estimateFee(shown, amount);
}
