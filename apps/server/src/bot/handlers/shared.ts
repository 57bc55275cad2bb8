import { GrammyError, type InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';

/**
 * Shows a screen: edits the message whose button was pressed (menus stay one message), or sends
 * a new one for commands and for messages that cannot be edited into text (the QR photo).
 */
export async function show(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  const message = ctx.callbackQuery?.message;
  const markup = keyboard ? { reply_markup: keyboard } : {};
  if (message && 'text' in message && message.text !== undefined) {
    try {
      await ctx.editMessageText(text, markup);
      return;
    } catch (error) {
      if (isNotModified(error)) return;
      if (!(error instanceof GrammyError && error.error_code === 400)) throw error;
      // Too old or gone: fall through to a new message.
    }
  }
  await ctx.reply(text, markup);
}

/** Telegram refuses an edit that changes nothing; that is not a failure. */
export function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && /message is not modified/i.test(error.description);
}

/** Answers the pressed button (once per callback query); a no-op for messages. */
export async function answer(ctx: BotContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery) return;
  await ctx
    .answerCallbackQuery(text === undefined ? {} : { text, show_alert: alert })
    // An answer that comes too late (> 15 s) is refused; the screen itself was handled.
    .catch(() => {});
}

/** Says something to the user: a popup for a button press, a message for a command. */
export async function tell(ctx: BotContext, text: string): Promise<void> {
  if (ctx.callbackQuery) await answer(ctx, text, true);
  else await ctx.reply(text);
}
