import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../../db/schema.js';
import {
  listDeliveries,
  redeliver,
  rotateSecret,
  sendTestEvent,
  setWebhookEvents,
} from '../../webhooks/outbound/deliveries.js';
import { createTargetGuard, type TargetGuard } from '../../webhooks/outbound/ssrf.js';
import { partnerOf } from '../auth.js';
import { partnerRoute, type RouteContext } from '../context.js';
import { parseInput } from '../validation.js';

/**
 * A partner's outbound webhooks (webhooks/outbound/):
 * - `GET /v1/webhooks/deliveries?payment_id=&limit=` → its deliveries, newest first, with attempts;
 * - `POST /v1/webhooks/deliveries/:id/redeliver` → 202, sent again with the same `webhook-id`;
 * - `POST /v1/webhooks/test` `{ url? }` → 202, a signed `webhook.test` event queued;
 * - `POST /v1/webhooks/secret/rotate` → a new secret (shown once); the old one signs 24 h more;
 * - `PUT /v1/webhooks/events` `{ events }` → opt in to `payment.expired` / `payment.cancelled`.
 */

/** Options of `registerPartnerWebhookRoutes()`. */
export interface PartnerWebhookRoutesOptions {
  /** Default: a guard with the config's WEBHOOK_ALLOWED_HOSTS. */
  guard?: TargetGuard;
  /** Tells the delivery worker to look now (a test event or redelivery was queued). */
  wake?: () => void;
}

const deliveriesQuery = z.object({
  payment_id: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
const idParams = z.object({ id: z.string().min(1).max(100) });
const testBody = z.object({ url: z.string().max(2048).nullish() }).optional();
const eventsBody = z.object({ events: z.array(z.enum(WEBHOOK_EVENTS)).max(WEBHOOK_EVENTS.length) });

export function registerPartnerWebhookRoutes(
  app: FastifyInstance,
  context: RouteContext,
  options: PartnerWebhookRoutesOptions = {},
): void {
  const { db } = context;
  const guard = options.guard ?? createTargetGuard({ allowedHosts: context.config.webhookAllowedHosts });
  const wake = options.wake ?? (() => {});
  const read = partnerRoute(context, 'read');
  const write = partnerRoute(context, 'create');

  app.get('/v1/webhooks/deliveries', read, async (request) => {
    const query = parseInput(deliveriesQuery, request.query, 'query');
    const deliveries = await listDeliveries(db, partnerOf(request).id, {
      paymentId: query.payment_id,
      ...(query.limit !== undefined && { limit: query.limit }),
    });
    return { success: true, deliveries };
  });

  app.post('/v1/webhooks/deliveries/:id/redeliver', write, async (request, reply) => {
    const { id } = parseInput(idParams, request.params, 'path');
    const queued = await redeliver(db, partnerOf(request).id, id);
    wake();
    return reply.code(202).send({ success: true, ...queued });
  });

  app.post('/v1/webhooks/test', write, async (request, reply) => {
    const body = parseInput(testBody, request.body);
    const queued = await sendTestEvent(db, {
      partnerId: partnerOf(request).id,
      url: body?.url,
      guard,
      now: context.now(),
    });
    wake();
    return reply.code(202).send({ success: true, ...queued });
  });

  app.post('/v1/webhooks/secret/rotate', write, async (request, reply) => {
    const rotated = await rotateSecret(db, partnerOf(request).id);
    reply.header('cache-control', 'no-store');
    return { success: true, ...rotated };
  });

  app.put('/v1/webhooks/events', write, async (request) => {
    const body = parseInput(eventsBody, request.body);
    return { success: true, events: await setWebhookEvents(db, partnerOf(request).id, body.events) };
  });
}
