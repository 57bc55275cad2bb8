import type { FastifyInstance } from 'fastify';
import type { PaymentView } from '../../payments/contract.js';
import { partnerOf } from '../auth.js';
import { partnerRoute, type RouteContext } from '../context.js';
import { paymentParams } from '../schemas.js';
import { paymentStatusBody } from '../shapes.js';
import { sendStatusStream } from '../sse.js';
import { parseInput } from '../validation.js';

/**
 * `GET /v1/payments/:id/events`: Server-Sent Events over `payments.subscribe`.
 * - first an `event: status` with the current status, then one per status change (`id:` counts
 *   up, `data:` is seed 002's PaymentStatus);
 * - a `: heartbeat` comment every 15 s, so proxies keep the connection open;
 * - the stream ends after a terminal status (paid, expired, cancelled), and when the app closes;
 * - a client that disconnects is unsubscribed at once.
 * Errors before the stream starts (401, 404, 429) are ordinary JSON error answers. The stream
 * itself is http/sse.ts, shared with the checkout page's.
 */

/** Kept here for its callers; the plumbing lives in http/sse.ts. */
export { sseEvent } from '../sse.js';

export function registerEventsRoute(app: FastifyInstance, context: RouteContext): void {
  const { payments, longRequests } = context;

  app.get('/v1/payments/:id/events', partnerRoute(context, 'read'), async (request, reply) => {
    const { id } = parseInput(paymentParams, request.params, 'path');
    const partnerId = partnerOf(request).id;
    return sendStatusStream<PaymentView>(reply, {
      subscribe: (listener) => payments.subscribe(partnerId, id, listener),
      read: async () => {
        const current = await payments.get(partnerId, id);
        request.log.debug({ payment_id: current.id }, 'event stream opened');
        return current;
      },
      toEvent: (payment) => ({
        status: payment.status,
        data: paymentStatusBody(payment),
        final: payment.status !== 'pending',
      }),
      longRequests,
      heartbeatMs: context.heartbeatMs,
    });
  });
}
