import { sql } from 'drizzle-orm';
import { outbox, type PaymentStatus, type WebhookEvent } from '../../db/schema.js';
import type { Executor, Tx } from '../../db/types.js';

/**
 * Outbox rows of partner webhooks, written in the transaction of the change they announce: a
 * transition that commits has its webhook queued, one rolled back has none.
 */

/** The outbox topics the webhook worker delivers. */
export const WEBHOOK_TOPICS = [
  'payment.success',
  'payment.expired',
  'payment.cancelled',
  'webhook.test',
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

/** The event announcing each status, and the payload field that says when it happened. */
const EVENTS: Partial<Record<PaymentStatus, { event: WebhookEvent; at: string; column: string }>> = {
  paid: { event: 'payment.success', at: 'paid_at', column: 'paid_at' },
  expired: { event: 'payment.expired', at: 'expired_at', column: 'updated_at' },
  cancelled: { event: 'payment.cancelled', at: 'cancelled_at', column: 'updated_at' },
};

/** An ISO 8601 UTC timestamp in SQL, as `Date#toISOString()` writes it. */
function isoUtc(column: string) {
  return sql.raw(`to_char(p.${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

/**
 * Queues the webhook announcing that `paymentId` became `status` (seed 004's payload, without the
 * signature, which is computed per attempt): one INSERT … SELECT, which inserts nothing when the
 * status has no event (`failed`), the partner did not opt in to it, or neither the payment nor the
 * partner has a webhook URL. Call it in the transaction of the transition, after it matched.
 */
export async function enqueuePaymentEvent(tx: Tx, paymentId: string, status: PaymentStatus): Promise<void> {
  const spec = EVENTS[status];
  if (!spec) return;
  await tx.execute(sql`
    insert into outbox (topic, payload, partner_id, payment_id, target_url)
    select ${spec.event},
      jsonb_build_object('event', ${spec.event}::text, 'payment_id', p.id, 'transaction_id', p.transaction_id,
        'amount', p.amount, 'payment_type', p.payment_type, ${spec.at}::text, ${isoUtc(spec.column)}),
      p.partner_id, p.id, coalesce(p.webhook_url, pt.webhook_url)
    from payments p join partners pt on pt.id = p.partner_id
    where p.id = ${paymentId}
      and coalesce(p.webhook_url, pt.webhook_url) is not null
      and ${spec.event}::text = any(pt.webhook_events)`);
}

/** Queues a `webhook.test` event to `url` for `partnerId`; returns its event id. */
export async function enqueueTestEvent(
  executor: Executor,
  options: { partnerId: string; url: string; now: Date },
): Promise<string> {
  const payload = {
    event: 'webhook.test',
    message: 'QuickCart test webhook: your endpoint and signature check work.',
    sent_at: options.now.toISOString(),
  };
  const [row] = await executor
    .insert(outbox)
    .values({ topic: 'webhook.test', payload, partnerId: options.partnerId, targetUrl: options.url })
    .returning({ eventId: outbox.eventId });
  const eventId = row?.eventId;
  if (!eventId) throw new Error('insert into outbox returned no row');
  return eventId;
}
