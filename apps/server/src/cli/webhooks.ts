// `quickcart webhooks deliveries | redeliver | test | rotate-secret | events`: a partner's outbound
// webhooks, on the database or through the running server (see withAdmin), printed the same way.
import type { Config } from '../config.js';
import type { DeliveryView, QueuedDelivery } from '../webhooks/outbound/deliveries.js';
import { type Output, print, withAdmin } from './admin.js';

/** One line per delivery, then one per attempt. */
function deliveryLines(delivery: DeliveryView): string[] {
  const when =
    delivery.status === 'delivered'
      ? `delivered ${delivery.delivered_at}`
      : delivery.status === 'failed'
        ? `failed ${delivery.failed_at}: ${delivery.last_error ?? ''}`
        : `pending, next attempt ${delivery.next_attempt_at}`;
  return [
    `${delivery.id} ${delivery.event}${delivery.payment_id ? ` ${delivery.payment_id}` : ''} → ${delivery.url ?? '(no URL)'}: ${when}`,
    ...delivery.attempt_log.map(
      (a) =>
        `  #${a.attempt} ${a.at} ${a.status_code ?? a.error ?? 'no answer'} in ${a.latency_ms} ms${a.response_body ? ` ${JSON.stringify(a.response_body.slice(0, 80))}` : ''}`,
    ),
  ];
}

function queuedLines(queued: QueuedDelivery, what: string): string[] {
  return [`${what} ${queued.delivery.id} queued to ${queued.delivery.url ?? '(no URL)'}`];
}

export async function webhookDeliveriesCommand(
  config: Config,
  output: Output,
  options: { partnerId: string; paymentId?: string | undefined },
): Promise<void> {
  await withAdmin(config, async (admin) => {
    const result = await admin.webhookDeliveries(options);
    const lines = result.deliveries.flatMap(deliveryLines);
    print(output, result, lines.length > 0 ? lines : ['no webhook deliveries']);
  });
}

export async function redeliverWebhookCommand(
  config: Config,
  output: Output,
  options: { id: string },
): Promise<void> {
  await withAdmin(config, async (admin) => {
    const queued = await admin.redeliverWebhook(options);
    print(output, queued, queuedLines(queued, 'delivery'));
  });
}

export async function testWebhookCommand(
  config: Config,
  output: Output,
  options: { partnerId: string; url?: string | undefined },
): Promise<void> {
  await withAdmin(config, async (admin) => {
    const queued = await admin.testWebhook(options);
    print(output, queued, queuedLines(queued, 'test event'));
  });
}

export async function rotateWebhookSecretCommand(
  config: Config,
  output: Output,
  options: { partnerId: string },
): Promise<void> {
  await withAdmin(config, async (admin) => {
    const rotated = await admin.rotateWebhookSecret(options);
    print(output, rotated, [
      `webhook secret of ${rotated.partner_id} rotated`,
      `  new secret: ${rotated.webhook_secret}`,
      `  the previous secret keeps signing until ${rotated.previous_secret_valid_until}`,
      'The new secret is shown once: store it now.',
    ]);
  });
}

export async function webhookEventsCommand(
  config: Config,
  output: Output,
  options: { partnerId: string; events: string[] },
): Promise<void> {
  await withAdmin(config, async (admin) => {
    const result = await admin.setWebhookEvents(options);
    print(output, result, [`${result.partner_id} receives ${result.events.join(', ')}`]);
  });
}
