import { listUserOrders } from '../../store/orders.js';
import { ordersUnderWarranty } from '../../store/replacements.js';
import type { BotContext, BotDeps } from '../context.js';
import { wibDate } from '../format.js';
import { ordersKeyboard } from '../keyboards.js';
import { answer, show, tell } from './shared.js';

/** /orders: the last 10 orders, with a button per paid order to get its content again. */
export async function showOrders(ctx: BotContext, deps: BotDeps): Promise<void> {
  await answer(ctx);
  const { t } = ctx;
  const orders = await listUserOrders(deps.store.db, ctx.user.telegramId, 10);
  if (orders.length === 0) return show(ctx, t.ordersEmpty, ordersKeyboard(t, []));
  const lines = orders.map(({ order, items }) =>
    t.orderLine({
      orderId: order.id,
      products: order.kind === 'topup' ? t.topupProduct(order.subtotal) : t.orderItems(items),
      total: order.totalBill,
      status: order.status,
      date: wibDate(order.createdAt),
    }),
  );
  const reportable = await ordersUnderWarranty(deps.store.db, {
    userId: ctx.user.telegramId,
    orderIds: orders.map(({ order }) => order.id),
    now: deps.now(),
  });
  await show(ctx, t.ordersPage(lines), ordersKeyboard(t, orders, reportable));
}

/** Sends a paid order's content again (only to its buyer). */
export async function resendContent(ctx: BotContext, deps: BotDeps, orderId: string): Promise<void> {
  const { t } = ctx;
  const found = await deps.store.getOrder(orderId);
  if (!found || found.order.userId !== ctx.user.telegramId) return tell(ctx, t.orderNotFound);
  const { order, items } = found;
  if (order.status !== 'paid' && order.status !== 'delivered') return tell(ctx, t.contentNotAvailable);
  await answer(ctx);
  for (const item of items) {
    await deps.delivery.sendContent(order.chatId, order.id, item.productName, item.content ?? '', t);
  }
}
