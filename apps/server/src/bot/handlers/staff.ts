import type { Composer } from 'grammy';
import { addStaff, listAdmins, removeStaff } from '../../store/admins.js';
import { listAudit } from '../../store/audit.js';
import { getProduct } from '../../store/catalog.js';
import { findOrderSummary } from '../../store/orders.js';
import { listStock, stockCounts } from '../../store/stock.js';
import { parseId } from '../admin-parse.js';
import type { BotContext, BotDeps } from '../context.js';
import { actorOf, adminAction, argsOf } from './admin-guard.js';

/** Most entries one /audit shows (a Telegram message holds 4096 characters). */
export const MAX_AUDIT_ENTRIES = 50;
/** Available items /stock shows, masked. */
export const STOCK_PREVIEW_ITEMS = 10;

/**
 * Admin roles (issue 9), on a composer already filtered to admins: the owner's /staff add|remove|list
 * and /audit [n]; staff's /stock <product id> (counts and the newest available items, masked) and
 * /order <order id> (no contents).
 */
export function registerStaff(admin: Composer<BotContext>, deps: BotDeps): void {
  const { db } = deps.store;

  admin.command(
    'staff',
    adminAction('staff', async (ctx) => {
      const [sub, id, ...rest] = argsOf(ctx).split(/\s+/);
      if (sub === 'list' && id === undefined) {
        return ctx.reply(ctx.t.staffList(await listAdmins(db, deps.adminIds)));
      }
      if ((sub !== 'add' && sub !== 'remove') || id === undefined || rest.length > 0) {
        return ctx.reply(ctx.t.staffUsage);
      }
      const telegramId = parseId(id, 'telegram id');
      if (deps.adminIds.has(telegramId)) return ctx.reply(ctx.t.staffIsOwner(telegramId));
      const changed =
        sub === 'add'
          ? await addStaff(db, { telegramId, addedBy: actorOf(ctx), ownerIds: deps.adminIds })
          : await removeStaff(db, { telegramId, removedBy: actorOf(ctx) });
      deps.adminRoles.forget(telegramId);
      if (sub === 'add')
        return ctx.reply(changed ? ctx.t.staffAdded(telegramId) : ctx.t.staffAlready(telegramId));
      return ctx.reply(changed ? ctx.t.staffRemoved(telegramId) : ctx.t.staffNotFound(telegramId));
    }),
  );

  admin.command(
    'audit',
    adminAction('audit', async (ctx) => {
      const args = argsOf(ctx);
      const limit = args === '' ? 20 : parseId(args, 'jumlah');
      if (limit > MAX_AUDIT_ENTRIES) return ctx.reply(ctx.t.auditUsage);
      const entries = await listAudit(db, { limit });
      if (entries.length === 0) return ctx.reply(ctx.t.auditEmpty);
      return ctx.reply(`${ctx.t.auditTitle(entries.length)}\n\n${ctx.t.auditEntries(entries)}`);
    }),
  );

  admin.command(
    'stock',
    adminAction('stock', async (ctx) => {
      const args = argsOf(ctx);
      if (args === '') return ctx.reply(ctx.t.stockUsage);
      const productId = parseId(args, 'id produk');
      const product = await getProduct(db, productId);
      if (!product) return ctx.reply(ctx.t.productUnknown(productId));
      const counts = await stockCounts(db, productId);
      // Masked by listStock (maskContent): never a whole content in a chat.
      const latest = await listStock(db, productId, {
        status: 'available',
        limit: STOCK_PREVIEW_ITEMS,
        newest: true,
      });
      return ctx.reply(
        ctx.t.stockReport({
          productId,
          name: product.name,
          ...counts,
          latest: latest.map((item) => ({ id: item.id, preview: item.preview })),
        }),
      );
    }),
  );

  admin.command(
    'order',
    adminAction('orders', async (ctx) => {
      const orderId = argsOf(ctx);
      if (orderId === '' || orderId.length > 64 || /\s/.test(orderId)) return ctx.reply(ctx.t.orderUsage);
      const summary = await findOrderSummary(db, orderId);
      if (!summary) return ctx.reply(ctx.t.orderUnknown(orderId));
      const { order, lines } = summary;
      return ctx.reply(
        ctx.t.orderReport({
          orderId: order.id,
          statusLine: ctx.t.statusClosed(order.status),
          buyerId: order.userId,
          subtotal: order.subtotal,
          discount: order.discount,
          fee: order.fee,
          total: order.totalBill,
          balancePaid: order.balancePaid,
          items: lines.reduce((sum, line) => sum + line.quantity, 0),
          products: ctx.t.orderItems(lines),
          createdAt: order.createdAt,
        }),
      );
    }),
  );
}
