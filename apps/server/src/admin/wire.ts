// The request bodies of the loopback admin routes (`/_admin/*`), shared by the routes that parse
// them and the CLI's client that sends them, so the two cannot drift apart.
import { z } from 'zod';
import type {
  CreateLicenseInput,
  CreatePartnerInput,
  TopupInput,
  WebhookDeliveriesInput,
  WebhookEventsInput,
  WebhookTestInput,
} from './operations.js';

/** `POST /_admin/partners`. */
export const partnerBody = z.object({
  name: z.string().min(1).max(200),
  webhook_url: z.string().max(2048).nullish(),
});

/** `POST /_admin/licenses`. Token counts are checked by the licenses module, as on the database. */
export const licenseBody = z.object({
  partner_id: z.string().min(1).max(100),
  tokens: z.number(),
  expires_at: z.iso.datetime({ offset: true }).nullish(),
});

/** `POST /_admin/licenses/topup`. */
export const topupBody = z.object({
  license_key: z.string().min(1).max(200),
  tokens: z.number(),
});

/** `GET /_admin/webhooks/deliveries?partner_id=&payment_id=`. */
export const webhookDeliveriesQuery = z.object({
  partner_id: z.string().min(1).max(100),
  payment_id: z.string().min(1).max(100).optional(),
});

/** `POST /_admin/webhooks/deliveries/:id/redeliver`. */
export const webhookDeliveryParams = z.object({ id: z.string().min(1).max(100) });

/** `POST /_admin/webhooks/test`. */
export const webhookTestBody = z.object({
  partner_id: z.string().min(1).max(100),
  url: z.string().max(2048).nullish(),
});

/** `POST /_admin/webhooks/secret/rotate`. */
export const webhookRotateBody = z.object({ partner_id: z.string().min(1).max(100) });

/** `POST /_admin/webhooks/events` (events are checked by the webhooks module, as on the database). */
export const webhookEventsBody = z.object({
  partner_id: z.string().min(1).max(100),
  events: z.array(z.string().max(100)).max(10),
});

export type PartnerBody = z.input<typeof partnerBody>;
export type LicenseBody = z.input<typeof licenseBody>;
export type TopupBody = z.input<typeof topupBody>;
export type WebhookTestBody = z.input<typeof webhookTestBody>;
export type WebhookRotateBody = z.input<typeof webhookRotateBody>;
export type WebhookEventsBody = z.input<typeof webhookEventsBody>;

/** The operation's input of a parsed `POST /_admin/partners` body. */
export function partnerInput(body: z.output<typeof partnerBody>): CreatePartnerInput {
  return { name: body.name, webhookUrl: body.webhook_url ?? null };
}

/** The operation's input of a parsed `POST /_admin/licenses` body. */
export function licenseInput(body: z.output<typeof licenseBody>): CreateLicenseInput {
  return {
    partnerId: body.partner_id,
    tokens: body.tokens,
    expiresAt: body.expires_at ? new Date(body.expires_at) : null,
  };
}

/** The operation's input of a parsed `POST /_admin/licenses/topup` body. */
export function topupInput(body: z.output<typeof topupBody>): TopupInput {
  return { key: body.license_key, tokens: body.tokens };
}

/** The operation's input of a parsed `GET /_admin/webhooks/deliveries` query. */
export function webhookDeliveriesInput(
  query: z.output<typeof webhookDeliveriesQuery>,
): WebhookDeliveriesInput {
  return { partnerId: query.partner_id, paymentId: query.payment_id };
}

/** The operation's input of a parsed `POST /_admin/webhooks/test` body. */
export function webhookTestInput(body: z.output<typeof webhookTestBody>): WebhookTestInput {
  return { partnerId: body.partner_id, url: body.url ?? null };
}

/** The operation's input of a parsed `POST /_admin/webhooks/events` body. */
export function webhookEventsInput(body: z.output<typeof webhookEventsBody>): WebhookEventsInput {
  return { partnerId: body.partner_id, events: body.events };
}
