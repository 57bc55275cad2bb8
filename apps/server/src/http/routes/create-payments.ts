import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { CreatePaymentInput } from '../../payments/contract.js';
import { createTargetGuard } from '../../webhooks/outbound/ssrf.js';
import { checkPaymentUrls } from '../../webhooks/outbound/urls.js';
import { partnerOf } from '../auth.js';
import { partnerRoute, type RouteContext } from '../context.js';
import {
  type PartnerPaymentBody,
  partnerPaymentBody,
  type QrisPaymentBody,
  qrisPaymentBody,
} from '../schemas.js';
import { partnerPaymentResponse, qrisResponse } from '../shapes.js';
import { compact, parseInput } from '../validation.js';

/**
 * Creating payments, each paid for with one license token:
 * - `POST /v1/partner/payments`: seed 004's raw `generate` → PartnerPaymentResponse;
 * - `POST /v1/payments/qris`: seed 002's `generateQRIS` → QRISResponse (its `reference_id` is the
 *   partner's transaction id; without one, QuickCart makes one up: `qris_<uuid>`).
 * Both answer 201, honour `Idempotency-Key`, and count against the create rate limit.
 */

/** The service input of a seed 004 body. */
export function partnerPaymentInput(body: PartnerPaymentBody): CreatePaymentInput {
  return compact({
    transactionId: body.transaction_id,
    amount: body.amount,
    licenseKey: body.license_key,
    paymentType: body.payment_type,
    description: body.description,
    expiryMinutes: body.expiry_minutes,
    webhookUrl: body.webhook_url,
    backUrl: body.back_url,
    items: body.items?.map((item) => compact(item)),
    customerName: body.customer_name,
    customerEmail: body.customer_email,
    customerPhone: body.customer_phone,
    metadata: body.metadata,
  });
}

/** The service input of a seed 002 body: always a QRIS payment with the default expiry. */
export function qrisPaymentInput(body: QrisPaymentBody): CreatePaymentInput {
  return compact({
    transactionId: body.reference_id ?? `qris_${randomUUID()}`,
    amount: body.amount,
    licenseKey: body.license_key,
    paymentType: 'QRIS' as const,
    description: body.description,
    metadata: body.metadata,
  });
}

export function registerCreateRoutes(app: FastifyInstance, context: RouteContext): void {
  const { payments, config } = context;
  const options = partnerRoute(context, 'create', { idempotent: true });
  // webhook_url and back_url pass the SSRF guard's DNS-free checks here (400 at create time).
  const targets = createTargetGuard({ allowedHosts: config.webhookAllowedHosts });

  app.post('/v1/partner/payments', options, async (request, reply) => {
    const body = parseInput(partnerPaymentBody, request.body);
    // Only the validated fields are logged (redaction works by field name; a key sent in the wrong
    // field of a rejected body must not reach the log).
    request.log.debug({ body }, 'create payment (seed 004)');
    const input = partnerPaymentInput(body);
    checkPaymentUrls(targets, input);
    const payment = await payments.create(partnerOf(request).id, input);
    request.log.info({ payment_id: payment.id, amount: payment.amount }, 'payment created');
    return reply.code(201).send(partnerPaymentResponse(payment, config.publicUrl));
  });

  app.post('/v1/payments/qris', options, async (request, reply) => {
    const body = parseInput(qrisPaymentBody, request.body);
    request.log.debug({ body }, 'create payment (seed 002)');
    const input = qrisPaymentInput(body);
    const payment = await payments.create(partnerOf(request).id, input);
    request.log.info({ payment_id: payment.id, amount: payment.amount }, 'payment created');
    return reply.code(201).send(qrisResponse(payment, config.publicUrl));
  });
}
