import { eq, sql } from 'drizzle-orm';
import { licenses, storeSettings } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { createLicense, MAX_TOPUP, topup } from '../payments/licenses.js';
import { createPartner } from '../payments/partners.js';

/**
 * The store's own partner and license: store orders are payments like any partner's, so every
 * guarantee of the payment service holds for them. Created once (under an advisory lock, so two
 * instances starting together make one), with a license of MAX_TOPUP tokens that
 * `keepLicenseFunded` tops up whenever it runs low: a shop must never stop selling because its own
 * license ran out.
 */

/** What the store pays with. */
export interface StoreAccount {
  partnerId: string;
  /** Paid through `PaymentService.createForLicense`: the store never holds the license key. */
  licenseId: string;
}

export const STORE_PARTNER_NAME = 'QuickCart Telegram Store';

/** Below this balance the license is topped up. */
export const LOW_TOKENS = 100_000;

/** The store's partner and license, created on first use. */
export async function ensureStoreAccount(db: Executor): Promise<StoreAccount> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('quickcart:store-account'))`);
    const [existing] = await tx.select().from(storeSettings).where(eq(storeSettings.id, 1));
    if (existing) {
      return { partnerId: existing.partnerId, licenseId: existing.licenseId };
    }
    const { partner } = await createPartner(tx, { name: STORE_PARTNER_NAME });
    const { license } = await createLicense(tx, { partnerId: partner.id, tokens: MAX_TOPUP });
    await tx.insert(storeSettings).values({ partnerId: partner.id, licenseId: license.id });
    return { partnerId: partner.id, licenseId: license.id };
  });
}

/** Tops the store license back up to MAX_TOPUP when it fell below LOW_TOKENS; returns the balance. */
export async function keepLicenseFunded(db: Executor, account: StoreAccount): Promise<number> {
  const [row] = await db
    .select({ tokens: licenses.tokens })
    .from(licenses)
    .where(eq(licenses.id, account.licenseId));
  const tokens = row?.tokens ?? 0;
  if (tokens >= LOW_TOKENS) return tokens;
  return topup(db, { licenseId: account.licenseId, tokens: MAX_TOPUP - tokens });
}
