// Two families, as grammY and stripe-node do it: "Pakasir answered with an error" (PakasirApiError)
// and "could not reach Pakasir" (PakasirNetworkError, PakasirTimeoutError, which keep `cause`).
// No message ever contains the api key: request URLs are logged without their query string.

/** Base class of every error this package throws. */
export class PakasirError extends Error {
  override name = 'PakasirError';
}

/** Bad input caught before anything was sent. */
export class PakasirValidationError extends PakasirError {
  override name = 'PakasirValidationError';
}

/** Pakasir answered with a non-2xx status (or a 2xx body that is not what the API promises). */
export class PakasirApiError extends PakasirError {
  override name = 'PakasirApiError';
  constructor(
    message: string,
    /** HTTP status. */
    readonly status: number,
    /** Parsed JSON body, or the raw text when it was not JSON. */
    readonly body: unknown,
    /** Seconds to wait, from a Retry-After header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The request did not get an answer: DNS, connection refused or reset, TLS. */
export class PakasirNetworkError extends PakasirError {
  override name = 'PakasirNetworkError';
  /** True when the request surely never reached Pakasir (refused connection, unknown host). */
  readonly beforeRequest: boolean;
  constructor(message: string, options: { cause?: unknown; beforeRequest?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.beforeRequest = options.beforeRequest ?? false;
  }
}

/** No answer within `timeoutMs`. */
export class PakasirTimeoutError extends PakasirError {
  override name = 'PakasirTimeoutError';
}

/** A webhook failed verification: bad signature or secret, malformed body, or it does not match Pakasir's record. */
export class PakasirWebhookError extends PakasirError {
  override name = 'PakasirWebhookError';
}

/** `waitForPayment`: the transaction expired or was canceled before it was paid. */
export class PaymentExpiredError extends PakasirError {
  override name = 'PaymentExpiredError';
  constructor(
    message: string,
    readonly status: 'expired' | 'canceled',
  ) {
    super(message);
  }
}

/** `waitForPayment`: still pending when the timeout ran out. */
export class PaymentTimeoutError extends PakasirError {
  override name = 'PaymentTimeoutError';
}
