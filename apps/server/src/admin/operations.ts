// The operator's administration (`quickcart partner create | license create | license topup`),
// as one set of operations with two implementations: straight on the database (`localAdmin`),
// or through a running server's loopback admin endpoint (`adminClient` in ./client.ts). Both
// answer the same wire shapes, so the CLI prints the same thing whichever it used.
import { eq } from 'drizzle-orm';
import { licenses, partners } from '../db/schema.js';
import type { Db, Driver } from '../db/types.js';
import { QuickCartError } from '../payments/errors.js';
import { hashLicenseKey } from '../payments/keys.js';
import { createLicense, topup } from '../payments/licenses.js';
import { createPartner } from '../payments/partners.js';

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

/** What the CLI's administration commands need, wherever they run. Errors are QuickCartErrors. */
export interface AdminOperations {
  createPartner(input: CreatePartnerInput): Promise<PartnerCreated>;
  /** NOT_FOUND when the partner does not exist. */
  createLicense(input: CreateLicenseInput): Promise<LicenseCreated>;
  /** INVALID_LICENSE when no license has that key. */
  topupLicense(input: TopupInput): Promise<LicenseToppedUp>;
}

/**
 * The operations straight on a migrated database.
 * @example
 * const created = await localAdmin(database.db).createPartner({ name: 'Toko Sari' });
 * created.api_key; // 'qc_live_…', shown once
 */
export function localAdmin(db: Db): AdminOperations {
  return {
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
  };
}
