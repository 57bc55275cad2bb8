// The wire shapes of packages/pakasir/src/protocol.ts, made from a sandbox transaction.
import {
  type ApiVersion,
  type Metadata,
  type PaymentMethod,
  type TransactionStatus,
  type V1Payment,
  type V1Transaction,
  type V1WebhookPayload,
  V2_PATHS,
  type V2StatusResponse,
  type V2Transaction,
  type V2WebhookPayload,
} from '@quickcart/pakasir';
import { isVaMethod } from './payment-numbers.js';
import { shownMethod, type TransactionRecord } from './transaction.js';

/** protocol.ts's shape, except that `payment_method` may also be "paypal" (the `/paypal/` page). */
export type WithPaypal<T extends { payment_method: unknown }> = Omit<T, 'payment_method'> & {
  payment_method: PaymentMethod | 'paypal';
};

/** v1 `transactioncreate`'s `payment`. */
export function v1Payment(txn: TransactionRecord): WithPaypal<V1Payment> {
  return {
    project: txn.project,
    order_id: txn.orderId,
    amount: txn.amount,
    fee: txn.fee,
    total_payment: txn.totalPayment,
    payment_method: shownMethod(txn.method),
    payment_number: txn.paymentNumber,
    expired_at: txn.expiredAt,
  };
}

/** v1 `transactiondetail`'s `transaction`. */
export function v1Transaction(txn: TransactionRecord, status: TransactionStatus): WithPaypal<V1Transaction> {
  return {
    amount: txn.amount,
    order_id: txn.orderId,
    project: txn.project,
    status,
    payment_method: shownMethod(txn.method),
    completed_at: txn.completedAt,
  };
}

/** v2 `create-transaction`'s answer; `baseUrl` makes the absolute payment_link. */
export function v2Transaction(
  txn: TransactionRecord,
  status: TransactionStatus,
  baseUrl: string,
): Omit<V2Transaction, 'payment_method'> & { payment_method: V2Transaction['payment_method'] | 'paypal' } {
  return {
    txn_id: txn.txnId,
    project: txn.project,
    order_id: txn.orderId,
    amount: txn.amount,
    fee: txn.fee,
    total_payment: txn.totalPayment,
    payment_method: txn.method,
    qr_string: txn.method === 'qris' ? txn.paymentNumber : null,
    // v2 has no field for a retail payment code: it travels as va_number, where clients look.
    va_number: isVaMethod(txn.method) || txn.method === 'retail' ? txn.paymentNumber : null,
    payment_link: `${baseUrl}${V2_PATHS.payPage(txn.txnId)}`,
    expired_at: txn.expiredAt,
    is_sandbox: true,
    status,
  };
}

/** v2 `transaction-status`'s answer. */
export function v2Status(txn: TransactionRecord, status: TransactionStatus): V2StatusResponse {
  return {
    txn_id: txn.txnId,
    order_id: txn.orderId,
    amount: txn.amount,
    is_sandbox: true,
    status,
    completed_at: txn.completedAt,
  };
}

/** The v1 webhook body (seed 001 §4, §6): metadata only when the transaction had some. */
export function v1WebhookPayload(txn: TransactionRecord, amount = txn.amount): WithPaypal<V1WebhookPayload> {
  return {
    amount,
    order_id: txn.orderId,
    project: txn.project,
    status: 'completed',
    payment_method: shownMethod(txn.method),
    completed_at: txn.completedAt ?? '',
    ...(txn.metadata !== undefined && { metadata: txn.metadata }),
  };
}

/** The v2 webhook body. */
export function v2WebhookPayload(txn: TransactionRecord, amount = txn.amount): V2WebhookPayload {
  return {
    txn_id: txn.txnId,
    order_id: txn.orderId,
    amount,
    is_sandbox: true,
    status: 'completed',
    completed_at: txn.completedAt,
  };
}

/** A transaction as the sandbox's own endpoints and the test handle show it. */
export interface SandboxTransaction {
  txn_id: string;
  order_id: string;
  project: string;
  amount: number;
  fee: number;
  total_payment: number;
  payment_method: PaymentMethod | 'payment_link' | 'paypal';
  payment_number: string;
  status: TransactionStatus;
  expired_at: string;
  completed_at: string | null;
  /** The API that created it, which decides the webhook's shape. */
  api_version: ApiVersion;
  metadata?: Metadata;
}

export function sandboxTransaction(txn: TransactionRecord, status: TransactionStatus): SandboxTransaction {
  return {
    txn_id: txn.txnId,
    order_id: txn.orderId,
    project: txn.project,
    amount: txn.amount,
    fee: txn.fee,
    total_payment: txn.totalPayment,
    payment_method: txn.method,
    payment_number: txn.paymentNumber,
    status,
    expired_at: txn.expiredAt,
    completed_at: txn.completedAt,
    api_version: txn.version,
    ...(txn.metadata !== undefined && { metadata: txn.metadata }),
  };
}
