import { type NewPayment, type Payment, payments } from '../src/db/schema.js';
import type { Executor } from '../src/db/types.js';
import { newId } from '../src/payments/ids.js';
import { createLicense } from '../src/payments/licenses.js';
import { createPartner } from '../src/payments/partners.js';

/** A partner with one license of `tokens` tokens (default 10). */
export async function partnerWithLicense(
  db: Executor,
  options: { tokens?: number; expiresAt?: Date | null } = {},
): Promise<{ partnerId: string; licenseId: string; licenseKey: string; apiKey: string }> {
  const { partner, apiKey } = await createPartner(db, { name: 'Toko Test' });
  const { license, key } = await createLicense(db, {
    partnerId: partner.id,
    tokens: options.tokens ?? 10,
    expiresAt: options.expiresAt ?? null,
  });
  return { partnerId: partner.id, licenseId: license.id, licenseKey: key, apiKey };
}

/** Inserts a pending QRIS payment of Rp 50,000 expiring in 30 minutes; `values` override anything. */
export async function insertPayment(
  db: Executor,
  owner: { partnerId: string; licenseId: string },
  values: Partial<NewPayment> = {},
): Promise<Payment> {
  const id = values.id ?? newId('payment');
  const [row] = await db
    .insert(payments)
    .values({
      id,
      partnerId: owner.partnerId,
      licenseId: owner.licenseId,
      transactionId: `TRX-${id}`,
      paymentType: 'QRIS',
      amount: 50_000,
      orderId: id,
      expiresAt: new Date(Date.now() + 30 * 60_000),
      ...values,
    })
    .returning();
  if (!row) throw new Error('insert into payments returned no row');
  return row;
}

/** The database's own message for a refused statement (Drizzle wraps it as the cause). */
export async function refusal(promise: PromiseLike<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : String(error);
  }
  throw new Error('expected the statement to be refused');
}
