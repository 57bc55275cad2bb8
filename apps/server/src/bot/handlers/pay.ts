import { randomBytes } from 'node:crypto';
import { getProduct } from '../../store/catalog.js';
import { type BalanceUse, type Charge, charge } from '../../store/charge.js';
import { isStoreError, StoreError } from '../../store/errors.js';
import { quote } from '../../store/pricing.js';
import type { Purchase } from '../../store/service.js';
import { normalizeVoucherCode, previewVoucher } from '../../store/vouchers.js';
import type { PayAction } from '../callback-data.js';
import type { BotContext, BotDeps, QuantityMemory } from '../context.js';
import { checkoutChoiceKeyboard } from '../keyboards.js';
import type { OrderFacts } from '../messages/core.js';
import type { PayOption } from '../messages/wallet.js';
import type { PendingPrompts } from '../prompts.js';
import { refused, sendQr, tellGatewayDown } from './checkout.js';
import { answer, show, tell } from './shared.js';

/**
 * Checkout with a choice (issue 9). "Beli" shows a summary — goods, voucher discount, balance —
 * with one button per way to pay: QRIS, the whole bill from the balance, balance + QRIS for the
 * rest, plus "Pakai voucher" and "Kembali". Nothing is reserved until a pay button is pressed.
 * Each summary carries a random nonce in its buttons; with the summary's chat and message id it is
 * the order's checkout key, so a double tap, a replayed callback or a second device showing the
 * same message makes ONE order (the store refuses the repeat with DUPLICATE_REQUEST under the
 * buyer's row lock) and the balance is never spent twice.
 */

const USES: Record<PayAction['mode'], BalanceUse> = { qris: 'none', balance: 'full', split: 'partial' };

/** "Beli": the checkout choice for the quantity chosen on the product page. */
export async function showCheckout(
  ctx: BotContext,
  deps: BotDeps,
  memory: QuantityMemory,
  productId: number,
): Promise<void> {
  await showChoice(ctx, deps, { productId, quantity: memory.get(ctx.user.telegramId, productId) });
}

/**
 * Shows the checkout choice (editing the pressed message, or as a new message after a typed
 * voucher code). Seed 003: the gateway is checked before a QR is offered; while it is down only
 * the balance can pay.
 */
export async function showChoice(
  ctx: BotContext,
  deps: BotDeps,
  input: { productId: number; quantity: number; voucherCode?: string | null },
): Promise<void> {
  const { t, user } = ctx;
  const product = await getProduct(deps.store.db, input.productId);
  if (!product?.isActive) return tell(ctx, t.productGone);
  let priced: ReturnType<typeof quote>;
  try {
    priced = quote(product, input.quantity, user.memberStatus);
  } catch (error) {
    if (isStoreError(error, 'INVALID_QUANTITY')) return tell(ctx, t.productGone);
    throw error;
  }
  await answer(ctx);
  const gatewayUp = await deps.checkGateway();
  if (!gatewayUp) await tellGatewayDown(ctx, deps);
  let voucher: { code: string; discount: number } | null = null;
  if (input.voucherCode) {
    try {
      const preview = await previewVoucher(deps.store.db, {
        code: input.voucherCode,
        userId: user.telegramId,
        productId: product.id,
        subtotal: priced.subtotal,
      });
      voucher = { code: preview.voucher.code, discount: preview.discount };
    } catch (error) {
      if (!isStoreError(error, 'VOUCHER_INVALID')) throw error;
      await ctx.reply(t.voucherRefused(input.voucherCode, String(error.details.reason ?? '')));
      return;
    }
  }
  const { balance } = await deps.store.balance(user.telegramId);
  const bill = (use: BalanceUse) =>
    charge({ subtotal: priced.subtotal, discount: voucher?.discount ?? 0, balance, use });
  const due = priced.subtotal - (voucher?.discount ?? 0);
  const full = due > 0 && balance >= due ? bill('full') : null;
  const partial = due > 0 && balance > 0 && balance < due ? bill('partial') : null;
  const split = partial && partial.balancePaid > 0 ? partial : null;
  const options = { qris: gatewayUp ? bill('none') : null, full, split: gatewayUp ? split : null };
  if (!options.qris && !options.full && !options.split) return;
  const choice = {
    productName: product.name,
    quantity: priced.quantity,
    unitPrice: priced.unitPrice,
    subtotal: priced.subtotal,
    voucher,
    balance,
    ...options,
  };
  const keyboard = checkoutChoiceKeyboard(t, {
    productId: product.id,
    quantity: priced.quantity,
    nonce: randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6),
    voucherCode: voucher?.code ?? null,
    ...options,
  });
  if (voucher) await ctx.reply(t.checkoutChoice(choice), { reply_markup: keyboard });
  else await show(ctx, t.checkoutChoice(choice), keyboard);
}

