import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  type OutboxMessage,
  outbox,
  partners,
  WEBHOOK_EVENTS,
  type WebhookEvent,
  webhookAttempts,
  webhookDisabledEndpoints,
} from '../../db/schema.js';
import type { Db } from '../../db/types.js';
import { QuickCartError } from '../../payments/errors.js';
import { generateWebhookSecret } from '../../payments/keys.js';
import { enqueueTestEvent } from './enqueue.js';
import type { TargetGuard } from './ssrf.js';
import { checkTargetUrl } from './urls.js';

/**
 * What partners (API) and the operator (CLI) do with outbound webhooks: read deliveries and their
 * attempts, redeliver, send a test event, rotate the secret, choose events. Errors are
 * QuickCartErrors; answers are the wire shapes (snake_case).
 */

/** How long a rotated-out secret still signs. */
export const SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

/** One HTTP attempt of a delivery. */
export interface AttemptView {
  attempt: number;
  url: string;
  status_code: number | null;
  latency_ms: number;
  /** The first kilobyte of the answer. */
  response_body: string | null;
  error: string | null;
  at: string;
}

/** A delivery: one event to one endpoint, with every attempt. `id` is its `webhook-id`. */
export interface DeliveryView {
  id: string;
  event: string;
  payment_id: string | null;
  url: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  last_error: string | null;
  created_at: string;
  attempt_log: AttemptView[];
}

/** A rotated secret (shown once) and until when the old one still signs. */
export interface RotatedSecret {
  partner_id: string;
  webhook_secret: string;
  previous_secret_valid_until: string;
}

/** The result of a test event or redelivery: the delivery as queued. */
export interface QueuedDelivery {
  queued: true;
  delivery: DeliveryView;
}

function view(row: OutboxMessage, attempts: AttemptView[]): DeliveryView {
  const status = row.deliveredAt ? 'delivered' : row.failedAt ? 'failed' : 'pending';
  return {
    id: row.eventId,
    event: row.topic,
    payment_id: row.paymentId,
    url: row.targetUrl,
    status,
    attempts: row.attempts,
    next_attempt_at: status === 'pending' ? row.availableAt.toISOString() : null,
    delivered_at: row.deliveredAt?.toISOString() ?? null,
    failed_at: row.failedAt?.toISOString() ?? null,
    last_error: row.lastError,
    created_at: row.createdAt.toISOString(),
    attempt_log: attempts,
  };
}

async function withAttempts(db: Db, rows: OutboxMessage[]): Promise<DeliveryView[]> {
  if (rows.length === 0) return [];
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(
      inArray(
        webhookAttempts.outboxId,
        rows.map((row) => row.id),
      ),
    )
    .orderBy(asc(webhookAttempts.id));
  return rows.map((row) =>
    view(
      row,
      attempts
        .filter((a) => a.outboxId === row.id)
        .map((a) => ({
          attempt: a.attempt,
          url: a.url,
          status_code: a.statusCode,
          latency_ms: a.latencyMs,
          response_body: a.responseBody,
          error: a.error,
          at: a.createdAt.toISOString(),
        })),
    ),
  );
}

/** A partner's deliveries, newest first (at most `limit`), optionally of one payment. */
export async function listDeliveries(
  db: Db,
  partnerId: string,
  options: { paymentId?: string | undefined; limit?: number } = {},
): Promise<DeliveryView[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.partnerId, partnerId),
        options.paymentId === undefined ? undefined : eq(outbox.paymentId, options.paymentId),
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(options.limit ?? 100);
  return withAttempts(db, rows);
}

async function deliveryOf(db: Db, partnerId: string, id: string): Promise<DeliveryView> {
  const [row] = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.eventId, id), eq(outbox.partnerId, partnerId)));
  if (!row) throw new QuickCartError('NOT_FOUND', { message: `no webhook delivery ${id}` });
  const [found] = await withAttempts(db, [row]);
  return found as DeliveryView;
}

/**
 * Sends a delivery again, with the same `webhook-id` and a fresh attempt count; re-enables its
 * endpoint if it had answered 410. NOT_FOUND for another partner's delivery; CONFLICT while an
 * attempt is in flight.
 */
