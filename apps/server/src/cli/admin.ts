// `quickcart migrate | partner create | license create | license topup`. They open the database
// themselves; with PGlite, when a running `quickcart start` holds it (one process only), they ask
// that server instead, over the loopback admin endpoint named in `${DATA_DIR}/admin.json`. The
// output is the same either way.
import { adminClient } from '../admin/client.js';
import { readAdminEndpoint } from '../admin/endpoint-file.js';
import { type AdminOperations, localAdmin, type MigrationState } from '../admin/operations.js';
import type { Config } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { DatabaseLockedError } from '../db/lock.js';
import { migrateDatabase } from '../db/migrate.js';
import type { Database } from '../db/types.js';
import { createStockCipher, useStockCipher } from '../store/stock-crypto.js';
import { createTargetGuard } from '../webhooks/outbound/ssrf.js';

/** How a command prints: a JSON object for machines (`--json`), or lines for people. */
export interface Output {
  json: boolean;
  stdout(text: string): void;
}

/** Prints `object` as JSON (`--json`) or `lines` for people. */
export function print(output: Output, object: object, lines: string[]): void {
  output.stdout(output.json ? `${JSON.stringify(object)}\n` : `${lines.join('\n')}\n`);
}

/** Where a command's operations ran: on the database, or in the running server with that pid. */
export type Via = { kind: 'database'; database: Database } | { kind: 'server'; pid: number };

/**
 * Runs `work` with the administration operations: on the database when it can be opened, or,
 * when the PGlite lock is held by a running server that published its admin endpoint, through
 * that server. A lock held by anything else still throws the DatabaseLockedError.
 */
export async function withAdmin<T>(
  config: Config,
  work: (admin: AdminOperations & { status(): Promise<MigrationState> }, via: Via) => Promise<T>,
): Promise<T> {
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    const endpoint = await readAdminEndpoint(config.dataDir);
    // The endpoint must belong to the process that holds the lock, not to an older server.
    if (!endpoint || endpoint.pid !== error.holder.pid) throw error;
    return work(adminClient(endpoint), { kind: 'server', pid: endpoint.pid });
  }
  try {
    await migrateDatabase(database);
    // Stock added here is encrypted with STOCK_ENCRYPTION_KEY, as the server would.
    useStockCipher(database.db, createStockCipher(config.stockEncryptionKey));
    const status = async (): Promise<MigrationState> => ({ migrated: true, driver: database.driver });
    const guard = createTargetGuard({ allowedHosts: config.webhookAllowedHosts });
    return await work(
      { ...localAdmin(database.db, { webhooks: { guard } }), status },
      { kind: 'database', database },
    );
  } finally {
    await database.close();
  }
}

export async function migrateCommand(config: Config, output: Output): Promise<void> {
  await withAdmin(config, async (admin, via) => {
    const state = await admin.status();
    const where = state.driver === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL';
    const line =
      via.kind === 'server'
        ? `migrations applied (${where}) by the running server, process ${via.pid}`
        : `migrations applied (${where})`;
    print(output, state, [line]);
  });
}

export async function createPartnerCommand(
  config: Config,
  output: Output,
  options: { name: string; webhookUrl?: string | undefined },
): Promise<void> {
  await withAdmin(config, async (admin) => {
    const created = await admin.createPartner({ name: options.name, webhookUrl: options.webhookUrl ?? null });
    print(output, created, [
      `partner ${created.id} (${created.name}) created`,
      `  API key:        ${created.api_key}`,
      `  webhook secret: ${created.webhook_secret}`,
      'Both are shown once: store them now.',
    ]);
  });
}

export async function createLicenseCommand(
  config: Config,
  output: Output,
  options: { partnerId: string; tokens: number; expiresAt?: Date | undefined },
): Promise<void> {
  await withAdmin(config, async (admin) => {
    const license = await admin.createLicense({
      partnerId: options.partnerId,
      tokens: options.tokens,
      expiresAt: options.expiresAt ?? null,
    });
    print(output, license, [
      `license ${license.id} for ${license.partner_id}: ${license.tokens} tokens${license.expires_at ? `, expires ${license.expires_at}` : ''}`,
      `  license key: ${license.license_key}`,
      'The key is shown once: store it now.',
    ]);
  });
}

export async function topupLicenseCommand(
  config: Config,
  output: Output,
  options: { key: string; tokens: number },
): Promise<void> {
  await withAdmin(config, async (admin) => {
    const result = await admin.topupLicense({ key: options.key, tokens: options.tokens });
    print(output, result, [`license ${result.id}: ${result.tokens} tokens`]);
  });
}
