import { and, eq, sql } from 'drizzle-orm';
import { executorQuery, type ScriptStep, type Statement } from '../db/raw.js';
import { type License, licenseLedger, licenses } from '../db/schema.js';
import type { Executor, Tx } from '../db/types.js';
import { QuickCartError } from './errors.js';
import { newId } from './ids.js';
import { generateLicenseKey, hashLicenseKey, licenseKeyPrefix } from './keys.js';

/**
 * License tokens: a balance on `licenses.tokens` and an append-only `license_ledger` whose sum of
 * `delta` per license always equals that balance. Every change of the balance is one conditional
 * UPDATE plus one ledger row in the same transaction.
 */

/** The most tokens one top-up (or a new license) may add: a guard against typos. */
export const MAX_TOPUP = 1_000_000;

function checkTokenCount(tokens: number, what: string, min: number): void {
  if (!Number.isSafeInteger(tokens) || tokens < min || tokens > MAX_TOPUP) {
    throw new QuickCartError('VALIDATION_ERROR', {
      message: `${what} must be a whole number from ${min} to ${MAX_TOPUP}, got ${tokens}`,
      details: { field: 'tokens' },
    });
  }
}

/** Options of `createLicense()`. */
export interface CreateLicenseOptions {
  partnerId: string;
  /** Starting balance (recorded in the ledger as a top-up); default 0. */
  tokens?: number;
  /** After this instant the license can no longer pay; null or unset: never expires. */
  expiresAt?: Date | null;
}

/**
 * Creates a license for a partner. Returns the row and the license key, which is not stored
 * (only its hash and first group are) and must be shown to the partner now.
 */
export async function createLicense(
  executor: Executor,
  options: CreateLicenseOptions,
): Promise<{ license: License; key: string }> {
  const tokens = options.tokens ?? 0;
  checkTokenCount(tokens, 'the starting balance', 0);
  const key = generateLicenseKey();
  const license = await executor.transaction(async (tx) => {
    const [row] = await tx
      .insert(licenses)
      .values({
        id: newId('license'),
        partnerId: options.partnerId,
        keyHash: hashLicenseKey(key),
        keyPrefix: licenseKeyPrefix(key),
        tokens,
        expiresAt: options.expiresAt ?? null,
      })
      .returning();
    if (!row) throw new Error('insert into licenses returned no row');
    if (tokens > 0)
      await tx.insert(licenseLedger).values({ licenseId: row.id, delta: tokens, reason: 'topup' });
    return row;
  });
  return { license, key };
}

/**
 * The license a key names, if it belongs to `partnerId`. Throws INVALID_LICENSE otherwise: another
 * partner's license is reported exactly like a key that does not exist.
 */
export async function findLicenseByKey(
  executor: Executor,
  options: { key: string; partnerId: string },
): Promise<License> {
  const [license] = await executor
    .select()
    .from(licenses)
    .where(and(eq(licenses.keyHash, hashLicenseKey(options.key)), eq(licenses.partnerId, options.partnerId)));
  if (!license) throw new QuickCartError('INVALID_LICENSE');
  return license;
}

/** Adds tokens to a license and records the top-up. Returns the new balance. */
export async function topup(
  executor: Executor,
  options: { licenseId: string; tokens: number },
): Promise<number> {
  checkTokenCount(options.tokens, 'a top-up', 1);
  return executor.transaction(async (tx) => {
    const [row] = await tx
      .update(licenses)
      .set({ tokens: sql`${licenses.tokens} + ${options.tokens}` })
      .where(eq(licenses.id, options.licenseId))
      .returning({ tokens: licenses.tokens });
    if (!row) {
      throw new QuickCartError('INVALID_LICENSE', { details: { license_id: options.licenseId } });
    }
    await tx
      .insert(licenseLedger)
      .values({ licenseId: options.licenseId, delta: options.tokens, reason: 'topup' });
    return row.tokens;
  });
}

/**
 * Spends one token of a license, inside the caller's transaction (the one that inserts the
 * payment): one statement that decrements `tokens` where `tokens > 0` and the license has not
 * expired, and writes the `debit` ledger row from what it decremented. One statement, so that the
 * license row lock it takes (concurrent debits queue on it, so a license never goes below zero) is
 * held for one round trip plus the commit: run it last in the transaction. Returns the balance
 * left; throws INVALID_LICENSE, LICENSE_EXPIRED or INSUFFICIENT_TOKENS when nothing was spent.
 * `paymentId` references `payments`, so insert the payment first in the same transaction.
 * `debitStep()` is the same for a `rawScript()`.
 */
