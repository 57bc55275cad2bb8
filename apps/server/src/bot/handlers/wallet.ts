import type { Composer } from 'grammy';
import { isStoreError } from '../../store/errors.js';
import { MAX_TOPUP, MIN_TOPUP, topupQuote } from '../../store/topup.js';
import { ledgerOf } from '../../store/wallet.js';
import { parseCallback } from '../callback-data.js';
import type { BotContext, BotDeps, QuantityMemory } from '../context.js';
import { topupKeyboard, walletKeyboard } from '../keyboards.js';
import type { PendingPrompts } from '../prompts.js';
import { refused, sendQr, tellGatewayDown } from './checkout.js';
import { applyVoucherCode, askVoucher, pay, showCheckout } from './pay.js';
import { answer, show } from './shared.js';

/** The amounts offered by /topup without an amount. */
export const TOPUP_PRESETS = [10_000, 25_000, 50_000, 100_000] as const;

/** Ledger entries /saldo shows. */
const RECENT_ENTRIES = 5;

/**
 * The buyer's wallet (issue 9): /saldo (/balance) and the menu's "👛 Saldo" button, /topup
 * (/isisaldo) with preset or typed amounts, the checkout choice behind "Beli" (handlers/pay.ts),
 * and the answers to the bot's questions (a voucher code, a top-up amount). Register it before the
 * other handlers: only a user with one of those questions open has their plain text taken here.
 */
export function registerWallet(
  bot: Composer<BotContext>,
  deps: BotDeps,
  memory: QuantityMemory,
  prompts: PendingPrompts,
): void {
  bot.on('message:text', async (ctx, next) => {
    const { text } = ctx.msg;
    if (text.startsWith('/')) return next(); // a command gave up the question (bot.ts)
    const prompt = prompts.take(ctx.user.telegramId, ['voucher', 'topup']);
    if (!prompt) return next();
    if (prompt.kind === 'voucher') return applyVoucherCode(ctx, deps, { ...prompt, text });
    const amount = parseAmount(text);
    if (amount === null) return ctx.reply(ctx.t.topupNotANumber);
    return startTopup(ctx, deps, amount);
  });

  bot.on('callback_query:data', async (ctx, next) => {
    const action = parseCallback(ctx.callbackQuery.data);
    switch (action?.kind) {
      case 'buy':
        return showCheckout(ctx, deps, memory, action.productId);
      case 'pay':
        return pay(ctx, deps, memory, action);
      case 'voucherAsk':
        return askVoucher(ctx, prompts, action.productId, action.quantity);
      case 'wallet':
        return showWallet(ctx, deps);
      case 'topupAsk':
        return askTopup(ctx, prompts);
      case 'topup':
        return startTopup(ctx, deps, action.amount);
      default:
        return next();
    }
  });

  for (const command of ['saldo', 'balance']) bot.command(command, (ctx) => showWallet(ctx, deps));

  for (const command of ['topup', 'isisaldo']) {
    bot.command(command, async (ctx) => {
      const args = ctx.match.trim();
      if (args === '') return askTopup(ctx, prompts);
      const amount = parseAmount(args);
      if (amount === null) return ctx.reply(ctx.t.topupNotANumber);
      return startTopup(ctx, deps, amount);
    });
  }
}

/** /saldo: the balance, the latest ledger entries, and a top-up button. */
export async function showWallet(ctx: BotContext, deps: BotDeps): Promise<void> {
  await answer(ctx);
  const userId = ctx.user.telegramId;
  const { balance } = await deps.store.balance(userId);
  const entries = await ledgerOf(deps.store.db, userId, { limit: RECENT_ENTRIES });
  await show(ctx, ctx.t.walletScreen(balance, entries), walletKeyboard(ctx.t));
}

/** /topup without an amount: preset buttons, or the next message is the amount. */
async function askTopup(ctx: BotContext, prompts: PendingPrompts): Promise<void> {
  prompts.set(ctx.user.telegramId, { kind: 'topup' });
  await answer(ctx);
  await show(ctx, ctx.t.topupPrompt(MIN_TOPUP), topupKeyboard(ctx.t, TOPUP_PRESETS));
}

/** A top-up of `amount`: its price with the fee, then the QR like a purchase's. */
async function startTopup(ctx: BotContext, deps: BotDeps, amount: number): Promise<void> {
  const { t, user } = ctx;
  await answer(ctx);
  if (amount < MIN_TOPUP) return void (await ctx.reply(t.topupTooSmall(MIN_TOPUP)));
  if (amount > MAX_TOPUP) return void (await ctx.reply(t.topupTooLarge(MAX_TOPUP)));
  if (!(await deps.checkGateway())) return tellGatewayDown(ctx, deps);
  const chatId = ctx.chat?.id ?? user.telegramId;
  let topup: Awaited<ReturnType<BotDeps['store']['topup']>>;
  try {
    topup = await deps.store.topup({ userId: user.telegramId, chatId, amount, checkoutKey: pressKey(ctx) });
  } catch (error) {
    // A double tap or a replayed update: the first press made the top-up and its QR.
    if (isStoreError(error, 'DUPLICATE_REQUEST'))
      return void (await ctx.reply(t.alreadyOrdered(String(error.details.order_id ?? ''))));
    return refused(ctx, deps, error);
  }
  const { order, payment, fee } = topup;
  const priced = topupQuote(amount);
  await show(ctx, t.topupSummary({ orderId: order.id, amount, fee, total: priced.total }));
  const caption = t.qrCaption(
    {
      orderId: order.id,
      productName: t.topupProduct(amount),
      quantity: 1,
      unitPrice: amount,
      subtotal: amount,
      fee,
      total: priced.total,
    },
    payment.expiresAt,
  );
  await sendQr(ctx, deps, { order, payment, caption });
}

/**
 * What identifies this press: the button's message and data, or the typed message. Telegram
 * delivers the same ids again for a double tap on one button or a replayed update.
 */
function pressKey(ctx: BotContext): string | undefined {
  const chat = ctx.chat?.id ?? ctx.user.telegramId;
  if (ctx.callbackQuery?.message)
    return `${chat}:${ctx.callbackQuery.message.message_id}:${ctx.callbackQuery.data}`;
  if (ctx.message) return `${chat}:text:${ctx.message.message_id}`;
  return undefined;
}

/**
 * A typed amount of rupiah (`50000`, `50.000`, `Rp 50.000`), or null when it is not one.
 * @example parseAmount('Rp 25.000') // 25_000
 */
export function parseAmount(text: string): number | null {
  const cleaned = text
    .trim()
    .replace(/^rp\.?\s*/i, '')
    .replace(/\s/g, '');
  if (!/^\d{1,3}([.,]\d{3})+$|^\d{1,12}$/.test(cleaned)) return null;
  const amount = Number(cleaned.replace(/[.,]/g, ''));
  return Number.isSafeInteger(amount) ? amount : null;
}
