import { and, count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.js';
import { insertPayment, partnerWithLicense } from '../../test/fixtures.js';
import { licenseLedger, licenses, payments } from '../db/schema.js';
import { isQuickCartError, QuickCartError } from './errors.js';
import { newId } from './ids.js';
import {
  createLicense,
  debitToken,
  findLicenseByKey,
  ledgerBalance,
  refundToken,
  topup,
} from './licenses.js';

/** The error code a promise rejects with. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QuickCartError) return error.code;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

describeEachDatabase('license tokens', (getDatabase) => {
  it('creates a license whose key is shown once and stored as a hash with its first group', async () => {
    const { db } = getDatabase();
    const { partnerId, licenseId, licenseKey } = await partnerWithLicense(db, { tokens: 7 });
    expect(licenseKey).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){4}$/);
    const [row] = await db.select().from(licenses).where(eq(licenses.id, licenseId));
    expect(row?.keyPrefix).toBe(licenseKey.slice(0, 5));
    expect(row?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(licenseKey.slice(6));
    expect(await ledgerBalance(db, licenseId)).toEqual({ tokens: 7, ledgerSum: 7 });
    // Found by its key, however it is typed, but only by its own partner.
    const spaced = licenseKey.toLowerCase().replaceAll('-', ' ');
    expect((await findLicenseByKey(db, { key: spaced, partnerId })).id).toBe(licenseId);
    const other = await partnerWithLicense(db);
    expect(await codeOf(findLicenseByKey(db, { key: licenseKey, partnerId: other.partnerId }))).toBe(
      'INVALID_LICENSE',
    );
    expect(await codeOf(findLicenseByKey(db, { key: 'AAAAA-AAAAA', partnerId }))).toBe('INVALID_LICENSE');
  });

  it('50 concurrent payments on a license with 10 tokens: exactly 10 succeed, balance 0, ledger consistent', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 10 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        db.transaction(async (tx) => {
          const payment = await insertPayment(tx, owner);
          return debitToken(tx, { licenseId: owner.licenseId, paymentId: payment.id });
        }),
      ),
    );
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r) => r.status === 'rejected');
    expect(succeeded).toHaveLength(10);
    expect(failed.every((r) => isQuickCartError(r.reason, 'INSUFFICIENT_TOKENS'))).toBe(true);
    expect(succeeded.map((r) => r.value).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 0, ledgerSum: 0 });
    const [debits] = await db
      .select({ n: count() })
      .from(licenseLedger)
      .where(and(eq(licenseLedger.licenseId, owner.licenseId), eq(licenseLedger.reason, 'debit')));
    const [paid] = await db
      .select({ n: count() })
      .from(payments)
      .where(eq(payments.licenseId, owner.licenseId));
    expect(debits?.n).toBe(10);
    expect(paid?.n).toBe(10); // the 40 refused payments rolled back with their debit
  });

  it('refunds a payment once, restoring the balance, even when refunds race', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 3 });
    const payment = await db.transaction(async (tx) => {
      const row = await insertPayment(tx, owner);
      await debitToken(tx, { licenseId: owner.licenseId, paymentId: row.id });
      return row;
    });
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 2, ledgerSum: 2 });
    const refunds = await Promise.all(
      Array.from({ length: 5 }, () =>
        db.transaction((tx) => refundToken(tx, { licenseId: owner.licenseId, paymentId: payment.id })),
      ),
    );
    expect(refunds.filter(Boolean)).toHaveLength(1);
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 3, ledgerSum: 3 });
    // A payment that spent nothing has nothing to refund.
    const unpaid = await insertPayment(db, owner);
    expect(
      await codeOf(
        db.transaction((tx) => refundToken(tx, { licenseId: owner.licenseId, paymentId: unpaid.id })),
      ),
    ).toBe('CONFLICT');
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 3, ledgerSum: 3 });
  });

  it('a payment spends at most one token', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 5 });
    const payment = await insertPayment(db, owner);
    await db.transaction((tx) => debitToken(tx, { licenseId: owner.licenseId, paymentId: payment.id }));
    await expect(
      db.transaction((tx) => debitToken(tx, { licenseId: owner.licenseId, paymentId: payment.id })),
    ).rejects.toThrow();
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 4, ledgerSum: 4 });
  });

  it('refuses expired, unknown and empty licenses without spending anything', async () => {
    const { db } = getDatabase();
    const expired = await partnerWithLicense(db, { tokens: 5, expiresAt: new Date(Date.now() - 1000) });
    const debit = (licenseId: string) => db.transaction((tx) => debitToken(tx, { licenseId }));
    expect(await codeOf(debit(expired.licenseId))).toBe('LICENSE_EXPIRED');
    expect(await ledgerBalance(db, expired.licenseId)).toEqual({ tokens: 5, ledgerSum: 5 });
    expect(await codeOf(debit(newId('license')))).toBe('INVALID_LICENSE');
    const empty = await partnerWithLicense(db, { tokens: 0 });
    expect(await codeOf(debit(empty.licenseId))).toBe('INSUFFICIENT_TOKENS');
    expect(await ledgerBalance(db, empty.licenseId)).toEqual({ tokens: 0, ledgerSum: 0 });
    // A license that expires later still pays.
    const later = await partnerWithLicense(db, { tokens: 1, expiresAt: new Date(Date.now() + 60_000) });
    expect(await debit(later.licenseId)).toBe(0);
  });

  it('tops up through the ledger and validates the amount', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 0 });
    expect(await topup(db, { licenseId: owner.licenseId, tokens: 25 })).toBe(25);
    expect(await topup(db, { licenseId: owner.licenseId, tokens: 5 })).toBe(30);
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 30, ledgerSum: 30 });
    for (const tokens of [0, -1, 1.5, Number.NaN, 10_000_000]) {
      expect(await codeOf(topup(db, { licenseId: owner.licenseId, tokens }))).toBe('VALIDATION_ERROR');
    }
    expect(await codeOf(topup(db, { licenseId: newId('license'), tokens: 1 }))).toBe('INVALID_LICENSE');
    expect(await codeOf(createLicense(db, { partnerId: owner.partnerId, tokens: -3 }))).toBe(
      'VALIDATION_ERROR',
    );
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 30, ledgerSum: 30 });
  });
});
