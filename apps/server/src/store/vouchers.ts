import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { type StoreVoucher, storeVouchers, storeVoucherUses, type VoucherKind } from '../db/schema.js';
import type { Executor, Tx } from '../db/types.js';
import { StoreError } from './errors.js';

/**
 * Vouchers (issue 9): a percentage or a fixed number of rupiah off the goods, optionally for one
 * product only, with an expiry and total / per-user use limits. A voucher is claimed inside the
 * order's transaction by ONE conditional UPDATE of `used_count` (active, not expired, under the
 * total limit), which also holds the voucher's row lock until the order commits, so a single-use
 * voucher raced by any number of buyers is used exactly once. The per-user limit is counted after
 * that UPDATE (under the lock, so it sees every committed use). An order that closes unpaid
 * (expired, cancelled, failed) gives its use back (`released_at`, `used_count - 1`): a buyer whose
 * QR expired can use the voucher again, and nobody's limit is eaten by an unpaid order.
 */

const CODE = /^[A-Z0-9_-]{3,32}$/;

/** A voucher code as stored: trimmed, upper case; INVALID_INPUT when it is not 3–32 of A–Z 0–9 _ -. */
export function normalizeVoucherCode(code: string): string {
  const normal = code.trim().toUpperCase();
  if (!CODE.test(normal)) {
    throw new StoreError('INVALID_INPUT', 'a voucher code is 3 to 32 letters, digits, _ or -', {
      field: 'code',
    });
  }
  return normal;
}

/** What an admin gives to create a voucher. */
export interface NewVoucher {
  code: string;
  kind: VoucherKind;
  /** Percent (1–100) or rupiah (1 – 10,000,000). */
  value: number;
  productId?: number | null;
  expiresAt?: Date | null;
  maxUses?: number | null;
  maxUsesPerUser?: number | null;
  createdBy?: number | null;
}

/** Creates a voucher; INVALID_INPUT for a bad field or a code that exists. */
export async function createVoucher(db: Executor, input: NewVoucher): Promise<StoreVoucher> {
  const code = normalizeVoucherCode(input.code);
  const max = input.kind === 'percent' ? 100 : 10_000_000;
  if (!Number.isSafeInteger(input.value) || input.value < 1 || input.value > max) {
    throw new StoreError('INVALID_INPUT', `a ${input.kind} voucher's value must be from 1 to ${max}`, {
      field: 'value',
    });
  }
  for (const [field, limit] of [
    ['max_uses', input.maxUses],
    ['max_uses_per_user', input.maxUsesPerUser],
  ] as const) {
    if (limit != null && (!Number.isSafeInteger(limit) || limit < 1 || limit > 1_000_000)) {
      throw new StoreError('INVALID_INPUT', `${field} must be a whole number from 1 to 1000000`, { field });
    }
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new StoreError('INVALID_INPUT', 'the expiry must be in the future', { field: 'expires_at' });
  }
  const [row] = await db
    .insert(storeVouchers)
    .values({
      code,
      kind: input.kind,
      value: input.value,
      productId: input.productId ?? null,
      expiresAt: input.expiresAt ?? null,
      maxUses: input.maxUses ?? null,
      maxUsesPerUser: input.maxUsesPerUser ?? null,
      createdBy: input.createdBy ?? null,
    })
    .onConflictDoNothing({ target: storeVouchers.code })
    .returning();
  if (!row) throw new StoreError('INVALID_INPUT', `voucher ${code} exists already`, { field: 'code', code });
  return row;
}

/** Every voucher (or only the active ones), by code. */
export async function listVouchers(
  db: Executor,
  options: { activeOnly?: boolean } = {},
): Promise<StoreVoucher[]> {
  return db
    .select()
    .from(storeVouchers)
    .where(options.activeOnly ? eq(storeVouchers.isActive, true) : undefined)
    .orderBy(asc(storeVouchers.code));
}

/** Stops a voucher from being used again (uses already made stay); VOUCHER_NOT_FOUND. */
export async function disableVoucher(db: Executor, code: string): Promise<StoreVoucher> {
  const normal = normalizeVoucherCode(code);
  const [row] = await db
    .update(storeVouchers)
    .set({ isActive: false })
    .where(eq(storeVouchers.code, normal))
    .returning();
  if (!row) throw new StoreError('VOUCHER_NOT_FOUND', `voucher ${normal} does not exist`, { code: normal });
  return row;
}

/**
 * The discount of `voucher` on `subtotal`: percent rounded down, fixed capped at the subtotal.
 * @example voucherDiscount({ kind: 'percent', value: 10 }, 55_000) // 5_500
 */
