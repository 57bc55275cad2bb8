// The error codes QuickCart's API answers with, their HTTP status, and what to do about them: the
// SDK's copy of the server's catalog (apps/server/src/payments/errors.ts; a test keeps them equal).
// Codes are stable: added, never renamed or removed.

/** One code of the catalog. */
export interface ErrorCodeInfo {
  status: number;
  meaning: string;
  fix: string;
}

/** Every code the API answers with. */
export const ERROR_CODES = {
  VALIDATION_ERROR: {
    status: 400,
    meaning: 'The request is malformed',
    fix: 'Read `details` for the fields at fault and send them in the documented shape',
  },
  INVALID_AMOUNT: {
    status: 400,
    meaning: 'The amount is not a whole number of rupiah of at least 1000',
    fix: 'Send `amount` as an integer >= 1000',
  },
  INVALID_PAYMENT_TYPE: {
    status: 400,
    meaning: 'The payment type is not QRIS or CHECKOUT_PAGE',
    fix: 'Use `PartnerPaymentType.QRIS` or `PartnerPaymentType.CHECKOUT_PAGE`',
  },
  UNAUTHORIZED: {
    status: 401,
    meaning: 'The API key is missing, unknown or revoked',
    fix: 'Pass the `apiKey` the operator gave you (`qc_live_…` or `qc_test_…`)',
  },
  FORBIDDEN: { status: 403, meaning: 'This key may not do that', fix: 'Use a key with the needed rights' },
  LICENSE_EXPIRED: {
    status: 403,
    meaning: 'The license key has expired',
    fix: 'Renew the license, or use another license key of your account',
  },
  INVALID_LICENSE: {
    status: 404,
    meaning: 'License key not found (or not your account’s)',
    fix: 'Check the license key; it must belong to the API key’s partner account',
  },
  NOT_FOUND: {
    status: 404,
    meaning: 'No such payment for this partner',
    fix: 'Check the id: a payment id (`pay_…`) or your own transaction/reference id',
  },
  INSUFFICIENT_TOKENS: {
    status: 409,
    meaning: 'The license has no tokens left (each payment costs one)',
    fix: 'Top up the license, then retry',
  },
  DUPLICATE_TRANSACTION: {
    status: 409,
    meaning: 'A payment with this transaction_id / reference_id already exists',
    fix: 'Use a new id per payment, or read the existing payment with `checkPaymentStatus(id)`',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    meaning: 'This Idempotency-Key was used with a different request',
    fix: 'Pass a new `idempotencyKey` for a different request (the SDK makes one per call by default)',
  },
  CONFLICT: {
    status: 409,
    meaning: 'The request conflicts with the current state (e.g. cancelling a paid payment)',
    fix: 'Read the payment again and act on its status',
  },
  RATE_LIMITED: {
    status: 429,
    meaning: 'Too many requests',
    fix: 'Wait `retryAfterSeconds`; the SDK retries by itself when that is 30 s or less',
  },
  INTERNAL_ERROR: {
    status: 500,
    meaning: 'Internal error',
    fix: 'Retry later (the SDK retried twice already); report `requestId` if it persists',
  },
  GATEWAY_ERROR: {
    status: 502,
    meaning: 'The payment gateway failed to create the payment; its token was refunded',
    fix: 'Retry later, with the same transaction_id if you like (the failed payment reads cancelled)',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    meaning: 'The service is under maintenance',
    fix: 'Retry later',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/**
 * A code of the catalog, or any other string: an older SDK must not break on a code added later,
 * and answers without one (e.g. from a proxy) get `HTTP_<status>`.
 */
export type ErrorCode = keyof typeof ERROR_CODES | (string & {});
