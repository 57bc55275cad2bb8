// The operator's administration (`quickcart partner create | license create | license topup |
// webhooks …`),
// as one set of operations with two implementations: straight on the database (`localAdmin`),
// or through a running server's loopback admin endpoint (`adminClient` in ./client.ts). Both
// answer the same wire shapes, so the CLI prints the same thing whichever it used.
import { eq } from 'drizzle-orm';
import { licenses, outbox, partners } from '../db/schema.js';
import type { Db, Driver } from '../db/types.js';
import { QuickCartError } from '../payments/errors.js';
import { hashLicenseKey } from '../payments/keys.js';
import { createLicense, topup } from '../payments/licenses.js';
import { createPartner } from '../payments/partners.js';
import {
  type DeliveryView,
  listDeliveries,
  type QueuedDelivery,
  type RotatedSecret,
  redeliver,
  rotateSecret,
  sendTestEvent,
  setWebhookEvents,
} from '../webhooks/outbound/deliveries.js';
import { createTargetGuard, type TargetGuard } from '../webhooks/outbound/ssrf.js';
import { type StoreAdminOperations, storeAdmin } from './store.js';

/** A new partner with its secrets (shown once): the `--json` output of `partner create`. */
export interface PartnerCreated {
  id: string;
  name: string;
  api_key: string;
  webhook_secret: string;
}

/** A new license with its key (shown once): the `--json` output of `license create`. */
export interface LicenseCreated {
  id: string;
  partner_id: string;
  license_key: string;
  tokens: number;
  /** ISO 8601, or null when it never expires. */
  expires_at: string | null;
}

/** A license's balance after a top-up: the `--json` output of `license topup`. */
export interface LicenseToppedUp {
  id: string;
  tokens: number;
}

/** The database's state: the `--json` output of `migrate`. */
export interface MigrationState {
  migrated: true;
  driver: Driver;
}

export interface CreatePartnerInput {
  name: string;
  webhookUrl?: string | null | undefined;
}

export interface CreateLicenseInput {
  partnerId: string;
  tokens: number;
  expiresAt?: Date | null | undefined;
}

export interface TopupInput {
  /** The license key, as the partner has it (dashes and case do not matter). */
  key: string;
  tokens: number;
}

/** `webhooks deliveries`: a partner's deliveries, optionally of one payment. */
export interface WebhookDeliveriesInput {
  partnerId: string;
  paymentId?: string | undefined;
}

/** `webhooks test`: a signed test event to `url` (default: the partner's endpoint). */
export interface WebhookTestInput {
  partnerId: string;
  url?: string | null | undefined;
}

/** `webhooks events`: the events a partner receives. */
export interface WebhookEventsInput {
  partnerId: string;
  events: string[];
}

/** The `--json` output of `webhooks deliveries`. */
export interface WebhookDeliveries {
  deliveries: DeliveryView[];
}

/** The `--json` output of `webhooks events`. */
export interface WebhookEvents {
  partner_id: string;
  events: string[];
}

/** What the CLI's administration commands need, wherever they run. Errors are QuickCartErrors. */
export interface AdminOperations extends StoreAdminOperations {
  createPartner(input: CreatePartnerInput): Promise<PartnerCreated>;
  /** NOT_FOUND when the partner does not exist. */
  createLicense(input: CreateLicenseInput): Promise<LicenseCreated>;
  /** INVALID_LICENSE when no license has that key. */
  topupLicense(input: TopupInput): Promise<LicenseToppedUp>;
  webhookDeliveries(input: WebhookDeliveriesInput): Promise<WebhookDeliveries>;
  /** NOT_FOUND for an unknown delivery id; CONFLICT while it is being attempted. */
  redeliverWebhook(input: { id: string }): Promise<QueuedDelivery>;
  testWebhook(input: WebhookTestInput): Promise<QueuedDelivery>;
  /** The new secret, shown once; the old one keeps signing for 24 h. */
  rotateWebhookSecret(input: { partnerId: string }): Promise<RotatedSecret>;
  setWebhookEvents(input: WebhookEventsInput): Promise<WebhookEvents>;
}

/** Options of `localAdmin()`. */
export interface LocalAdminOptions {
  /** The SSRF guard of test-event URLs (default: no exemptions) and the delivery worker's `wake`. */
  webhooks?: { guard?: TargetGuard | undefined; wake?: (() => void) | undefined };
}

/**
 * The operations straight on a migrated database.
 * @example
 * const created = await localAdmin(database.db).createPartner({ name: 'Toko Sari' });
 * created.api_key; // 'qc_live_…', shown once
 */
export function localAdmin(db: Db, options: LocalAdminOptions = {}): AdminOperations {
  const guard = options.webhooks?.guard ?? createTargetGuard();
  const wake = options.webhooks?.wake ?? (() => {});
  return {
    ...storeAdmin(db),
    async createPartner(input) {
      const created = await createPartner(db, { name: input.name, webhookUrl: input.webhookUrl ?? null });
      return {
        id: created.partner.id,
        name: created.partner.name,
        api_key: created.apiKey,
        webhook_secret: created.webhookSecret,
      };
    },
    async createLicense(input) {
      const [partner] = await db
        .select({ id: partners.id })
        .from(partners)
        .where(eq(partners.id, input.partnerId));
      if (!partner) throw new QuickCartError('NOT_FOUND', { message: `no partner ${input.partnerId}` });
      const { license, key } = await createLicense(db, {
        partnerId: input.partnerId,
        tokens: input.tokens,
        expiresAt: input.expiresAt ?? null,
      });
      return {
        id: license.id,
        partner_id: license.partnerId,
        license_key: key,
        tokens: license.tokens,
        expires_at: license.expiresAt?.toISOString() ?? null,
      };
    },
    async topupLicense(input) {
      const [license] = await db
        .select({ id: licenses.id })
        .from(licenses)
        .where(eq(licenses.keyHash, hashLicenseKey(input.key)));
      if (!license) throw new QuickCartError('INVALID_LICENSE');
      const balance = await topup(db, { licenseId: license.id, tokens: input.tokens });
      return { id: license.id, tokens: balance };
    },
    async webhookDeliveries(input) {
      return { deliveries: await listDeliveries(db, input.partnerId, { paymentId: input.paymentId }) };
    },
    async redeliverWebhook(input) {
      const [row] = await db
        .select({ partnerId: outbox.partnerId })
        .from(outbox)
        .where(eq(outbox.eventId, input.id));
      if (!row?.partnerId)
        throw new QuickCartError('NOT_FOUND', { message: `no webhook delivery ${input.id}` });
      const queued = await redeliver(db, row.partnerId, input.id);
      wake();
      return queued;
    },
    async testWebhook(input) {
      const queued = await sendTestEvent(db, { partnerId: input.partnerId, url: input.url, guard });
      wake();
      return queued;
    },
    rotateWebhookSecret: (input) => rotateSecret(db, input.partnerId),
    async setWebhookEvents(input) {
      return {
        partner_id: input.partnerId,
        events: await setWebhookEvents(db, input.partnerId, input.events),
      };
    },
  };
}