export function voucherDiscount(voucher: Pick<StoreVoucher, 'kind' | 'value'>, subtotal: number): number {
  if (voucher.kind === 'percent') return Math.floor((subtotal * voucher.value) / 100);
  return Math.min(voucher.value, subtotal);
}

/**
 * Claims one use of the voucher `code` for a buyer inside the order's transaction (see above) and
 * answers the voucher and its discount on `subtotal`. Throws VOUCHER_INVALID with `details.reason`.
 */
export async function claimVoucher(
  tx: Tx,
  claim: { code: string; userId: number; productId: number; subtotal: number },
): Promise<{ voucher: StoreVoucher; discount: number }> {
  const code = normalizeVoucherCode(claim.code);
  const [voucher] = await tx
    .update(storeVouchers)
    .set({ usedCount: sql`${storeVouchers.usedCount} + 1` })
    .where(
      and(
        eq(storeVouchers.code, code),
        eq(storeVouchers.isActive, true),
        sql`(${storeVouchers.expiresAt} is null or ${storeVouchers.expiresAt} > now())`,
        sql`(${storeVouchers.maxUses} is null or ${storeVouchers.usedCount} < ${storeVouchers.maxUses})`,
        sql`(${storeVouchers.productId} is null or ${storeVouchers.productId} = ${claim.productId})`,
      ),
    )
    .returning();
  if (!voucher) throw await whyNot(tx, code, claim.productId);
  if (voucher.maxUsesPerUser !== null) {
    const [used] = await tx
      .select({ n: count() })
      .from(storeVoucherUses)
      .where(
        and(
          eq(storeVoucherUses.voucherId, voucher.id),
          eq(storeVoucherUses.userId, claim.userId),
          isNull(storeVoucherUses.releasedAt),
        ),
      );
    if (Number(used?.n ?? 0) >= voucher.maxUsesPerUser) throw invalid(code, 'user_limit');
  }
  const discount = voucherDiscount(voucher, claim.subtotal);
  if (discount <= 0) throw invalid(code, 'not_applicable');
  return { voucher, discount };
}

/**
 * What `claimVoucher` would answer now, without claiming (the checkout summary's preview): the
 * claim runs in a transaction that is always rolled back. VOUCHER_INVALID like the claim; the
 * order's own claim decides, since the voucher may be used up meanwhile.
 */
export async function previewVoucher(
  db: Executor,
  claim: { code: string; userId: number; productId: number; subtotal: number },
): Promise<{ voucher: StoreVoucher; discount: number }> {
  const rollback = new Error('voucher preview rolled back');
  let preview: { voucher: StoreVoucher; discount: number } | undefined;
  try {
    await db.transaction(async (tx) => {
      preview = await claimVoucher(tx, claim);
      throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  if (!preview) throw new Error('voucher preview ended without an answer');
  return preview;
}

/** Records the use claimed by `claimVoucher` once the order exists (same transaction). */
export async function recordVoucherUse(
  tx: Tx,
  use: { voucherId: number; orderId: string; userId: number; discount: number },
): Promise<void> {
  await tx.insert(storeVoucherUses).values(use);
}

/** Gives back the voucher use of an order that closed unpaid (inside its transaction); idempotent. */
export async function releaseVoucherUse(tx: Tx, orderId: string): Promise<boolean> {
  const [use] = await tx
    .update(storeVoucherUses)
    .set({ releasedAt: sql`now()` })
    .where(and(eq(storeVoucherUses.orderId, orderId), isNull(storeVoucherUses.releasedAt)))
    .returning({ voucherId: storeVoucherUses.voucherId });
  if (!use) return false;
  await tx
    .update(storeVouchers)
    .set({ usedCount: sql`${storeVouchers.usedCount} - 1` })
    .where(eq(storeVouchers.id, use.voucherId));
  return true;
}

async function whyNot(tx: Tx, code: string, productId: number): Promise<StoreError> {
  const [row] = await tx
    .select({
      isActive: storeVouchers.isActive,
      expired: sql<boolean>`${storeVouchers.expiresAt} is not null and ${storeVouchers.expiresAt} <= now()`,
      productId: storeVouchers.productId,
    })
    .from(storeVouchers)
    .where(eq(storeVouchers.code, code));
  if (!row) return invalid(code, 'not_found');
  if (!row.isActive) return invalid(code, 'inactive');
  if (row.expired) return invalid(code, 'expired');
  if (row.productId !== null && row.productId !== productId) return invalid(code, 'wrong_product');
  return invalid(code, 'exhausted');
}

function invalid(code: string, reason: string): StoreError {
  return new StoreError('VOUCHER_INVALID', `voucher ${code} cannot be used: ${reason}`, { code, reason });
}
