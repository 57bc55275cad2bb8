import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { type ErrorCode, QuickCartError, toErrorBody } from '../payments/errors.js';
import { fromZodError } from './validation.js';

/**
 * The one place HTTP errors are answered (ARCHITECTURE.md "Errors"): every failure becomes
 * `{ success: false, error, code, details, timestamp, request_id }` with the catalog's status.
 * A QuickCartError is answered as it is; Fastify's own client errors (bad JSON, wrong content
 * type, body too large, schema validation) as 400 VALIDATION_ERROR; anything else as a bare 500
 * INTERNAL_ERROR whose message and stack go to the log only.
 */

/** The catalog code for an HTTP status that did not come with one (style item 1: one mapping). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITED';
    case 502:
      return 'GATEWAY_ERROR';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 400 && status < 500 ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR';
  }
}

/** What to tell the client about Fastify's own errors: fixed texts, never the body's bytes. */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'the request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the request body is empty',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send the request body as application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the request body is too large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the request body does not match its Content-Length',
  FST_ERR_CTP_INVALID_TYPE: 'the Content-Type header is malformed',
  FST_ERR_BAD_URL: 'the URL is malformed',
};

function isFastifyError(error: unknown): error is FastifyError {
  return (
    error instanceof Error &&
    typeof (error as Partial<FastifyError>).statusCode === 'number' &&
    typeof (error as Partial<FastifyError>).code === 'string'
  );
}

/** Any thrown value as a QuickCartError: the answer the client gets. */
export function toQuickCartError(error: unknown): QuickCartError {
  if (error instanceof QuickCartError) return error;
  if (error instanceof ZodError) return fromZodError(error);
  if (isFastifyError(error)) {
    const status = error.statusCode ?? 500;
    if (status >= 500) return new QuickCartError('INTERNAL_ERROR', { cause: error });
    const code = codeForStatus(status);
    if (error.validation) {
      return new QuickCartError('VALIDATION_ERROR', {
        message: `the request ${error.validationContext ?? 'input'} is invalid: ${error.message}`,
        details: { issues: error.validation.map((v) => ({ field: v.instancePath, message: v.message })) },
        cause: error,
      });
    }
    const message = FASTIFY_MESSAGES[error.code];
    return new QuickCartError(code, {
      ...(message !== undefined && { message }),
      details: { reason: error.code },
      cause: error,
    });
  }
  return new QuickCartError('INTERNAL_ERROR', { cause: error });
}

/** Sends the error body for `error` on `reply`; logs bugs at error level with their stack, known 5xx as warnings. */
export function sendError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  now: () => Date,
): FastifyReply {
  const known = toQuickCartError(error);
  if (known.code === 'INTERNAL_ERROR') {
    request.log.error({ err: error, code: known.code }, 'request failed: internal error');
  } else if (known.status >= 500) {
    // A known condition (gateway down, maintenance): worth a warning, not a bug report.
    request.log.warn({ err: error, code: known.code }, `request failed: ${known.code}`);
  } else {
    request.log.info({ code: known.code, status: known.status }, known.message);
  }
  return reply.code(known.status).send(toErrorBody(known, { requestId: request.id, now: now() }));
}

/** Installs the error handler and the 404 handler of unknown routes. */
export function installErrorHandling(app: FastifyInstance, options: { now: () => Date }): void {
  app.setErrorHandler<Error>((error, request, reply) => sendError(error, request, reply, options.now));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      new QuickCartError('NOT_FOUND', {
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
        details: { method: request.method },
      }),
      request,
      reply,
      options.now,
    ),
  );
}