/** "🎟️ Pakai voucher": the next message the buyer sends is the code. */
export async function askVoucher(
  ctx: BotContext,
  prompts: PendingPrompts,
  productId: number,
  quantity: number,
): Promise<void> {
  prompts.set(ctx.user.telegramId, { kind: 'voucher', productId, quantity });
  await answer(ctx);
  await ctx.reply(ctx.t.voucherPrompt);
}

/** The typed voucher code: a new checkout choice with the discount, or why it cannot be used. */
export async function applyVoucherCode(
  ctx: BotContext,
  deps: BotDeps,
  input: { productId: number; quantity: number; text: string },
): Promise<void> {
  let code: string;
  try {
    code = normalizeVoucherCode(input.text);
  } catch (error) {
    if (!isStoreError(error, 'INVALID_INPUT')) throw error;
    await ctx.reply(ctx.t.voucherBadCode);
    return;
  }
  await showChoice(ctx, deps, { productId: input.productId, quantity: input.quantity, voucherCode: code });
}

/**
 * A pay button: one order per summary (see above), then the QR of the QRIS part, or delivery at
 * once when the balance (or a voucher) paid everything.
 */
export async function pay(
  ctx: BotContext,
  deps: BotDeps,
  memory: QuantityMemory,
  action: PayAction,
): Promise<void> {
  const { t, user } = ctx;
  const chatId = ctx.chat?.id ?? user.telegramId;
  const messageId = ctx.callbackQuery?.message?.message_id;
  if (messageId === undefined) return tell(ctx, t.checkoutExpired);
  if (action.mode !== 'balance' && !(await deps.checkGateway())) {
    await answer(ctx);
    await tellGatewayDown(ctx, deps);
    return;
  }
  let purchase: Purchase;
  try {
    purchase = await deps.store.buy({
      userId: user.telegramId,
      productId: action.productId,
      quantity: action.quantity,
      chatId,
      username: user.username ?? undefined,
      voucherCode: action.voucherCode ?? undefined,
      balance: USES[action.mode],
      checkoutKey: `${chatId}:${messageId}:${action.nonce}`,
    });
  } catch (error) {
    return payRefused(ctx, deps, error);
  }
  await answer(ctx);
  memory.clear(user.telegramId);
  const { order, quote: priced, charge: bill, productName, payment } = purchase;
  await show(ctx, summaryOf(ctx, { orderId: order.id, productName, quote: priced, charge: bill }));
  if (!payment) {
    // Sold in the order's transaction (`paid`): the delivery path sends the goods now.
    await deps.delivery.process(order.id);
    return;
  }
  const facts: OrderFacts = {
    orderId: order.id,
    productName,
    quantity: priced.quantity,
    unitPrice: priced.unitPrice,
    subtotal: priced.subtotal,
    fee: bill.fee,
    // The QR asks for the QRIS part only.
    total: bill.qrisAmount,
  };
  await sendQr(ctx, deps, { order, payment, caption: t.qrCaption(facts, payment.expiresAt) });
}

/** The order summary: seed 000's when paid by QRIS alone, else with the discount and balance parts. */
function summaryOf(
  ctx: BotContext,
  o: { orderId: string; productName: string; quote: ReturnType<typeof quote>; charge: Charge },
): string {
  const { quote: priced, charge: bill } = o;
  const facts = {
    orderId: o.orderId,
    productName: o.productName,
    quantity: priced.quantity,
    unitPrice: priced.unitPrice,
    subtotal: priced.subtotal,
  };
  if (bill.discount === 0 && bill.balancePaid === 0 && bill.qrisAmount > 0)
    return ctx.t.orderSummary({ ...facts, fee: bill.fee, total: bill.total });
  return ctx.t.orderSummaryDetailed({ ...facts, ...payOption(bill), discount: bill.discount });
}

function payOption(bill: Charge): PayOption {
  return { balancePaid: bill.balancePaid, fee: bill.fee, qrisAmount: bill.qrisAmount, total: bill.total };
}

/** A pay button refused: the order exists already, the balance or voucher fell short, or checkout's reasons. */
async function payRefused(ctx: BotContext, deps: BotDeps, error: unknown): Promise<void> {
  const { t } = ctx;
  if (!(error instanceof StoreError)) throw error;
  switch (error.code) {
    case 'DUPLICATE_REQUEST':
      // A double tap, a replay or another device: the first press made the order; charge nothing.
      return answer(ctx, t.alreadyOrdered(String(error.details.order_id ?? '')), true);
    case 'INSUFFICIENT_BALANCE':
      await answer(ctx);
      await ctx.reply(
        t.insufficientBalance(Number(error.details.balance ?? 0), Number(error.details.needed ?? 0)),
      );
      return;
    case 'VOUCHER_INVALID':
      await answer(ctx);
      await ctx.reply(t.voucherRefused(String(error.details.code ?? ''), String(error.details.reason ?? '')));
      return;
    default:
      await answer(ctx);
      return refused(ctx, deps, error);
  }
}
