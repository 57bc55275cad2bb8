import { asc, eq } from 'drizzle-orm';
import { type AdminRole, type StoreAdmin, storeAdmins } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { audited } from './audit.js';
import { StoreError } from './errors.js';

/**
 * The store's admins (issue 9). ADMIN_TELEGRAM_IDS are owners, always; the owner adds staff
 * (stock and orders only, bot/roles.ts) to `store_admins`. Adding and removing staff is audited
 * in the same transaction.
 */

/** ADMIN_TELEGRAM_IDS: the owners. */
export type OwnerIds = ReadonlySet<number> | readonly number[];

function isOwner(ownerIds: OwnerIds, telegramId: number): boolean {
  return 'has' in ownerIds ? ownerIds.has(telegramId) : ownerIds.includes(telegramId);
}

/** An admin as `/staff list` shows them: owners from the configuration first, then the table. */
export interface AdminEntry {
  telegramId: number;
  role: AdminRole;
  /** Who added them (null: from ADMIN_TELEGRAM_IDS or unknown). */
  addedBy: number | null;
  /** When they were added (null: from ADMIN_TELEGRAM_IDS). */
  addedAt: Date | null;
}

/** The role of `telegramId`: owner when in `ownerIds` (ADMIN_TELEGRAM_IDS), else its store_admins row, else null. */
export async function roleOf(
  db: Executor,
  telegramId: number,
  ownerIds: OwnerIds,
): Promise<AdminRole | null> {
  if (isOwner(ownerIds, telegramId)) return 'owner';
  if (!Number.isSafeInteger(telegramId)) return null;
  const [row] = await db
    .select({ role: storeAdmins.role })
    .from(storeAdmins)
    .where(eq(storeAdmins.telegramId, telegramId));
  return row?.role ?? null;
}

/**
 * Makes `telegramId` staff, recorded as `staff.add` by `addedBy`. Returns false when they already
 * were an admin in the table (nothing changes, nothing is recorded). Throws INVALID_INPUT for an
 * owner (ADMIN_TELEGRAM_IDS) or a bad id.
 */
export async function addStaff(
  db: Executor,
  input: { telegramId: number; addedBy: number; ownerIds?: OwnerIds },
): Promise<boolean> {
  const { telegramId, addedBy } = input;
  if (!Number.isSafeInteger(telegramId) || telegramId < 1) {
    throw new StoreError('INVALID_INPUT', 'a Telegram id is a positive whole number', {
      field: 'telegram_id',
    });
  }
  if (isOwner(input.ownerIds ?? [], telegramId)) {
    throw new StoreError('INVALID_INPUT', `${telegramId} is an owner (ADMIN_TELEGRAM_IDS)`, {
      field: 'telegram_id',
    });
  }
  const added = await audited(
    db,
    async (tx) => {
      const [row] = await tx
        .insert(storeAdmins)
        .values({ telegramId, role: 'staff', addedBy })
        .onConflictDoNothing({ target: storeAdmins.telegramId })
        .returning();
      return row ?? null;
    },
    (row) => row && { actorId: addedBy, action: 'staff.add', target: `user:${telegramId}` },
  );
  return added !== null;
}

/**
 * Removes a staff member, recorded as `staff.remove` by `removedBy`. Returns false when they were
 * not staff (owners of ADMIN_TELEGRAM_IDS are not in the table and stay owners).
 */
export async function removeStaff(
  db: Executor,
  input: { telegramId: number; removedBy: number },
): Promise<boolean> {
  const { telegramId, removedBy } = input;
  if (!Number.isSafeInteger(telegramId)) return false;
  const removed = await audited(
    db,
    async (tx) => {
      const [row] = await tx
        .delete(storeAdmins)
        .where(eq(storeAdmins.telegramId, telegramId))
        .returning({ role: storeAdmins.role });
      return row ?? null;
    },
    (row) =>
      row && {
        actorId: removedBy,
        action: 'staff.remove',
        target: `user:${telegramId}`,
        detail: { role: row.role },
      },
  );
  return removed !== null;
}

/** Every admin: the owners of `ownerIds` first (in their order), then the table's by when they were added. */
export async function listAdmins(db: Executor, ownerIds: OwnerIds): Promise<AdminEntry[]> {
  const owners = [...new Set(ownerIds)];
  const rows: StoreAdmin[] = await db
    .select()
    .from(storeAdmins)
    .orderBy(asc(storeAdmins.createdAt), asc(storeAdmins.telegramId));
  return [
    ...owners.map((telegramId) => ({ telegramId, role: 'owner' as const, addedBy: null, addedAt: null })),
    ...rows
      .filter((row) => !owners.includes(row.telegramId))
      .map((row) => ({
        telegramId: row.telegramId,
        role: row.role,
        addedBy: row.addedBy,
        addedAt: row.createdAt,
      })),
  ];
}
