import type { Composer } from 'grammy';
import type { Language } from '../../db/schema.js';
import { setLanguage } from '../../store/users.js';
import { parseCallback } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import { languageKeyboard, menuKeyboard } from '../keyboards.js';
import { messagesFor } from '../messages/index.js';
import { answer, show } from './shared.js';

/**
 * /language (alias /bahasa): two buttons, Bahasa Indonesia and English (`lang:id`, `lang:en`).
 * The choice is stored on the user (`store_users.language`), so deliveries and notices sent
 * outside an update follow it too. Register before the generic callback handler.
 */
export function registerLanguage(bot: Composer<BotContext>, deps: BotDeps): void {
  bot.command(['language', 'bahasa'], (ctx) =>
    ctx.reply(ctx.t.languagePrompt, { reply_markup: languageKeyboard(ctx.t) }),
  );
  bot.callbackQuery(/^lang:/, async (ctx, next) => {
    const action = parseCallback(ctx.callbackQuery.data);
    if (action?.kind !== 'language') return next();
    await chooseLanguage(ctx, deps, action.language);
  });
}

/** A language button: stores the choice, then answers with the menu in the new language. */
export async function chooseLanguage(ctx: BotContext, deps: BotDeps, language: Language): Promise<void> {
  ctx.user = (await setLanguage(deps.store.db, ctx.user.telegramId, language)) ?? ctx.user;
  ctx.t = messagesFor(language);
  await answer(ctx);
  await show(ctx, ctx.t.languageChanged, menuKeyboard(ctx.t));
}
