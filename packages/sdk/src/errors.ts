// Every error the SDK throws, in two families (grammY, stripe-node): "QuickCart answered with an
// error" (ApiError and one subclass per kind of status) and "could not reach QuickCart"
// (ConnectionError, RequestTimeoutError, which keep `cause`). No message, property or `cause`
// holds the api key: requests are named by method and path only.
import type { ErrorCode } from './codes.js';

/** Marks an error with the kinds of its class chain, so `instanceof` works across copies of the SDK. */
const KINDS = Symbol.for('@quickcart/sdk/error-kinds');

/**
 * Base class of every error this package throws. `instanceof` also recognises errors thrown by
 * another copy of the SDK (its ESM and CommonJS builds loaded side by side, or two versions).
 * @example
 * try { await qc.payment.checkPaymentStatus(id); }
 * catch (error) { if (error instanceof QuickCartError) console.error(error.code, error.message); }
 */
export class QuickCartError extends Error {
  /** The stable name `instanceof` matches on across copies; a subclass of the SDK sets its own. */
  static readonly kind: string = 'QuickCartError';
  /** Machine-readable: the API's error code, or the SDK's own (CONNECTION_ERROR, PAYMENT_TIMEOUT…). */
  readonly code: string;

  constructor(message: string, options: { code: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, 'kind')) kinds.push((c as typeof QuickCartError).kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds });
    Object.defineProperty(this, 'name', { value: kinds[0], configurable: true, writable: true });
  }

  /** Prototype chain first; then the kind marker, which survives a second copy of the SDK. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof asks about, a subclass included.
    return isInstance(this, value);
  }
}

/** `value instanceof target`: by prototype, or by the kind marker when `target` is one of the SDK's classes. */
function isInstance(target: typeof QuickCartError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(target, value)) return true;
  if (!Object.hasOwn(target, 'kind') || typeof value !== 'object' || value === null) return false;
  const kinds = (value as { [KINDS]?: unknown })[KINDS];
  return Array.isArray(kinds) && kinds.includes(target.kind);
}

/** The SDK was called with something it cannot send (bad option, empty id); nothing was sent. */
export class UsageError extends QuickCartError {
  static override readonly kind: string = 'UsageError';
  constructor(message: string) {
    super(message, { code: 'USAGE_ERROR' });
  }
}

/** What QuickCart's error answer said, as `ApiError` keeps it. */
export interface ApiErrorInit {
  status: number;
  code: ErrorCode;
  /** The server's `request_id` (or `x-request-id` header): quote it when reporting a problem. */
  requestId: string | null;
  details: Record<string, unknown>;
  /** The parsed JSON body, or its text when it was not JSON. */
  body: unknown;
  /** Seconds to wait, from a Retry-After header. */
  retryAfterSeconds?: number | undefined;
}

/**
 * QuickCart answered with an error status. `code` is the API's code (INSUFFICIENT_TOKENS,
 * INVALID_LICENSE, GATEWAY_ERROR…; `HTTP_<status>` when the answer had none, e.g. from a proxy).
 * @example
 * catch (error) { if (error instanceof ApiError && error.code === 'INSUFFICIENT_TOKENS') topUp(); }
 */
export class ApiError extends QuickCartError {
  static override readonly kind: string = 'ApiError';
  declare readonly code: ErrorCode;
  readonly status: number;
  readonly requestId: string | null;
  readonly details: Record<string, unknown>;
  readonly body: unknown;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, init: ApiErrorInit) {
    super(message, { code: init.code });
    this.status = init.status;
    this.requestId = init.requestId;
    this.details = init.details;
    this.body = init.body;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** 400: the request is malformed (VALIDATION_ERROR, INVALID_AMOUNT, INVALID_PAYMENT_TYPE); see `details`. */
export class ValidationError extends ApiError {
  static override readonly kind: string = 'ValidationError';
}

/** 401: the API key is missing, unknown or revoked (UNAUTHORIZED). */
export class AuthenticationError extends ApiError {
  static override readonly kind: string = 'AuthenticationError';
}

/** 403: the key may not do this, or the license has expired (FORBIDDEN, LICENSE_EXPIRED). */
export class PermissionError extends ApiError {
  static override readonly kind: string = 'PermissionError';
}

/** 404: no such payment for this partner, or the license key is not theirs (NOT_FOUND, INVALID_LICENSE). */
export class NotFoundError extends ApiError {
  static override readonly kind: string = 'NotFoundError';
}

/**
 * 409: conflicts with the current state: INSUFFICIENT_TOKENS, DUPLICATE_TRANSACTION,
 * IDEMPOTENCY_KEY_REUSED, CONFLICT (e.g. cancelling a paid payment).
 */
export class ConflictError extends ApiError {
  static override readonly kind: string = 'ConflictError';
}

/** 429: too many requests (RATE_LIMITED); `retryAfterSeconds` says when to try again. */
export class RateLimitError extends ApiError {
  static override readonly kind: string = 'RateLimitError';
}

/** No answer: DNS, refused or reset connection, TLS. `cause` is the fetch error. */
export class ConnectionError extends QuickCartError {
  static override readonly kind: string = 'ConnectionError';
  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(message, { code: options.code ?? 'CONNECTION_ERROR', cause: options.cause });
  }
}

/** No answer within the request's `timeoutMs`. */
export class RequestTimeoutError extends ConnectionError {
  static override readonly kind: string = 'RequestTimeoutError';
  readonly timeoutMs: number;
  constructor(message: string, options: { timeoutMs: number; cause?: unknown }) {
    super(message, { code: 'REQUEST_TIMEOUT', cause: options.cause });
    this.timeoutMs = options.timeoutMs;
  }
}

/**
 * `waitForPayment`: the payment was still pending when `timeout` ran out. The message starts with
 * "timeout" (seed 002's examples test `error.message.includes('timeout')`).
 */
export class PaymentTimeoutError extends QuickCartError {
  static override readonly kind: string = 'PaymentTimeoutError';
  readonly paymentId: string;
  readonly timeoutMs: number;
  constructor(message: string, options: { paymentId: string; timeoutMs: number; cause?: unknown }) {
    super(message, { code: 'PAYMENT_TIMEOUT', cause: options.cause });
    this.paymentId = options.paymentId;
    this.timeoutMs = options.timeoutMs;
  }
}

/** Why a webhook was refused. */
export type WebhookFailure =
  | 'PARSED_BODY'
  | 'INVALID_SECRET'
  | 'MISSING_SIGNATURE'
  | 'INVALID_SIGNATURE'
  | 'INVALID_TIMESTAMP'
  | 'TIMESTAMP_TOO_OLD'
  | 'TIMESTAMP_TOO_NEW'
  | 'INVALID_PAYLOAD';

/** A webhook failed verification; `reason` says why. Answer it with 400 and do not act on it. */
export class WebhookVerificationError extends QuickCartError {
  static override readonly kind: string = 'WebhookVerificationError';
  readonly reason: WebhookFailure;
  constructor(reason: WebhookFailure, message: string) {
    super(`webhook refused: ${message}`, { code: 'WEBHOOK_VERIFICATION_FAILED' });
    this.reason = reason;
  }
}
