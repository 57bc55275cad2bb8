import { GrammyError, InputFile } from 'grammy';
import type { OrderStatus } from '../../db/schema.js';
import { isStoreError, StoreError } from '../../store/errors.js';
import { attachQrMessage } from '../../store/orders.js';
import type { BotContext, BotDeps, QuantityMemory } from '../context.js';
import { paymentKeyboard } from '../keyboards.js';
import type { OrderFacts } from '../messages/core.js';
import type { SlidingWindowLimiter } from '../rate-limit.js';
import { answer, show, tell } from './shared.js';

/**
 * "Beli": gateway health (seed 003), checkout (order + reserved stock + QRIS payment), the order
 * summary, then the QR photo with seed 000's caption and seed 003's buttons; then the payment is
 * watched for delivery. "Status Pembayaran" and "Batalkan" act on the order until it is paid.
 */
export async function buy(
  ctx: BotContext,
  deps: BotDeps,
  memory: QuantityMemory,
  productId: number,
): Promise<void> {
  const { t, user } = ctx;
  const chatId = ctx.chat?.id ?? user.telegramId;
  // The checkout may take seconds (the gateway): answer the button first.
  await answer(ctx);
  if (!(await deps.checkGateway())) {
    deps.alerts.notice(t.alertGatewayDown, 'gateway-down');
    await ctx.reply(t.gatewayDown);
    return;
  }
  const quantity = memory.get(user.telegramId, productId);
  let checkout: Awaited<ReturnType<BotDeps['store']['checkout']>>;
  try {
    checkout = await deps.store.checkout({
      userId: user.telegramId,
      productId,
      quantity,
      chatId,
      username: user.username ?? undefined,
    });
  } catch (error) {
    await refused(ctx, deps, error);
    return;
  }
  memory.clear(user.telegramId);
  const { order, quote, payment, productName } = checkout;
  const facts: OrderFacts = {
    orderId: order.id,
    productName,
    quantity: quote.quantity,
    unitPrice: quote.unitPrice,
    subtotal: quote.subtotal,
    fee: quote.fee,
    total: quote.total,
  };
  await show(ctx, t.orderSummary(facts));
  const png = await deps.renderQr(payment.qrContent);
  const sendQr = (checkoutUrl: string | undefined) =>
    ctx.api.sendPhoto(chatId, new InputFile(png, `${order.id}.png`), {
      caption: t.qrCaption(facts, payment.expiresAt),
      reply_markup: paymentKeyboard(t, order.id, checkoutUrl, {
        sandbox: deps.simulatePayment !== undefined,
      }),
    });
  let photo: Awaited<ReturnType<typeof sendQr>>;
  try {
    photo = await sendQr(deps.checkoutUrl(payment));
  } catch (error) {
    // Telegram refuses URL buttons it cannot open (e.g. PUBLIC_URL=http://localhost): the QR
    // itself still sells, so send it without the "Checkout Page" button.
    if (!(error instanceof GrammyError && error.error_code === 400 && /url/i.test(error.description)))
      throw error;
    deps.logger.warn(
      { order_id: order.id, err: error.description },
      'checkout page URL refused by Telegram; set PUBLIC_URL',
    );
    photo = await sendQr(undefined);
  }
  await attachQrMessage(deps.store.db, order.id, photo.message_id);
  await deps.delivery.watch(order);
  // Paid (or gone) between creation and the watch: the watch would never fire for it.
  const now = await deps.store.paymentOf(order);
  if (now.status !== 'pending') await deps.delivery.process(order.id);
}

/** Why a checkout was refused, told to the buyer (and the admins when the gateway failed). */
async function refused(ctx: BotContext, deps: BotDeps, error: unknown): Promise<void> {
  const { t } = ctx;
  if (!(error instanceof StoreError)) throw error;
  switch (error.code) {
    case 'OUT_OF_STOCK': {
      const available = Number(error.details.available ?? 0);
      const product = String(error.details.product_name ?? '');
      await ctx.reply(available > 0 ? t.notEnoughStock(product, available) : t.outOfStock(product));
      return;
    }
    case 'USER_BANNED':
      await ctx.reply(t.banned);
      return;
    case 'PAYMENT_FAILED':
      deps.logger.warn({ err: deps.redact(error.cause ?? error) }, 'store: payment creation failed');
      deps.alerts.notice(t.alertGatewayError(deps.redact(error.cause ?? error)), 'gateway-error');
      await ctx.reply(t.paymentCreateFailed);
      return;
    case 'PRODUCT_NOT_FOUND':
    case 'PRODUCT_INACTIVE':
    case 'INVALID_QUANTITY':
      await ctx.reply(t.productGone);
      return;
    default:
      throw error;
  }
}

/** "Status Pembayaran": at most 5 checks per minute per order (seed 003). */
export async function checkStatus(
  ctx: BotContext,
  deps: BotDeps,
  limiter: SlidingWindowLimiter,
  orderId: string,
): Promise<void> {
  const { t } = ctx;
  const found = await deps.store.getOrder(orderId);
  if (!found || found.order.userId !== ctx.user.telegramId) return tell(ctx, t.orderNotFound);
  if (!limiter.take(orderId)) return answer(ctx, t.statusRateLimited, true);
  const { order } = await deps.store.refresh(orderId);
  if (order.status === 'pending') {
    const payment = await deps.store.paymentOf(order);
    return answer(ctx, t.statusPending(payment.expiresAt), true);
  }
  await answer(
    ctx,
    order.status === 'paid' || order.status === 'delivered' ? t.statusPaid : t.statusClosed(order.status),
  );
  await deps.delivery.process(orderId);
}

/** "Batalkan": cancels until paid; a paid order is delivered instead. */
export async function cancelOrder(ctx: BotContext, deps: BotDeps, orderId: string): Promise<void> {
  const { t } = ctx;
  let status: OrderStatus;
  try {
    status = (await deps.store.cancel(orderId, ctx.user.telegramId)).order.status;
  } catch (error) {
    if (isStoreError(error, 'ORDER_NOT_FOUND')) return tell(ctx, t.orderNotFound);
    throw error;
  }
  if (status === 'paid' || status === 'delivered') await answer(ctx, t.cancelTooLate, true);
  else if (status === 'cancelled') await answer(ctx, t.cancelDone);
  else await answer(ctx, t.statusClosed(status), true);
  await deps.delivery.process(orderId);
}
