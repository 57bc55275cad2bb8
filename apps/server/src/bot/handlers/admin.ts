import type { Composer } from 'grammy';
import { addProduct, getProduct, setPrices } from '../../store/catalog.js';
import { StoreError } from '../../store/errors.js';
import { adminStats } from '../../store/stats.js';
import { addStock } from '../../store/stock.js';
import { parseStockText } from '../../store/stock-text.js';
import { setBanned } from '../../store/users.js';
import {
  parseAddProduct,
  parseAddStock,
  parseAddStockCaption,
  parseId,
  parseSetPrice,
} from '../admin-parse.js';
import { runBroadcast } from '../broadcast.js';
import type { BotContext, BotDeps } from '../context.js';

/** The largest .txt stock file an admin may upload. */
export const MAX_STOCK_FILE_BYTES = 1_000_000;

/**
 * Admin commands (ADMIN_TELEGRAM_IDS only; others get the unknown-command answer, so the
 * commands stay unadvertised): /stats, /addproduct, /addstock (text or .txt), /setprice, /ban,
 * /unban, /broadcast.
 */
export function registerAdmin(bot: Composer<BotContext>, deps: BotDeps): void {
  const admin = bot.filter((ctx) => ctx.isAdmin);
  const { db } = deps.store;

  /** Runs an admin action; INVALID_INPUT and PRODUCT_NOT_FOUND become a reply, not a crash. */
  const guarded = (action: (ctx: BotContext) => Promise<unknown>) => async (ctx: BotContext) => {
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

  admin.command(
    'stats',
    guarded(async (ctx) => ctx.reply(ctx.t.stats(await adminStats(db, deps.now())))),
  );

  admin.command(
    'addproduct',
    guarded(async (ctx) => {
      const args = argsOf(ctx);
      if (args === '') return ctx.reply(ctx.t.addProductUsage);
      const product = await addProduct(db, parseAddProduct(args));
      await ctx.reply(ctx.t.productAdded(product.id, product.name));
    }),
  );

  admin.command(
    'addstock',
    guarded(async (ctx) => {
      if (argsOf(ctx) === '') return ctx.reply(ctx.t.addStockUsage);
      const { productId, items } = parseAddStock(ctx.msg?.text ?? '');
      if (items.length === 0) return ctx.reply(ctx.t.addStockUsage);
      await stockAdded(ctx, productId, await addStock(db, productId, items));
    }),
  );

  // A .txt file whose caption is `/addstock <id>`.
  admin.on(
    'message:document',
    guarded(async (ctx) => {
      const productId = parseAddStockCaption(ctx.msg?.caption ?? '');
      const document = ctx.msg?.document;
      if (productId === null || !document) return ctx.reply(ctx.t.addStockUsage);
      if ((document.file_size ?? 0) > MAX_STOCK_FILE_BYTES) {
        return ctx.reply(ctx.t.stockFileTooBig(MAX_STOCK_FILE_BYTES / 1000));
      }
      const bytes = await deps.downloadFile(document.file_id, MAX_STOCK_FILE_BYTES);
      const items = parseStockText(bytes.toString('utf8'));
      await stockAdded(ctx, productId, await addStock(db, productId, items));
    }),
  );

  async function stockAdded(ctx: BotContext, productId: number, count: number): Promise<void> {
    const product = await getProduct(db, productId);
    await ctx.reply(ctx.t.stockAdded(count, product?.name ?? `#${productId}`, product?.stockCount ?? 0));
  }

  admin.command(
    'setprice',
    guarded(async (ctx) => {
      if (argsOf(ctx) === '') return ctx.reply(ctx.t.setPriceUsage);
      const { productId, ...prices } = parseSetPrice(argsOf(ctx));
      const product = await setPrices(db, productId, prices);
      await ctx.reply(ctx.t.priceSet(product.name, product.customerPrice, product.resellerPrice));
    }),
  );

  for (const [command, banned] of [
    ['ban', true],
    ['unban', false],
  ] as const) {
    admin.command(
      command,
      guarded(async (ctx) => {
        if (argsOf(ctx) === '') return ctx.reply(ctx.t.banUsage);
        const userId = parseId(argsOf(ctx), 'telegram id');
        const user = await setBanned(db, userId, banned);
        if (!user) return ctx.reply(ctx.t.userUnknown(userId));
        await ctx.reply(banned ? ctx.t.userBanned(userId) : ctx.t.unbanned(userId));
      }),
    );
  }

  let broadcasting: Promise<unknown> | undefined;
  admin.command('broadcast', async (ctx) => {
    const text = argsOf(ctx);
    if (text === '') return ctx.reply(ctx.t.broadcastUsage);
    if (broadcasting) return ctx.reply(ctx.t.broadcastBusy);
    const { t } = ctx;
    const status = await ctx.reply(t.broadcastProgress(0, 0, 0));
    const chatId = status.chat.id;
    // In the background: the admin's other commands must not wait for thousands of sends.
    broadcasting = runBroadcast({
      api: ctx.api,
      db,
      text,
      logger: deps.logger,
      redact: deps.redact,
      signal: deps.stopping,
      progress: async (s) => {
        const body = s.done
          ? t.broadcastDone(s.sent, s.failed, s.total)
          : t.broadcastProgress(s.sent, s.failed, s.total);
        await ctx.api.editMessageText(chatId, status.message_id, body);
      },
    })
      .catch((error: unknown) => deps.logger.error({ err: deps.redact(error) }, 'broadcast failed'))
      .finally(() => {
        broadcasting = undefined;
      });
    deps.track(broadcasting);
  });
}

/** The text after the command (and its @botname), trimmed; keeps line breaks. */
export function argsOf(ctx: BotContext): string {
  const text = ctx.msg?.text ?? '';
  return text.replace(/^\/\w+(@\w+)?/, '').trim();
}
