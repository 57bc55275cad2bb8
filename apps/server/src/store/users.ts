import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { type Language, type MemberStatus, type StoreUser, storeUsers } from '../db/schema.js';
import type { Executor } from '../db/types.js';

/** Who wrote to the bot, as Telegram tells it (`ctx.from`). */
export interface TelegramProfile {
  id: number;
  firstName: string;
  lastName?: string | undefined;
  username?: string | undefined;
  /** The Telegram client's IETF language tag (`ctx.from.language_code`), e.g. `en-US`. */
  languageCode?: string | undefined;
}

/**
 * The bot language for a Telegram client's language tag: English for `en*`, else Bahasa Indonesia.
 * @example languageFromTelegram('en-US') // 'en'
 */
export function languageFromTelegram(languageCode: string | undefined): Language {
  return languageCode?.toLowerCase().startsWith('en') ? 'en' : 'id';
}

/** The display name of a profile: first and last name. */
export function displayName(profile: Pick<TelegramProfile, 'firstName' | 'lastName'>): string {
  return [profile.firstName, profile.lastName].filter(Boolean).join(' ').slice(0, 200) || '-';
}

/**
 * Records a user the first time they write and keeps name and username fresh afterwards (one
 * upsert). The language is set from the Telegram client's on the first contact only (or when none
 * is stored, for users from before languages): later changes come from /language. Returns the
 * row, with `is_banned` and `member_status` as an admin set them.
 */
export async function touchUser(db: Executor, profile: TelegramProfile): Promise<StoreUser> {
  const name = displayName(profile);
  const username = profile.username ?? null;
  const [row] = await db
    .insert(storeUsers)
    .values({ telegramId: profile.id, name, username, language: languageFromTelegram(profile.languageCode) })
    .onConflictDoUpdate({
      target: storeUsers.telegramId,
      set: {
        name,
        username,
        language: sql`coalesce(${storeUsers.language}, excluded.language)`,
        updatedAt: sql`now()`,
      },
      // Skip the write when nothing changed: /start storms should not rewrite rows.
      setWhere: sql`${storeUsers.name} is distinct from excluded.name or ${storeUsers.username} is distinct from excluded.username or ${storeUsers.language} is null`,
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

/** Sets the language a user chose with /language; null when the bot never saw them. */
export async function setLanguage(
  db: Executor,
  telegramId: number,
  language: Language,
): Promise<StoreUser | null> {
  const [row] = await db
    .update(storeUsers)
    .set({ language, updatedAt: sql`now()` })
    .where(eq(storeUsers.telegramId, telegramId))
    .returning();
  return row ?? null;
}

/** The language to write to a user in outside an update (delivery, notices): theirs, else Bahasa Indonesia. */
export async function userLanguage(db: Executor, telegramId: number): Promise<Language> {
  const [row] = await db
    .select({ language: storeUsers.language })
    .from(storeUsers)
    .where(eq(storeUsers.telegramId, telegramId));
  return row?.language ?? 'id';
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
