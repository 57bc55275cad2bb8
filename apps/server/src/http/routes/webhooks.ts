import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * `POST /webhooks/pakasir`: Pakasir's payment notifications. The body is not parsed here: the
 * exact bytes received go to the handler (signatures are computed over them), whatever the
 * Content-Type, at most 64 KB. The handler (src/webhooks/pakasir-inbound.ts) verifies, confirms
 * and settles; its result is answered 200, a QuickCartError it throws with its status (400
 * malformed, 401 bad signature, 409 unconfirmed, 502 Pakasir unreachable). Without a handler the
 * route does not exist.
 */

/** What the handler tells the route about one webhook. */
export interface PakasirWebhookOutcome {
  outcome: string;
  paymentId?: string;
  orderId?: string;
  reason?: string;
}

/** The inbound webhook handler, as `createPakasirWebhookHandler()` builds it. */
export type PakasirWebhookHandler = (request: {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
}) => Promise<PakasirWebhookOutcome>;

/** Largest webhook body accepted. */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

export function registerWebhookRoutes(
  app: FastifyInstance,
  handler: PakasirWebhookHandler | undefined,
): void {
  if (!handler) return;
  app.register(async (scope) => {
    // Encapsulated: only this route reads bodies as raw bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post('/webhooks/pakasir', { bodyLimit: WEBHOOK_BODY_LIMIT }, async (request) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const result = await handler({ rawBody, headers: request.headers });
      request.log.info(
        { outcome: result.outcome, payment_id: result.paymentId, order_id: result.orderId },
        'Pakasir webhook handled',
      );
      return {
        success: true,
        received: true,
        outcome: result.outcome,
        ...(result.paymentId !== undefined && { payment_id: result.paymentId }),
        ...(result.orderId !== undefined && { order_id: result.orderId }),
        ...(result.reason !== undefined && { reason: result.reason }),
      };
    });
  });
}
