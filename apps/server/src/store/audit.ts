import { desc, lt } from 'drizzle-orm';
import { type JsonObject, type StoreAuditEntry, storeAuditLog } from '../db/schema.js';
import type { Executor, Tx } from '../db/types.js';

/**
 * The admin audit log (issue 9): one append-only row per admin action, written in the same
 * transaction as the action where there is one, so an action that commits is always recorded.
 * `detail` holds facts (counts, ids, amounts), never secrets or stock contents.
 */

/** Actor id of actions taken from the command line (not a Telegram user). */
export const CLI_ACTOR = 0;

/** One admin action. */
export interface AuditRecord {
  /** Telegram id of the admin, or CLI_ACTOR. */
  actorId: number;
  /** Dotted verb: `stock.add`, `voucher.create`, `replacement.approve`, `staff.add`… */
  action: string;
  /** `product:3`, `voucher:HEMAT10`, `user:42`, `replacement:7`… */
  target?: string | null;
  detail?: JsonObject;
}

/** Appends one entry (inside the caller's transaction when given one). */
export async function recordAudit(db: Executor, record: AuditRecord): Promise<StoreAuditEntry> {
  const [entry] = await db
    .insert(storeAuditLog)
    .values({
      actorId: record.actorId,
      action: record.action,
      target: record.target ?? null,
      detail: record.detail ?? {},
    })
    .returning();
  if (!entry) throw new Error('the audit entry was not written');
  return entry;
}

/**
 * Runs `action` in a transaction and records `entry(result)` in the same one, so the action and
 * its audit entry commit together; `entry` returns null when there is nothing to record (the
 * target did not exist).
 * @example
 * await audited(db, (tx) => setBanned(tx, 42, true), (user) =>
 *   user && { actorId: adminId, action: 'user.ban', target: 'user:42' });
 */
export async function audited<T>(
  db: Executor,
  action: (tx: Tx) => Promise<T>,
  entry: (result: T) => AuditRecord | null,
): Promise<T> {
  return db.transaction(async (tx) => {
    const result = await action(tx);
    const record = entry(result);
    if (record) await recordAudit(tx, record);
    return result;
  });
}

/** The newest entries first, `limit` at a time; `beforeId` pages back. */
export async function listAudit(
  db: Executor,
  options: { limit?: number; beforeId?: number } = {},
): Promise<StoreAuditEntry[]> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const query = db.select().from(storeAuditLog);
  const filtered =
    options.beforeId === undefined ? query : query.where(lt(storeAuditLog.id, options.beforeId));
  return filtered.orderBy(desc(storeAuditLog.id)).limit(limit);
}