export async function debitToken(
  tx: Tx,
  options: { licenseId: string; paymentId?: string | null },
): Promise<number> {
  const query = executorQuery(tx);
  const { licenseId } = options;
  const [row] = await query<{ tokens: number }>(DEBIT_TOKEN, [licenseId, options.paymentId ?? null]);
  if (row) return Number(row.tokens);
  throw noDebitError(licenseId, await query(WHY_NO_DEBIT, [licenseId]));
}

/** `debitToken()` as the last step of a `rawScript()`; when the script stops there, `noDebitError()` of its `explained` rows says why. */
export function debitStep(options: { licenseId: string; paymentId: string }): ScriptStep {
  return {
    statement: DEBIT_TOKEN,
    values: [options.licenseId, options.paymentId],
    required: true,
    whyEmpty: { statement: WHY_NO_DEBIT, values: [options.licenseId] },
  };
}

/** Why a debit spent nothing, from WHY_NO_DEBIT's rows: no such license, expired, or no tokens left. */
export function noDebitError(
  licenseId: string,
  explained: readonly Record<string, unknown>[] | null,
): QuickCartError {
  const license = explained?.[0] as { tokens: number; expired: boolean } | undefined;
  const details = { license_id: licenseId };
  if (!license) return new QuickCartError('INVALID_LICENSE', { details });
  if (license.expired) return new QuickCartError('LICENSE_EXPIRED', { details });
  return new QuickCartError('INSUFFICIENT_TOKENS', {
    details: { ...details, tokens: Number(license.tokens) },
  });
}

/** The statement of `debitToken()` (the benchmark's floor runs it too). */
export const DEBIT_TOKEN: Statement = {
  name: 'quickcart_debit_token',
  text: `with debited as (
      update licenses set tokens = tokens - 1
      where id = $1 and tokens > 0 and (expires_at is null or expires_at > now())
      returning id, tokens)
    insert into license_ledger (license_id, delta, reason, payment_id)
    select id, -1, 'debit', $2 from debited
    returning (select tokens from debited)`,
};

/** Why the debit matched no license row. */
const WHY_NO_DEBIT: Statement = {
  name: 'quickcart_why_no_debit',
  text: 'select tokens, expires_at is not null and expires_at <= now() as expired from licenses where id = $1',
};

/**
 * Gives back the token a payment spent (the gateway failed), inside the caller's transaction.
 * Idempotent: a payment is refunded at most once (a unique index on the ledger guarantees it,
 * even between racing callers); returns whether this call refunded. Works on expired licenses.
 * Throws CONFLICT when the payment spent no token of this license.
 */
export async function refundToken(
  tx: Tx,
  options: { licenseId: string; paymentId: string },
): Promise<boolean> {
  const { licenseId, paymentId } = options;
  const [debit] = await tx
    .select({ id: licenseLedger.id })
    .from(licenseLedger)
    .where(
      and(
        eq(licenseLedger.licenseId, licenseId),
        eq(licenseLedger.paymentId, paymentId),
        eq(licenseLedger.reason, 'debit'),
      ),
    );
  if (!debit) {
    throw new QuickCartError('CONFLICT', {
      message: `payment ${paymentId} spent no token of license ${licenseId}: nothing to refund`,
      details: { license_id: licenseId, payment_id: paymentId },
    });
  }
  const inserted = await tx
    .insert(licenseLedger)
    .values({ licenseId, delta: 1, reason: 'refund', paymentId })
    .onConflictDoNothing({ target: licenseLedger.paymentId, where: sql`reason = 'refund'` })
    .returning({ id: licenseLedger.id });
  if (inserted.length === 0) return false;
  await tx
    .update(licenses)
    .set({ tokens: sql`${licenses.tokens} + 1` })
    .where(eq(licenses.id, licenseId));
  return true;
}

/** A license's balance and the sum of its ledger, which must be equal (for checks and tests). */
export async function ledgerBalance(
  executor: Executor,
  licenseId: string,
): Promise<{ tokens: number; ledgerSum: number }> {
  const [row] = await executor
    .select({
      tokens: licenses.tokens,
      // Qualified by hand: Drizzle leaves columns unqualified in single-table selects.
      ledgerSum: sql<number>`(select coalesce(sum(l.delta), 0)::int from ${licenseLedger} l where l.license_id = "licenses"."id")`,
    })
    .from(licenses)
    .where(eq(licenses.id, licenseId));
  if (!row) throw new QuickCartError('INVALID_LICENSE', { details: { license_id: licenseId } });
  return { tokens: row.tokens, ledgerSum: Number(row.ledgerSum) };
}
