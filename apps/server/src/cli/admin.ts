// `quickcart migrate | partner create | license create | license topup`: administration straight
// on the database. With PGlite only one process may open the database at a time, so while the
// server runs these commands get a DatabaseLockedError that says so.
import { eq } from 'drizzle-orm';
import type { Config } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateDatabase } from '../db/migrate.js';
import { licenses, partners } from '../db/schema.js';
import type { Database } from '../db/types.js';
import { QuickCartError } from '../payments/errors.js';
import { hashLicenseKey } from '../payments/keys.js';
import { createLicense, topup } from '../payments/licenses.js';
import { createPartner } from '../payments/partners.js';

/** How a command prints: a JSON object for machines (`--json`), or lines for people. */
export interface Output {
  json: boolean;
  stdout(text: string): void;
}

function print(output: Output, object: Record<string, unknown>, lines: string[]): void {
  output.stdout(output.json ? `${JSON.stringify(object)}\n` : `${lines.join('\n')}\n`);
}

/** Opens the configured database with migrations applied, runs `work`, always closes it. */
export async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateDatabase(database);
    return await work(database);
  } finally {
    await database.close();
  }
}

export async function migrateCommand(config: Config, output: Output): Promise<void> {
  await withDatabase(config, async (database) => {
    const where = database.driver === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL';
    print(output, { migrated: true, driver: database.driver }, [`migrations applied (${where})`]);
  });
}

export async function createPartnerCommand(
  config: Config,
  output: Output,
  options: { name: string; webhookUrl?: string | undefined },
): Promise<void> {
  await withDatabase(config, async ({ db }) => {
    const created = await createPartner(db, { name: options.name, webhookUrl: options.webhookUrl ?? null });
    print(
      output,
      {
        id: created.partner.id,
        name: created.partner.name,
        api_key: created.apiKey,
        webhook_secret: created.webhookSecret,
      },
      [
        `partner ${created.partner.id} (${created.partner.name}) created`,
        `  API key:        ${created.apiKey}`,
        `  webhook secret: ${created.webhookSecret}`,
        'Both are shown once: store them now.',
      ],
    );
  });
}

export async function createLicenseCommand(
  config: Config,
  output: Output,
  options: { partnerId: string; tokens: number; expiresAt?: Date | undefined },
): Promise<void> {
  await withDatabase(config, async ({ db }) => {
    const [partner] = await db
      .select({ id: partners.id })
      .from(partners)
      .where(eq(partners.id, options.partnerId));
    if (!partner) throw new QuickCartError('NOT_FOUND', { message: `no partner ${options.partnerId}` });
    const { license, key } = await createLicense(db, {
      partnerId: options.partnerId,
      tokens: options.tokens,
      expiresAt: options.expiresAt ?? null,
    });
    print(
      output,
      {
        id: license.id,
        partner_id: license.partnerId,
        license_key: key,
        tokens: license.tokens,
        expires_at: license.expiresAt?.toISOString() ?? null,
      },
      [
        `license ${license.id} for ${license.partnerId}: ${license.tokens} tokens${license.expiresAt ? `, expires ${license.expiresAt.toISOString()}` : ''}`,
        `  license key: ${key}`,
        'The key is shown once: store it now.',
      ],
    );
  });
}

export async function topupLicenseCommand(
  config: Config,
  output: Output,
  options: { key: string; tokens: number },
): Promise<void> {
  await withDatabase(config, async ({ db }) => {
    const [license] = await db
      .select({ id: licenses.id })
      .from(licenses)
      .where(eq(licenses.keyHash, hashLicenseKey(options.key)));
    if (!license) throw new QuickCartError('INVALID_LICENSE');
    const balance = await topup(db, { licenseId: license.id, tokens: options.tokens });
    print(output, { id: license.id, tokens: balance }, [`license ${license.id}: ${balance} tokens`]);
  });
}
