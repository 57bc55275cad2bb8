import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { PaymentStatus } from '../../db/schema.js';
import type { PaymentView } from '../../payments/contract.js';
import { partnerOf } from '../auth.js';
import { partnerRoute, type RouteContext } from '../context.js';
import { paymentParams } from '../schemas.js';
import { paymentStatusBody } from '../shapes.js';
import { parseInput } from '../validation.js';

/**
 * `GET /v1/payments/:id/events`: Server-Sent Events over `payments.subscribe`.
 * - first an `event: status` with the current status, then one per status change (`id:` counts
 *   up, `data:` is seed 002's PaymentStatus);
 * - a `: heartbeat` comment every 15 s, so proxies keep the connection open;
 * - the stream ends after a terminal status (paid, expired, cancelled), and when the app closes;
 * - a client that disconnects is unsubscribed at once.
 * Errors before the stream starts (401, 404, 429) are ordinary JSON error answers.
 */

/** One SSE event in the wire format. */
export function sseEvent(event: { id: number; event: string; data: unknown }): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export function registerEventsRoute(app: FastifyInstance, context: RouteContext): void {
  const { payments, longRequests } = context;

  app.get('/v1/payments/:id/events', partnerRoute(context, 'read'), async (request, reply) => {
    const { id } = parseInput(paymentParams, request.params, 'path');
    const partnerId = partnerOf(request).id;

    // Subscribe first, then read: a change in between is queued, never missed.
    const queued: PaymentView[] = [];
    let deliver = (payment: PaymentView) => {
      queued.push(payment);
    };
    const unsubscribe = await payments.subscribe(partnerId, id, (payment) => deliver(payment));
    let current: PaymentView;
    let controller: AbortController;
    try {
      current = await payments.get(partnerId, id);
      controller = longRequests.open();
    } catch (error) {
      unsubscribe();
      throw error;
    }

    const stream = new PassThrough();
    let lastStatus: PaymentStatus | undefined;
    let eventId = 0;
    let finished = false;
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), context.heartbeatMs);
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(heartbeat);
      unsubscribe();
      longRequests.close(controller);
      controller.signal.removeEventListener('abort', finish);
      reply.raw.off('close', finish);
      stream.end();
    };
    const send = (payment: PaymentView) => {
      if (finished || payment.status === lastStatus) return;
      lastStatus = payment.status;
      eventId += 1;
      stream.write(sseEvent({ id: eventId, event: 'status', data: paymentStatusBody(payment) }));
      if (payment.status !== 'pending') finish();
    };
    controller.signal.addEventListener('abort', finish, { once: true });
    reply.raw.once('close', finish);
    stream.once('close', finish);

    stream.write('retry: 3000\n\n');
    send(current);
    for (const payment of queued) send(payment);
    deliver = send;
    request.log.debug({ payment_id: current.id }, 'event stream opened');
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no')
      .send(stream);
  });
}
