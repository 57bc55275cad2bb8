// The partner webhooks QuickCart sends (seed 004's payload): one event per payment that reaches a
// terminal status, and `webhook.test`. Field order on the wire: as below, `signature` last.
import type { PartnerPaymentType } from '../types.js';

interface PaymentEventFields {
  /** QuickCart's id of the payment (`pay_…`). */
  payment_id: string;
  /** Your id of the payment (seed 002's `reference_id`). */
  transaction_id: string;
  amount: number;
  payment_type: PartnerPaymentType;
  /** Hex HMAC-SHA256 of this JSON without `signature`, for receivers that only see parsed JSON. */
  signature: string;
}

/** The payment was paid: deliver the goods. Sent to every account with a webhook URL. */
export interface PaymentSuccessEvent extends PaymentEventFields {
  event: 'payment.success';
  paid_at: string;
}

/** The payment expired unpaid (accounts that opted in). */
export interface PaymentExpiredEvent extends PaymentEventFields {
  event: 'payment.expired';
  expired_at: string;
}

/** The payment was cancelled (accounts that opted in). */
export interface PaymentCancelledEvent extends PaymentEventFields {
  event: 'payment.cancelled';
  cancelled_at: string;
}

/** Sent on request (`POST /v1/webhooks/test`) to check an endpoint and its signature check. */
export interface WebhookTestEvent {
  event: 'webhook.test';
  message: string;
  sent_at: string;
  signature: string;
}

/**
 * Every event QuickCart sends; switch on `event`. Handle unknown events by answering 2xx and
 * ignoring them: new kinds may be added.
 */
export type WebhookEvent =
  | PaymentSuccessEvent
  | PaymentExpiredEvent
  | PaymentCancelledEvent
  | WebhookTestEvent;

/** The `event` names. */
export type WebhookEventType = WebhookEvent['event'];
