import { StoreError } from '../../store/errors.js';
import type { BotContext } from '../context.js';
import { type AdminArea, allowed } from '../roles.js';

/**
 * An admin command of `area`, to register on a composer filtered to admins (buyers never reach
 * it and get the unknown-command answer). An admin whose role does not cover the area (staff
 * outside stock and orders) gets `notAllowed`; INVALID_INPUT and PRODUCT_NOT_FOUND become a reply,
 * not a crash.
 * @example admin.command('setprice', adminAction('prices', async (ctx) => …));
 */
export function adminAction(area: AdminArea, action: (ctx: BotContext) => Promise<unknown>) {
  return async (ctx: BotContext): Promise<void> => {
    if (!allowed(ctx.adminRole, area)) {
      await ctx.reply(ctx.t.notAllowed);
      return;
    }
    try {
      await action(ctx);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      if (error.code === 'PRODUCT_NOT_FOUND') {
        await ctx.reply(ctx.t.productUnknown(Number(error.details.product_id)));
      } else if (error.code === 'INVALID_INPUT') {
        await ctx.reply(ctx.t.invalidInput(error.message));
      } else throw error;
    }
  };
}

/** The text after the command (and its @botname), trimmed; keeps line breaks. */
export function argsOf(ctx: BotContext): string {
  const text = ctx.msg?.text ?? '';
  return text.replace(/^\/\w+(@\w+)?/, '').trim();
}

/** The Telegram id of the admin acting, for the audit log. */
export function actorOf(ctx: BotContext): number {
  return ctx.user.telegramId;
}
