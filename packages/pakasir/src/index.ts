export type {
  CreatedTransaction,
  HealthResult,
  OrderRef,
  PakasirOptions,
  TransactionDetail,
} from './client.js';
export { Pakasir } from './client.js';
export { fromEnv } from './env.js';
export {
  PakasirApiError,
  PakasirError,
  PakasirNetworkError,
  PakasirTimeoutError,
  PakasirValidationError,
  PakasirWebhookError,
  PaymentExpiredError,
  PaymentTimeoutError,
} from './errors.js';
export { assertAmount, assertMethod, ESTIMATED_FLAT_FEES, estimateFee, qrisFee } from './fees.js';
export type { FetchAnswer, FetchLike, Outcome, RetryPolicy } from './http.js';
export { backoffDelayMs, shouldRetry } from './http.js';
export type { PayUrlOptions } from './pay-url.js';
export { buildPayUrl } from './pay-url.js';
export * from './protocol.js';
export { assertOrderId } from './validate.js';
export type { WaitOptions } from './wait.js';
export type { RawBody, WebhookEvent, WebhookHeaders, WebhookSummary } from './webhook.js';
export { parseWebhook, signV1Webhook, timingSafeEqual } from './webhook.js';
