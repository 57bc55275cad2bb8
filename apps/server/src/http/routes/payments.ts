import type { FastifyInstance } from 'fastify';
import { partnerOf } from '../auth.js';
import { partnerRoute, type RouteContext } from '../context.js';
import { paymentParams } from '../schemas.js';
import { paymentStatusBody } from '../shapes.js';
import { parseInput } from '../validation.js';

/**
 * One payment, by QuickCart id or the partner's transaction (reference) id; another partner's
 * payment is 404, never 403 (its existence is not disclosed):
 * - `GET /v1/payments/:id`: seed 002 PaymentStatus;
 * - `POST /v1/payments/:id/cancel`: cancels it upstream and here (a paid payment is 409);
 * - `POST /v1/payments/:id/simulate`: sandbox mode only (else the route does not exist), pays it
 *   through the sandbox so it travels the real webhook path.
 */
export function registerPaymentRoutes(app: FastifyInstance, context: RouteContext): void {
  const { payments } = context;
  const read = partnerRoute(context, 'read');
  const write = partnerRoute(context, 'read', { idempotent: true });

  app.get('/v1/payments/:id', read, async (request) => {
    const { id } = parseInput(paymentParams, request.params, 'path');
    return paymentStatusBody(await payments.get(partnerOf(request).id, id));
  });

  app.post('/v1/payments/:id/cancel', write, async (request) => {
    const { id } = parseInput(paymentParams, request.params, 'path');
    const payment = await payments.cancel(partnerOf(request).id, id);
    request.log.info({ payment_id: payment.id }, 'payment cancelled');
    return { ...paymentStatusBody(payment), message: 'Payment cancelled' };
  });

  if (context.config.pakasir.mode === 'sandbox') {
    app.post('/v1/payments/:id/simulate', write, async (request) => {
      const { id } = parseInput(paymentParams, request.params, 'path');
      const payment = await payments.simulate(partnerOf(request).id, id);
      request.log.info({ payment_id: payment.id, status: payment.status }, 'payment simulated (sandbox)');
      return paymentStatusBody(payment);
    });
  }
}
