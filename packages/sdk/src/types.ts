// The wire shapes of QuickCart's payment API, in the seeds' snake_case: seed 002 (payment module:
// QRIS for POS) and seed 004 (partner payments: QRIS or checkout page). Optional request fields
// also accept `undefined`, which is not sent.

/** Payment types of seed 004, usable as values (`PartnerPaymentType.QRIS`) or string literals. */
export const PartnerPaymentType = {
  /** A QRIS code; default expiry 30 minutes. */
  QRIS: 'QRIS',
  /** A hosted checkout page (`payment_url`); default expiry 120 minutes. */
  CHECKOUT_PAGE: 'CHECKOUT_PAGE',
} as const;
export type PartnerPaymentType = (typeof PartnerPaymentType)[keyof typeof PartnerPaymentType];

/** The statuses partners see. `pending` is the only one that ever changes. */
export type PaymentStatusValue = 'pending' | 'paid' | 'expired' | 'cancelled';

/** Statuses that never change again: `waitForPayment` resolves on any of them. */
export const TERMINAL_STATUSES: readonly PaymentStatusValue[] = ['paid', 'expired', 'cancelled'];

/** Free-form JSON kept with the payment and echoed back (at most 8 KB). */
export type Metadata = Record<string, unknown>;

/** Who paid, when the gateway tells (seed 002 `payer_info`). */
export interface PayerInfo {
  bank?: string;
  account_name?: string;
  payment_method?: string;
}

/** A line of a checkout page (seed 004 `items`). */
export interface PaymentItem {
  id?: string | number | undefined;
  name: string;
  /** Integer rupiah. */
  price: number;
  quantity: number;
}

// ---------------------------------------------------------------------------------------------
// Seed 002: the payment module

/** `payment.generateQRIS()` parameters. */
export interface GenerateQRISParams {
  license_key: string;
  /** Integer rupiah, at least 1000. */
  amount: number;
  /** Your id of the payment, unique per account (default: QuickCart makes one up). */
  reference_id?: string | undefined;
  description?: string | undefined;
  metadata?: Metadata | undefined;
}

/** `payment.generateQRIS()` answer. `transaction_id` is QuickCart's id (`pay_…`). */
export interface QRISResponse {
  /** Always true on the wire; optional here so that seed 002's `{ success: true, ...qris }` compiles. */
  success?: true;
  transaction_id: string;
  reference_id: string;
  /** The QRIS string to draw. */
  qris_string: string;
  /** A PNG of the code, served by QuickCart. */
  qris_image_url: string;
  amount: number;
  /** ISO 8601. */
  expires_at: string;
  status: PaymentStatusValue;
  metadata?: Metadata;
}

/** `payment.checkPaymentStatus()` answer: both ids, so either kind of caller finds its own. */
export interface PaymentStatus {
  /** Always true on the wire; optional here so that seed 002's `{ success: true, ...status }` compiles. */
  success?: true;
  /** QuickCart's id (`pay_…`), as seed 002 names it. */
  transaction_id: string;
  /** QuickCart's id again, as seed 004 names it. */
  payment_id: string;
  /** Your id: seed 002's `reference_id`, seed 004's `transaction_id`. */
  reference_id: string;
  status: PaymentStatusValue;
  amount: number;
  payment_type: PartnerPaymentType;
  description?: string;
  created_at: string;
  expires_at: string;
  /** Set once paid. */
  paid_at?: string;
  payer_info?: PayerInfo;
  metadata?: Metadata;
}

/** `payment.waitForPayment()` answer: a payment in a terminal status. */
export interface WaitForPaymentResult extends PaymentStatus {
  /** Always false here: a wait that runs out throws `PaymentTimeoutError`. */
  timeout: boolean;
}

/** `payment.cancelPayment()` answer. */
export interface CancelPaymentResponse extends PaymentStatus {
  message: string;
}

/** `payment.waitForPayment()` options (seed 002). */
export interface WaitForPaymentOptions {
  /** Give up after this many ms (default 10 minutes) with a `PaymentTimeoutError`. */
  timeout?: number | undefined;
  /**
   * Pause in ms before asking again after a failed or cut-short long-poll (default 2000). The wait
   * itself is a long-poll: the answer comes the moment the payment leaves `pending`.
   */
  interval?: number | undefined;
  /** Stops waiting: rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

// ---------------------------------------------------------------------------------------------
// Seed 004: partner payments

/** `partnerPayment.generate()` parameters: the raw request. */
export interface GeneratePaymentParams {
  /** Your id of the payment, unique per account. */
  transaction_id: string;
  /** Integer rupiah, at least 1000. */
  amount: number;
  license_key: string;
  /** Default QRIS. */
  payment_type?: PartnerPaymentType | undefined;
  description?: string | undefined;
  /** 1 to 1440; default 30 for QRIS, 120 for CHECKOUT_PAGE. */
  expiry_minutes?: number | undefined;
  /** Where this payment's webhook goes, instead of your account's URL. */
  webhook_url?: string | undefined;
  /** CHECKOUT_PAGE: where the page's "back" button leads. */
  back_url?: string | undefined;
  items?: PaymentItem[] | undefined;
  customer_name?: string | undefined;
  customer_email?: string | undefined;
  customer_phone?: string | undefined;
  metadata?: Metadata | undefined;
}

/** `partnerPayment.generateQris()` parameters (camelCase, seed 004). */
export interface GenerateQrisParams {
  transactionId: string;
  amount: number;
  licenseKey: string;
  description?: string | undefined;
  /** Default 30. */
  expiryMinutes?: number | undefined;
  webhookUrl?: string | undefined;
  customerName?: string | undefined;
  customerEmail?: string | undefined;
  customerPhone?: string | undefined;
  metadata?: Metadata | undefined;
}

/** `partnerPayment.generateCheckoutPage()` parameters (camelCase, seed 004). */
export interface GenerateCheckoutPageParams extends GenerateQrisParams {
  /** Default 120. */
  expiryMinutes?: number | undefined;
  backUrl?: string | undefined;
  items?: PaymentItem[] | undefined;
}

/** The QR of a QRIS payment. */
export interface PartnerQris {
  /** The QRIS string. */
  qr_content: string;
  /** A PNG of the code, served by QuickCart. */
  qr_image_url: string;
}

/** Seed 004 PartnerPaymentResponse. `payment_id` is QuickCart's id, `transaction_id` yours. */
export interface PartnerPaymentResponse {
  success: true;
  payment_id: string;
  transaction_id: string;
  amount: number;
  payment_type: PartnerPaymentType;
  status: PaymentStatusValue;
  /** CHECKOUT_PAGE only: the hosted page to send the customer to. */
  payment_url: string | null;
  expires_at: string;
  /** QRIS only. */
  qris: PartnerQris | null;
}
