// First start: a demo partner with a license, so a new user can take a payment at once.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { count, sql } from 'drizzle-orm';
import { partners } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { createLicense } from '../payments/licenses.js';
import { createPartner } from '../payments/partners.js';

/** The demo partner's secrets, kept in the data directory so every start can print the curl commands. */
export interface DemoCredentials {
  partnerId: string;
  apiKey: string;
  webhookSecret: string;
  licenseKey: string;
}

export const DEMO_TOKENS = 100;
const FILE = 'demo-credentials.json';

/**
 * On an empty database, creates the demo partner and a license of DEMO_TOKENS tokens, and saves
 * their keys to `${dataDir}/demo-credentials.json` (mode 0600: they are real keys of this
 * instance). Later starts read that file back. Returns null when the database has partners but
 * the file is gone (the operator removed the demo or never had one).
 */
export async function ensureDemoData(
  db: Db,
  dataDir: string,
): Promise<{ demo: DemoCredentials; created: boolean } | null> {
  const path = join(dataDir, FILE);
  // Counted and created under one lock, so two instances starting together make one demo partner.
  const created = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('quickcart:demo-data'))`);
    const [row] = await tx.select({ partners: count() }).from(partners);
    if ((row?.partners ?? 0) > 0) return null;
    const partner = await createPartner(tx, { name: 'Demo Shop', mode: 'test' });
    const { key } = await createLicense(tx, { partnerId: partner.partner.id, tokens: DEMO_TOKENS });
    return {
      partnerId: partner.partner.id,
      apiKey: partner.apiKey,
      webhookSecret: partner.webhookSecret,
      licenseKey: key,
    };
  });
  if (!created) {
    try {
      return { demo: JSON.parse(await readFile(path, 'utf8')) as DemoCredentials, created: false };
    } catch {
      return null;
    }
  }
  const demo: DemoCredentials = created;
  await writeFile(path, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return { demo, created: true };
}
