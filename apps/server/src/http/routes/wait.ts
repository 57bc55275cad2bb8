import type { FastifyInstance } from 'fastify';
import { partnerOf } from '../auth.js';
import { partnerRoute, type RouteContext } from '../context.js';
import { ClientGoneError, ShutdownError } from '../long-requests.js';
import { paymentParams, waitQuery } from '../schemas.js';
import { paymentStatusBody } from '../shapes.js';
import { parseInput } from '../validation.js';

/**
 * `GET /v1/payments/:id/wait?timeout_ms=` (0 to 60 000, default 30 000): a long-poll over
 * `payments.wait`, which is woken by status notifications, not by polling. Answers the status
 * (seed 002 PaymentStatus) with `timeout: false` as soon as the payment leaves `pending`, or with
 * `timeout: true` when the time runs out first (seed 002's Express example).
 *
 * A client that disconnects aborts its wait (nothing keeps waiting for nobody; logged as 499);
 * closing the app answers every open wait with the current status and `timeout: true`.
 */
export function registerWaitRoute(app: FastifyInstance, context: RouteContext): void {
  const { payments, longRequests } = context;

  app.get('/v1/payments/:id/wait', partnerRoute(context, 'read'), async (request, reply) => {
    const { id } = parseInput(paymentParams, request.params, 'path');
    const { timeout_ms: timeoutMs } = parseInput(waitQuery, request.query, 'query');
    const partnerId = partnerOf(request).id;
    const controller = longRequests.open();
    const onClose = () => {
      if (!reply.raw.writableEnded) controller.abort(new ClientGoneError());
    };
    reply.raw.once('close', onClose);
    try {
      const { payment, timeout } = await payments.wait(partnerId, id, {
        timeoutMs,
        signal: controller.signal,
      });
      return { ...paymentStatusBody(payment), timeout };
    } catch (error) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
      if (reason instanceof ShutdownError) {
        return { ...paymentStatusBody(await payments.get(partnerId, id)), timeout: true };
      }
      if (reason instanceof ClientGoneError) {
        request.log.info({ payment_id: id }, 'long-poll client went away; wait aborted');
        return reply.code(499).send();
      }
      throw error;
    } finally {
      reply.raw.off('close', onClose);
      longRequests.close(controller);
    }
  });
}
