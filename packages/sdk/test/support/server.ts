// A real QuickCart server for the SDK's integration tests: `startQuickCart()` in this process on
// 127.0.0.1, PGlite in a temporary DATA_DIR, the embedded Pakasir sandbox, webhooks allowed to
// loopback receivers. Partners and licenses are made with the server's own functions.
import { eq } from 'drizzle-orm';
import { licenseLedger, licenses } from '../../../../apps/server/src/db/schema.js';
import { hashLicenseKey, licenseKeyPrefix } from '../../../../apps/server/src/payments/keys.js';
import { createLicense } from '../../../../apps/server/src/payments/licenses.js';
import { createPartner } from '../../../../apps/server/src/payments/partners.js';
import { startTestServer, type TestServer } from '../../../../apps/server/test/servers.js';

/** Payment creations per API key per minute: low enough for a test to reach, high for the rest. */
export const CREATE_LIMIT = 40;

export type { TestServer } from '../../../../apps/server/test/servers.js';

/** Starts the server; `close()` stops it and removes its data. */
export function startServer(): Promise<TestServer> {
  return startTestServer({
    rateLimits: { createPerWindow: CREATE_LIMIT, readPerWindow: 100_000 },
    env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
  });
}

/** A partner account with one license. */
export interface Account {
  partnerId: string;
  apiKey: string;
  webhookSecret: string;
  licenseId: string;
  licenseKey: string;
}

/** Options of `createAccount()`. */
export interface AccountOptions {
  tokens?: number;
  webhookUrl?: string;
  /** A license key of your choosing (the seeds' 'LICENSE-KEY'), instead of a generated one. */
  licenseKey?: string;
  expiresAt?: Date;
}

/** A new partner with an API key, a webhook secret and a license of `tokens` (default 10). */
export async function createAccount(server: TestServer, options: AccountOptions = {}): Promise<Account> {
  const db = server.server.database.db;
  const { partner, apiKey, webhookSecret } = await createPartner(db, {
    name: 'SDK test shop',
    mode: 'test',
    ...(options.webhookUrl && { webhookUrl: options.webhookUrl }),
  });
  const { license, key } = await createLicense(db, {
    partnerId: partner.id,
    tokens: options.tokens ?? 10,
    expiresAt: options.expiresAt ?? null,
  });
  let licenseKey = key;
  if (options.licenseKey) {
    licenseKey = options.licenseKey;
    await db
      .update(licenses)
      .set({ keyHash: hashLicenseKey(licenseKey), keyPrefix: licenseKeyPrefix(licenseKey) })
      .where(eq(licenses.id, license.id));
  }
  return { partnerId: partner.id, apiKey, webhookSecret, licenseId: license.id, licenseKey };
}

/** The license's token balance, and its ledger entries (debits and refunds) per payment. */
export async function tokensOf(server: TestServer, account: Account) {
  const db = server.server.database.db;
  const [row] = await db
    .select({ tokens: licenses.tokens })
    .from(licenses)
    .where(eq(licenses.id, account.licenseId));
  const ledger = await db
    .select({ delta: licenseLedger.delta, reason: licenseLedger.reason, paymentId: licenseLedger.paymentId })
    .from(licenseLedger)
    .where(eq(licenseLedger.licenseId, account.licenseId));
  return { tokens: row?.tokens, ledger: ledger.filter((entry) => entry.reason !== 'topup') };
}
