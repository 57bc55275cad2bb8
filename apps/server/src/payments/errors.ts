/**
 * The error catalog of QuickCart's API: every code, its HTTP status, a default message and how to
 * fix it. Codes are stable: added, never renamed or removed. The seeds' codes (002, 003, 004) keep
 * their names; statuses follow seed 003 (400 validation, 401 auth, 403 forbidden, 404, 409
 * conflict or stock, 429, 502 gateway, 503 maintenance).
 */
export const ERROR_CATALOG = {
  VALIDATION_ERROR: {
    status: 400,
    message: 'The request is malformed',
    fix: 'Read `details` for the fields at fault and send them in the documented shape',
  },
  INVALID_AMOUNT: {
    status: 400,
    message: 'The amount must be a whole number of rupiah, at least 1000',
    fix: 'Send `amount` as an integer >= 1000 (rupiah have no minor unit)',
  },
  INVALID_PAYMENT_TYPE: {
    status: 400,
    message: 'The payment type must be QRIS or CHECKOUT_PAGE',
    fix: 'Send `payment_type` as "QRIS" or "CHECKOUT_PAGE"',
  },
  UNAUTHORIZED: {
    status: 401,
    message: 'Missing or invalid API key',
    fix: 'Send `Authorization: Bearer <api key>` or `x-api-key` with a key that is not revoked',
  },
  FORBIDDEN: {
    status: 403,
    message: 'This key may not do that',
    fix: 'Use a key with the needed rights, or ask the operator',
  },
  LICENSE_EXPIRED: {
    status: 403,
    message: 'The license key has expired',
    fix: 'Renew the license, or use another license key of your account',
  },
  INVALID_LICENSE: {
    status: 404,
    message: 'License key not found',
    fix: "Check the license key; it must belong to the API key's partner account",
  },
  NOT_FOUND: {
    status: 404,
    message: 'Not found',
    fix: 'Check the id; a partner only sees its own payments',
  },
  INSUFFICIENT_TOKENS: {
    status: 409,
    message: 'The license has no tokens left (each payment costs one)',
    fix: 'Top up the license, then retry',
  },
  DUPLICATE_TRANSACTION: {
    status: 409,
    message: 'A payment with this transaction_id already exists (one that failed does not count)',
    fix: 'Use a new transaction_id per payment, or read the existing payment',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    message: 'This Idempotency-Key was used with a different request',
    fix: 'Use a new Idempotency-Key for a different request body',
  },
  CONFLICT: {
    status: 409,
    message: 'The request conflicts with the current state',
    fix: 'Read the resource again; for example, a paid payment cannot be cancelled',
  },
  RATE_LIMITED: {
    status: 429,
    message: 'Too many requests',
    fix: 'Wait for the time given in Retry-After, then retry',
  },
  INTERNAL_ERROR: {
    status: 500,
    message: 'Internal error',
    fix: 'Retry later; report the request_id if it persists',
  },
  GATEWAY_ERROR: {
    status: 502,
    message: 'The payment gateway failed',
    fix: 'Retry later: the token this attempt spent was refunded',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: 'The service is under maintenance',
    fix: 'Retry later',
  },
} as const satisfies Record<string, { status: number; message: string; fix: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** The HTTP status of an error code. */
export function statusOf(code: ErrorCode): number {
  return ERROR_CATALOG[code].status;
}

/** Options of a `QuickCartError`: all optional. */
export interface QuickCartErrorOptions {
  /** What failed and where; default: the catalog's message. Never put secrets here. */
  message?: string;
  /** Machine-readable context for the API's `details` (field names, ids, never secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error class of QuickCart's domain: a catalog `code`, its HTTP `status`, and `details`.
 * @example throw new QuickCartError('INSUFFICIENT_TOKENS', { details: { license_id: 'lic_…' } });
 */
export class QuickCartError extends Error {
  override readonly name = 'QuickCartError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, options: QuickCartErrorOptions = {}) {
    super(
      options.message ?? ERROR_CATALOG[code].message,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.details = options.details ?? {};
  }
}

/** Whether `error` is a `QuickCartError`, with the given code when one is passed. */
export function isQuickCartError(error: unknown, code?: ErrorCode): error is QuickCartError {
  return error instanceof QuickCartError && (code === undefined || error.code === code);
}

/** The JSON body of an error answer (ARCHITECTURE.md "Errors"). */
export interface ErrorBody {
  success: false;
  error: string;
  code: ErrorCode;
  details: Record<string, unknown>;
  timestamp: string;
  request_id: string | null;
}

/**
 * The error body for any thrown value: a `QuickCartError` as it is, anything else as a bare
 * INTERNAL_ERROR (its message may hold internals, so it is not shown).
 */
export function toErrorBody(
  error: unknown,
  options: { requestId?: string | null; now?: Date } = {},
): ErrorBody {
  const known = error instanceof QuickCartError ? error : new QuickCartError('INTERNAL_ERROR');
  return {
    success: false,
    error: known.message,
    code: known.code,
    details: known.details,
    timestamp: (options.now ?? new Date()).toISOString(),
    request_id: options.requestId ?? null,
  };
}
