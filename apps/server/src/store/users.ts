import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { type MemberStatus, type StoreUser, storeUsers } from '../db/schema.js';
import type { Executor } from '../db/types.js';

/** Who wrote to the bot, as Telegram tells it (`ctx.from`). */
export interface TelegramProfile {
  id: number;
  firstName: string;
  lastName?: string | undefined;
  username?: string | undefined;
}

/** The display name of a profile: first and last name. */
export function displayName(profile: Pick<TelegramProfile, 'firstName' | 'lastName'>): string {
  return [profile.firstName, profile.lastName].filter(Boolean).join(' ').slice(0, 200) || '-';
}

/**
 * Records a user the first time they write and keeps name and username fresh afterwards (one
 * upsert). Returns the row, with `is_banned` and `member_status` as an admin set them.
 */
export async function touchUser(db: Executor, profile: TelegramProfile): Promise<StoreUser> {
  const name = displayName(profile);
  const username = profile.username ?? null;
  const [row] = await db
    .insert(storeUsers)
    .values({ telegramId: profile.id, name, username })
    .onConflictDoUpdate({
      target: storeUsers.telegramId,
      set: { name, username, updatedAt: sql`now()` },
      // Skip the write when nothing changed: /start storms should not rewrite rows.
      setWhere: sql`${storeUsers.name} is distinct from excluded.name or ${storeUsers.username} is distinct from excluded.username`,
    })
    .returning();
  return row ?? (await findUser(db, profile.id)) ?? fail(profile.id);
}

function fail(id: number): never {
  throw new Error(`store user ${id} vanished during its upsert`);
}

/** A user by Telegram id, or null. */
export async function findUser(db: Executor, telegramId: number): Promise<StoreUser | null> {
  const [row] = await db.select().from(storeUsers).where(eq(storeUsers.telegramId, telegramId));
  return row ?? null;
}

/** Bans or unbans a user; null when the bot never saw them. */
export async function setBanned(
  db: Executor,
  telegramId: number,
  banned: boolean,
): Promise<StoreUser | null> {
  const [row] = await db
    .update(storeUsers)
    .set({ isBanned: banned, updatedAt: sql`now()` })
    .where(eq(storeUsers.telegramId, telegramId))
    .returning();
  return row ?? null;
}

/** Makes a user a customer or a reseller; null when the bot never saw them. */
export async function setMemberStatus(
  db: Executor,
  telegramId: number,
  memberStatus: MemberStatus,
): Promise<StoreUser | null> {
  const [row] = await db
    .update(storeUsers)
    .set({ memberStatus, updatedAt: sql`now()` })
    .where(eq(storeUsers.telegramId, telegramId))
    .returning();
  return row ?? null;
}

/** One page of broadcast recipients: users not banned, by id, after `afterId`. */
export async function broadcastRecipients(db: Executor, afterId: number, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: storeUsers.telegramId })
    .from(storeUsers)
    .where(and(eq(storeUsers.isBanned, false), gt(storeUsers.telegramId, afterId)))
    .orderBy(asc(storeUsers.telegramId))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** How many users a broadcast reaches. */
export async function countRecipients(db: Executor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(storeUsers)
    .where(eq(storeUsers.isBanned, false));
  return Number(row?.n ?? 0);
}
