// Reading QuickCart's answers: the body, Retry-After, and the one mapping from an error status to
// its error class.
import {
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ValidationError,
} from './errors.js';

/** The error class of an HTTP status: 400/422 validation, 401, 403, 404, 409, 429, anything else ApiError. */
export function errorClassFor(status: number): typeof ApiError {
  switch (status) {
    case 400:
    case 422:
      return ValidationError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 429:
      return RateLimitError;
    default:
      return ApiError;
  }
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The parsed JSON of a body, its text when it is not JSON, or null when empty. */
export function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const field = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;

/**
 * The typed error of an error answer (ARCHITECTURE.md "Errors": `{ success: false, error, code,
 * details, timestamp, request_id }`), named after the call that got it, e.g.
 * `QuickCart answered 404 INVALID_LICENSE to POST /v1/payments/qris: License key not found`.
 */
export function apiErrorFor(
  call: string,
  answer: { status: number; statusText: string; body: unknown; headers: Headers },
): ApiError {
  const { status, body, headers } = answer;
  const code = field(body, 'code');
  const message = field(body, 'error');
  const details = field(body, 'details');
  const requestId = field(body, 'request_id');
  const init: ApiErrorInit = {
    status,
    code: typeof code === 'string' && code !== '' ? code : `HTTP_${status}`,
    requestId: typeof requestId === 'string' ? requestId : headers.get('x-request-id'),
    details: typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {},
    body,
    retryAfterSeconds: parseRetryAfter(headers.get('retry-after')),
  };
  const detail = typeof message === 'string' ? message : answer.statusText || 'no error message';
  const ErrorClass = errorClassFor(status);
  return new ErrorClass(`QuickCart answered ${status} ${init.code} to ${call}: ${detail}`, init);
}
