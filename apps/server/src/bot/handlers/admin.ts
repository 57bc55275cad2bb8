import type { Composer } from 'grammy';
import { audited, recordAudit } from '../../store/audit.js';
import { addProduct, getProduct, setPrices } from '../../store/catalog.js';
import { adminStats } from '../../store/stats.js';
import { uploadStock } from '../../store/stock.js';
import { parseStockText } from '../../store/stock-text.js';
import { countRecipients, setBanned } from '../../store/users.js';
import {
  parseAddProduct,
  parseAddStock,
  parseAddStockCaption,
  parseId,
  parseSetPrice,
} from '../admin-parse.js';
import { runBroadcast } from '../broadcast.js';
import type { BotContext, BotDeps } from '../context.js';
import { actorOf, adminAction, argsOf } from './admin-guard.js';
import { registerStaff } from './staff.js';

/** The largest .txt stock file an admin may upload. */
export const MAX_STOCK_FILE_BYTES = 1_000_000;

/**
 * Admin commands (owners of ADMIN_TELEGRAM_IDS and staff of store_admins; others get the
 * unknown-command answer, so the commands stay unadvertised), each gated by area (bot/roles.ts):
 * /stats, /addproduct, /addstock (text or .txt), /setprice, /ban, /unban, /broadcast, plus
 * /staff, /audit, /stock and /order (handlers/staff.ts). Every action is in the audit log.
 */
export function registerAdmin(bot: Composer<BotContext>, deps: BotDeps): void {
  const admin = bot.filter((ctx) => ctx.isAdmin);
  const { db } = deps.store;

  admin.command(
    'stats',
    adminAction('stats', async (ctx) => ctx.reply(ctx.t.stats(await adminStats(db, deps.now())))),
  );

  admin.command(
    'addproduct',
    adminAction('catalog', async (ctx) => {
      const args = argsOf(ctx);
      if (args === '') return ctx.reply(ctx.t.addProductUsage);
      const input = parseAddProduct(args);
      const product = await audited(
        db,
        (tx) => addProduct(tx, input),
        (p) => ({
          actorId: actorOf(ctx),
          action: 'product.add',
          target: `product:${p.id}`,
          detail: { customer_price: p.customerPrice, reseller_price: p.resellerPrice },
        }),
      );
      await ctx.reply(ctx.t.productAdded(product.id, product.name));
    }),
  );

  admin.command(
    'addstock',
    adminAction('stock', async (ctx) => {
      if (argsOf(ctx) === '') return ctx.reply(ctx.t.addStockUsage);
      const { productId, items } = parseAddStock(ctx.msg?.text ?? '');
      if (items.length === 0) return ctx.reply(ctx.t.addStockUsage);
      await addStockFrom(ctx, productId, items);
    }),
  );

  // A .txt file whose caption is `/addstock <id>`.
  admin.on(
    'message:document',
    adminAction('stock', async (ctx) => {
      const productId = parseAddStockCaption(ctx.msg?.caption ?? '');
      const document = ctx.msg?.document;
      if (productId === null || !document) return ctx.reply(ctx.t.addStockUsage);
      if ((document.file_size ?? 0) > MAX_STOCK_FILE_BYTES) {
        return ctx.reply(ctx.t.stockFileTooBig(MAX_STOCK_FILE_BYTES / 1000));
      }
      const bytes = await deps.downloadFile(document.file_id, MAX_STOCK_FILE_BYTES);
      await addStockFrom(ctx, productId, parseStockText(bytes.toString('utf8')));
    }),
  );

  /** Uploads the items (duplicates refused and counted; audited) and answers with the counts. */
  async function addStockFrom(ctx: BotContext, productId: number, items: string[]): Promise<void> {
    const { added, duplicates } = await uploadStock(db, {
      productId,
      contents: items,
      audit: { actorId: actorOf(ctx) },
    });
    // Buyers waiting for this product hear of it now, not at the next run of the restock job.
    if (added > 0) deps.track(deps.restock.run());
    const product = await getProduct(db, productId);
    await ctx.reply(
      ctx.t.stockUploaded(added, duplicates, product?.name ?? `#${productId}`, product?.stockCount ?? 0),
    );
  }

  admin.command(
    'setprice',
    adminAction('prices', async (ctx) => {
      if (argsOf(ctx) === '') return ctx.reply(ctx.t.setPriceUsage);
      const { productId, ...prices } = parseSetPrice(argsOf(ctx));
      const product = await audited(
        db,
        (tx) => setPrices(tx, productId, prices),
        (p) => ({
          actorId: actorOf(ctx),
          action: 'product.price',
          target: `product:${p.id}`,
          detail: { customer_price: p.customerPrice, reseller_price: p.resellerPrice },
        }),
      );
      await ctx.reply(ctx.t.priceSet(product.name, product.customerPrice, product.resellerPrice));
    }),
  );

  for (const [command, banned] of [
    ['ban', true],
    ['unban', false],
  ] as const) {
    admin.command(
      command,
      adminAction('users', async (ctx) => {
        if (argsOf(ctx) === '') return ctx.reply(ctx.t.banUsage);
        const userId = parseId(argsOf(ctx), 'telegram id');
        const user = await audited(
          db,
          (tx) => setBanned(tx, userId, banned),
          (found) =>
            found && {
              actorId: actorOf(ctx),
              action: banned ? 'user.ban' : 'user.unban',
              target: `user:${userId}`,
            },
        );
        if (!user) return ctx.reply(ctx.t.userUnknown(userId));
        await ctx.reply(banned ? ctx.t.userBanned(userId) : ctx.t.unbanned(userId));
      }),
    );
  }

  let broadcasting: Promise<unknown> | undefined;
  admin.command(
    'broadcast',
    adminAction('broadcast', async (ctx) => {
      const text = argsOf(ctx);
      if (text === '') return ctx.reply(ctx.t.broadcastUsage);
      if (broadcasting) return ctx.reply(ctx.t.broadcastBusy);
      const { t } = ctx;
      await recordAudit(db, {
        actorId: actorOf(ctx),
        action: 'broadcast.start',
        detail: { recipients: await countRecipients(db) },
      });
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
    }),
  );

  registerStaff(admin, deps);
}
