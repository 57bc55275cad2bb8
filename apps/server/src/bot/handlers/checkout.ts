import { GrammyError, InputFile } from 'grammy';
import type { OrderStatus, StoreOrder } from '../../db/schema.js';
import type { PaymentView } from '../../payments/contract.js';
import { isStoreError, StoreError } from '../../store/errors.js';
import { attachQrMessage } from '../../store/orders.js';
import type { BotContext, BotDeps } from '../context.js';
import { paymentKeyboard } from '../keyboards.js';
import { messagesFor } from '../messages/index.js';
import type { SlidingWindowLimiter } from '../rate-limit.js';
import { answer, tell } from './shared.js';

/**
 * The QR photo of an order's QRIS payment (a purchase's QRIS part, a top-up) with seed 000's
 * caption and seed 003's buttons; then the payment is watched for delivery. "Status Pembayaran"
 * and "Batalkan" act on the order until it is paid. The summary is the caller's (bot/handlers/pay.ts
 * shows the checkout choice and creates the order).
 */
export async function sendQr(
  ctx: BotContext,
  deps: BotDeps,
  input: { order: StoreOrder; payment: PaymentView; caption: string },
): Promise<void> {
  const { t, user } = ctx;
  const { order, payment, caption } = input;
  const chatId = ctx.chat?.id ?? user.telegramId;
  const png = await deps.renderQr(payment.qrContent);
  const sendPhoto = (checkoutUrl: string | undefined) =>
    ctx.api.sendPhoto(chatId, new InputFile(png, `${order.id}.png`), {
      caption,
      reply_markup: paymentKeyboard(t, order.id, checkoutUrl, {
        sandbox: deps.simulatePayment !== undefined,
      }),
    });
  let photo: Awaited<ReturnType<typeof sendPhoto>>;
  try {
    photo = await sendPhoto(deps.checkoutUrl(payment));
  } catch (error) {
    // Telegram refuses URL buttons it cannot open (e.g. PUBLIC_URL=http://localhost): the QR
    // itself still sells, so send it without the "Checkout Page" button.
    if (!(error instanceof GrammyError && error.error_code === 400 && /url/i.test(error.description)))
      throw error;
    deps.logger.warn(
      { order_id: order.id, err: error.description },
      'checkout page URL refused by Telegram; set PUBLIC_URL',
    );
    photo = await sendPhoto(undefined);
  }
  await attachQrMessage(deps.store.db, order.id, photo.message_id);
  await deps.delivery.watch(order);
  // Paid (or gone) between creation and the watch: the watch would never fire for it.
  const now = await deps.store.paymentOf(order);
  if (now.status !== 'pending') await deps.delivery.process(order.id);
}

/** Admin alerts are in Bahasa Indonesia, whatever the buyer's language (as bot.ts makes them). */
const ADMIN_MESSAGES = messagesFor('id');

/** The gateway does not answer (seed 003): the admins are alerted and the buyer told. */
export async function tellGatewayDown(ctx: BotContext, deps: BotDeps): Promise<void> {
  deps.alerts.notice(ADMIN_MESSAGES.alertGatewayDown, 'gateway-down');
  await ctx.reply(ctx.t.gatewayDown);
}

/** Why a checkout was refused, told to the buyer (and the admins when the gateway failed). */
export async function refused(ctx: BotContext, deps: BotDeps, error: unknown): Promise<void> {
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
      deps.alerts.notice(
        ADMIN_MESSAGES.alertGatewayError(deps.redact(error.cause ?? error)),
        'gateway-error',
      );
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
  const { order, credited } = await deps.store.refresh(orderId);
  if (credited) await deps.delivery.tellCredit(credited);
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
