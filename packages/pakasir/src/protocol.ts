// Every wire shape of Pakasir's APIs, in one module so it is easy to correct.
// v1: Pakasir's integration docs (seed 001). v2: as seen in public integrations; no official copy
// was at hand, so each v2 shape below is our best reading and the first place to fix.

/** The payment methods of `transactioncreate` (seed 001 §3.3). */
export const PAYMENT_METHODS = [
  'qris',
  'cimb_niaga_va',
  'bni_va',
  'retail',
  'sampoerna_va',
  'bnc_va',
  'maybank_va',
  'permata_va',
  'atm_bersama_va',
  'artha_graha_va',
  'bri_va',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Transaction statuses as Pakasir spells them ("canceled", one l). */
export type TransactionStatus = 'pending' | 'completed' | 'expired' | 'canceled';
export const TRANSACTION_STATUSES: readonly TransactionStatus[] = [
  'pending',
  'completed',
  'expired',
  'canceled',
];

export type ApiVersion = 'v1' | 'v2';

/** Free-form data kept with a transaction and echoed in its webhook (seed 000). */
export type Metadata = Record<string, unknown>;

// ---------------------------------------------------------------- v1 (seed 001)

export const V1_PATHS = {
  /** POST, JSON body V1Credentials & { metadata? } */
  create: (method: string) => `/api/transactioncreate/${encodeURIComponent(method)}`,
  /** GET with query project, amount, order_id, api_key */
  detail: '/api/transactiondetail',
  /** POST, JSON body V1Credentials */
  cancel: '/api/transactioncancel',
  /** POST, JSON body V1Credentials; sandbox projects only */
  simulate: '/api/paymentsimulation',
} as const;

/** The body of every v1 call (and the query of transactiondetail). */
export interface V1Credentials {
  project: string;
  order_id: string;
  amount: number;
  api_key: string;
}

export interface V1CreateRequest extends V1Credentials {
  metadata?: Metadata;
}

/** `transactioncreate` answer, `{ payment: … }`. */
export interface V1Payment {
  project: string;
  order_id: string;
  amount: number;
  fee: number;
  total_payment: number;
  payment_method: PaymentMethod;
  /** The QRIS string for qris, the VA number for VA methods, the payment code for retail. */
  payment_number: string;
  /** RFC 3339 with up to nanoseconds, e.g. "2025-09-19T01:18:49.678622564Z". */
  expired_at: string;
}
export interface V1CreateResponse {
  payment: V1Payment;
}

/** `transactiondetail` answer, `{ transaction: … }`. */
export interface V1Transaction {
  amount: number;
  order_id: string;
  project: string;
  status: TransactionStatus;
  payment_method: PaymentMethod;
  /** Present once completed, e.g. "2025-09-10T08:07:02.819+07:00". */
  completed_at?: string | null;
}
export interface V1DetailResponse {
  transaction: V1Transaction;
}

/** `transactioncancel` and `paymentsimulation` answers. */
export interface V1ActionResponse {
  success: boolean;
  message?: string;
}

/** POSTed to the project's webhook URL on completion (seed 001 §4, §6). */
export interface V1WebhookPayload {
  amount: number;
  order_id: string;
  project: string;
  status: TransactionStatus;
  payment_method: PaymentMethod;
  completed_at: string;
  metadata?: Metadata;
}
/** v1 webhook signature: hex HMAC-SHA256 of the raw body with the webhook secret, optional "sha256=" prefix. */
export const V1_SIGNATURE_HEADER = 'x-pakasir-signature';

// ---------------------------------------------------------------- v2

export const V2_PATHS = {
  /** POST, header X-Api-Key, JSON body V2CreateRequest */
  create: (slug: string, orderId: string) =>
    `/api/v2/create-transaction/${encodeURIComponent(slug)}/${encodeURIComponent(orderId)}`,
  /** GET, header X-Api-Key; one call per 4 s per transaction, 429 beyond */
  status: (slug: string, txnId: string) =>
    `/api/v2/transaction-status/${encodeURIComponent(slug)}/${encodeURIComponent(txnId)}`,
  /** POST, header X-Api-Key */
  cancel: (slug: string, txnId: string) =>
    `/api/v2/cancel-transaction/${encodeURIComponent(slug)}/${encodeURIComponent(txnId)}`,
  /** GET, public */
  fee: (amount: number) => `/api/v2/payment-fee/${amount}`,
  /** The hosted payment page of a v2 transaction. */
  payPage: (txnId: string) => `/pay-v2/${encodeURIComponent(txnId)}`,
} as const;
export const V2_API_KEY_HEADER = 'x-api-key';
/** Minimum spacing of transaction-status calls for one transaction. */
export const V2_STATUS_INTERVAL_MS = 4000;

export interface V2CreateRequest {
  /** A payment method, or "payment_link" for a hosted page only. */
  method: PaymentMethod | 'payment_link';
  amount: number;
  metadata?: Metadata;
}

export interface V2Transaction {
  txn_id: string;
  project: string;
  order_id: string;
  amount: number;
  fee: number;
  total_payment: number;
  payment_method: PaymentMethod | 'payment_link';
  /** QRIS string, or null for other methods. */
  qr_string: string | null;
  /** VA number, or the payment code for retail; null for QRIS and payment_link. */
  va_number: string | null;
  /** Absolute URL of `/pay-v2/{txn_id}`. */
  payment_link: string;
  expired_at: string;
  is_sandbox: boolean;
  status: TransactionStatus;
}

export interface V2StatusResponse {
  txn_id: string;
  order_id: string;
  amount: number;
  is_sandbox: boolean;
  status: TransactionStatus;
  completed_at: string | null;
}

export interface V2CancelResponse {
  txn_id: string;
  status: TransactionStatus;
}

/** `payment-fee` answer: the fee of each method for `amount`. */
export interface V2FeeResponse {
  amount: number;
  fees: Partial<Record<PaymentMethod, number>>;
}

/** v2 webhook body; authenticated by the X-Secret header equal to the project's webhook secret. */
export interface V2WebhookPayload {
  txn_id: string;
  order_id: string;
  amount: number;
  is_sandbox: boolean;
  status: TransactionStatus;
  completed_at: string | null;
}
export const V2_SECRET_HEADER = 'x-secret';

// ---------------------------------------------------------------- errors (both versions)

/** Error answers carry `{ "error": "<message>" }` with a 4xx/5xx status (seed 003). */
export interface ErrorResponse {
  error: string;
}

/** Order ids: 1-64 characters; Pakasir's examples use letters, digits, "-" and "_". */
export const ORDER_ID_MAX_LENGTH = 64;