export async function redeliver(db: Db, partnerId: string, id: string): Promise<QueuedDelivery> {
  const updated = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(outbox)
      .set({ availableAt: sql`now()`, deliveredAt: null, failedAt: null, attempts: 0, lastError: null })
      .where(
        and(
          eq(outbox.eventId, id),
          eq(outbox.partnerId, partnerId),
          sql`(${outbox.leaseUntil} is null or ${outbox.leaseUntil} < now())`,
        ),
      )
      .returning();
    if (row?.targetUrl) {
      await tx
        .delete(webhookDisabledEndpoints)
        .where(
          and(
            eq(webhookDisabledEndpoints.partnerId, partnerId),
            eq(webhookDisabledEndpoints.url, row.targetUrl),
          ),
        );
    }
    return row;
  });
  if (!updated) {
    const existing = await deliveryOf(db, partnerId, id);
    throw new QuickCartError('CONFLICT', {
      message: `webhook delivery ${id} is being attempted right now; retry in a few seconds`,
      details: { delivery_id: existing.id },
    });
  }
  return { queued: true, delivery: await deliveryOf(db, partnerId, id) };
}

async function partnerRow(db: Db, partnerId: string) {
  const [row] = await db.select().from(partners).where(eq(partners.id, partnerId));
  if (!row) throw new QuickCartError('NOT_FOUND', { message: `no partner ${partnerId}` });
  return row;
}

/**
 * Queues a `webhook.test` event to `url` (default: the partner's endpoint), through the SSRF guard.
 * Re-enables that endpoint if it had answered 410.
 */
export async function sendTestEvent(
  db: Db,
  options: { partnerId: string; url?: string | null | undefined; guard: TargetGuard; now?: Date },
): Promise<QueuedDelivery> {
  const partner = await partnerRow(db, options.partnerId);
  const url = options.url ?? partner.webhookUrl;
  if (!url) {
    throw new QuickCartError('VALIDATION_ERROR', {
      message: 'no webhook URL: send `url`, or give the partner a default webhook URL',
      details: { field: 'url' },
    });
  }
  checkTargetUrl(options.guard, 'url', url);
  const eventId = await db.transaction(async (tx) => {
    await tx
      .delete(webhookDisabledEndpoints)
      .where(and(eq(webhookDisabledEndpoints.partnerId, partner.id), eq(webhookDisabledEndpoints.url, url)));
    return enqueueTestEvent(tx, { partnerId: partner.id, url, now: options.now ?? new Date() });
  });
  return { queued: true, delivery: await deliveryOf(db, partner.id, eventId) };
}

/**
 * A new webhook secret (shown once); the current one keeps signing beside it for 24 h. A second
 * rotation within the 24 h drops the oldest secret at once.
 */
export async function rotateSecret(db: Db, partnerId: string): Promise<RotatedSecret> {
  const secret = generateWebhookSecret();
  const [row] = await db
    .update(partners)
    .set({
      webhookSecretPrevious: sql`${partners.webhookSecret}`,
      webhookSecretPreviousUntil: sql`now() + ${SECRET_GRACE_MS} * interval '1 millisecond'`,
      webhookSecret: secret,
    })
    .where(eq(partners.id, partnerId))
    .returning({ until: partners.webhookSecretPreviousUntil });
  if (!row?.until) throw new QuickCartError('NOT_FOUND', { message: `no partner ${partnerId}` });
  return {
    partner_id: partnerId,
    webhook_secret: secret,
    previous_secret_valid_until: row.until.toISOString(),
  };
}

/** Sets the events a partner receives (`payment.success` is always among them); returns them. */
export async function setWebhookEvents(
  db: Db,
  partnerId: string,
  events: readonly string[],
): Promise<WebhookEvent[]> {
  const unknown = events.filter((event) => !(WEBHOOK_EVENTS as readonly string[]).includes(event));
  if (unknown.length > 0) {
    throw new QuickCartError('VALIDATION_ERROR', {
      message: `unknown webhook event ${unknown.join(', ')}: use ${WEBHOOK_EVENTS.join(', ')}`,
      details: { field: 'events' },
    });
  }
  const chosen = WEBHOOK_EVENTS.filter((event) => event === 'payment.success' || events.includes(event));
  const [row] = await db
    .update(partners)
    .set({ webhookEvents: chosen })
    .where(eq(partners.id, partnerId))
    .returning({ events: partners.webhookEvents });
  if (!row) throw new QuickCartError('NOT_FOUND', { message: `no partner ${partnerId}` });
  return row.events;
}
