export type { QuickCartOptions } from './client.js';
export { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, QuickCart } from './client.js';
export type { ErrorCode, ErrorCodeInfo } from './codes.js';
export { ERROR_CODES } from './codes.js';
export type { ApiErrorInit, WebhookFailure } from './errors.js';
export {
  ApiError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  NotFoundError,
  PaymentTimeoutError,
  PermissionError,
  QuickCartError,
  RateLimitError,
  RequestTimeoutError,
  UsageError,
  ValidationError,
  WebhookVerificationError,
} from './errors.js';
export type { FetchLike, Outcome, RequestOptions } from './http.js';
export { backoffDelayMs, MAX_RETRY_AFTER_SECONDS, shouldRetry } from './http.js';
export type { PartnerPaymentResource } from './partner-payment.js';
export type { PaymentResource } from './payment.js';
export * from './types.js';
export { DEFAULT_WAIT_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS, MAX_POLL_MS } from './wait.js';
export type {
  PaymentCancelledEvent,
  PaymentExpiredEvent,
  PaymentSuccessEvent,
  WebhookEvent,
  WebhookEventType,
  WebhookTestEvent,
} from './webhooks/events.js';
export {
  KGITON_SIGNATURE_HEADER,
  KGITON_SIGNATURE_NEXT_HEADER,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './webhooks/signing.js';
export type {
  RawBody,
  SignatureScheme,
  TestHeadersOptions,
  VerifiedWebhook,
  VerifyOptions,
  WebhookHeaders,
  WebhooksOptions,
} from './webhooks/webhooks.js';
export { DEFAULT_TOLERANCE_SECONDS, Webhooks } from './webhooks/webhooks.js';
