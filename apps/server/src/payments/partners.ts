import { and, eq, isNull } from 'drizzle-orm';
import { apiKeys, type Partner, partners } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { newId } from './ids.js';
import { type ApiKeyMode, generateApiKey, generateWebhookSecret, hashKey } from './keys.js';

/** Options of `createPartner()`. */
export interface CreatePartnerOptions {
  name: string;
  /** Where payment webhooks go unless a payment names its own URL. */
  webhookUrl?: string | null;
  /** `qc_live_…` (default) or `qc_test_…` key. */
  mode?: ApiKeyMode;
}

/** A new partner with its secrets, which are shown now and never again by the API. */
export interface CreatedPartner {
  partner: Partner;
  /** The API key in clear; only its hash is stored. */
  apiKey: string;
  /** The webhook signing secret. */
  webhookSecret: string;
}

/** Creates a partner, its first API key and its webhook secret, in one transaction. */
export async function createPartner(
  executor: Executor,
  options: CreatePartnerOptions,
): Promise<CreatedPartner> {
  const { key, prefix } = generateApiKey(options.mode);
  const webhookSecret = generateWebhookSecret();
  const partner = await executor.transaction(async (tx) => {
    const [row] = await tx
      .insert(partners)
      .values({
        id: newId('partner'),
        name: options.name,
        webhookUrl: options.webhookUrl ?? null,
        webhookSecret,
      })
      .returning();
    if (!row) throw new Error('insert into partners returned no row');
    await tx.insert(apiKeys).values({ id: newId('apiKey'), partnerId: row.id, prefix, hash: hashKey(key) });
    return row;
  });
  return { partner, apiKey: key, webhookSecret };
}

/** The partner an API key belongs to, or null when the key is unknown or revoked. */
export async function findPartnerByApiKey(executor: Executor, apiKey: string): Promise<Partner | null> {
  const [row] = await executor
    .select({ partner: partners })
    .from(apiKeys)
    .innerJoin(partners, eq(partners.id, apiKeys.partnerId))
    .where(and(eq(apiKeys.hash, hashKey(apiKey)), isNull(apiKeys.revokedAt)));
  return row?.partner ?? null;
}
