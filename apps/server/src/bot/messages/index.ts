import type { Language } from '../../db/schema.js';
import { languageFromTelegram } from '../../store/users.js';
import { careEn, careId } from './care.js';
import { coreEn, coreId } from './core.js';
import { languageEn, languageId } from './language.js';
import { staffEn, staffId } from './staff.js';
import { walletEn, walletId } from './wallet.js';

/**
 * Every text the bot sends, by language. Each area keeps its texts in a file of its own that
 * exports the Bahasa Indonesia object and an English object of the same type, so a missing
 * translation is a type error (and `messages.test.ts` checks it at run time too). Handlers never
 * hold string literals a user reads: they take them from `ctx.t`.
 */
export const id = { ...coreId, ...careId, ...languageId, ...staffId, ...walletId };

/** The shape every language provides. */
export type Messages = typeof id;

export const en: Messages = { ...coreEn, ...careEn, ...languageEn, ...staffEn, ...walletEn };

export const MESSAGES: Readonly<Record<Language, Messages>> = { id, en };

/** The user's chosen language, else the Telegram client's (`en-US` → en), else Bahasa Indonesia. */
export function languageOf(chosen: Language | null | undefined, telegramLanguageCode?: string): Language {
  return chosen ?? languageFromTelegram(telegramLanguageCode);
}

/** The texts for a language (Bahasa Indonesia by default). */
export function messagesFor(language: Language = 'id'): Messages {
  return MESSAGES[language];
}
