import { InlineKeyboard } from 'grammy';
import type { CategorySummary, ProductWithStock } from '../store/catalog.js';
import type { OrderWithItems } from '../store/orders.js';
import { cb, type PayMode } from './callback-data.js';
import { rupiah } from './format.js';
import type { Messages } from './messages/index.js';

/** The inline keyboards of the bot, one builder per screen. */

export function menuKeyboard(t: Messages): InlineKeyboard {
  return new InlineKeyboard()
    .text(t.buttonCatalog, cb.catalog())
    .text(t.buttonWallet, cb.wallet())
    .row()
    .text(t.buttonOrders, cb.orders())
    .text(t.buttonHelp, cb.help());
}

export function catalogKeyboard(t: Messages, categories: readonly CategorySummary[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const c of categories)
    keyboard.text(t.categoryButton(c.category, c.stock), cb.category(c.category)).row();
  return keyboard.text(t.buttonBack, cb.menu());
}

export function categoryKeyboard(
  t: Messages,
  products: readonly ProductWithStock[],
  priceOf: (product: ProductWithStock) => number,
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const p of products)
    keyboard.text(t.productButton(p.name, priceOf(p), p.stockCount), cb.product(p.id)).row();
  return keyboard.text(t.buttonBack, cb.catalog());
}

/** Seed 003: minus / quantity / plus, then Beli (only with stock), then back to the category. */
export function productKeyboard(
  t: Messages,
  product: Pick<ProductWithStock, 'id' | 'category' | 'stockCount'>,
  quantity: number,
): InlineKeyboard {
  const keyboard = new InlineKeyboard()
    .text(t.buttonMinus, cb.quantity(product.id, 'minus'))
    .text(String(quantity), cb.noop())
    .text(t.buttonPlus, cb.quantity(product.id, 'plus'))
    .row();
  if (product.stockCount > 0) keyboard.text(t.buttonBuy, cb.buy(product.id)).row();
  else keyboard.text(t.buttonNotifyRestock, cb.restock(product.id)).row();
  return keyboard.text(t.buttonBack, cb.category(product.category));
}

/**
 * Seed 003's QR buttons: [Checkout Page, Status Pembayaran], [Batalkan] (no URL: no first button);
 * in sandbox mode a last row [Simulasi Bayar (sandbox)].
 */
export function paymentKeyboard(
  t: Messages,
  orderId: string,
  checkoutUrl: string | undefined,
  options: { sandbox?: boolean } = {},
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (checkoutUrl !== undefined) keyboard.url(t.buttonCheckoutPage, checkoutUrl);
  keyboard.text(t.buttonPaymentStatus, cb.status(orderId)).row().text(t.buttonCancel, cb.cancel(orderId));
  if (options.sandbox) keyboard.row().text(t.buttonSimulatePay, cb.simulate(orderId));
  return keyboard;
}

/** /language: one button per language, each named in itself. */
export function languageKeyboard(t: Messages): InlineKeyboard {
  return new InlineKeyboard()
    .text(t.buttonLanguageId, cb.language('id'))
    .text(t.buttonLanguageEn, cb.language('en'));
}

/**
 * The checkout choice (issue 9): [Bayar QRIS] (while the gateway is up), [Bayar pakai saldo] when
 * the balance covers the bill, [Saldo + QRIS] when it covers part, [Pakai voucher], [Kembali].
 */
export function checkoutChoiceKeyboard(
  t: Messages,
  choice: {
    productId: number;
    quantity: number;
    nonce: string;
    voucherCode: string | null;
    qris: { qrisAmount: number } | null;
    full: unknown;
    split: unknown;
  },
): InlineKeyboard {
  const { productId, quantity, nonce, voucherCode } = choice;
  const pay = (mode: PayMode) => cb.pay({ mode, productId, quantity, nonce, voucherCode });
  const keyboard = new InlineKeyboard();
  if (choice.qris)
    keyboard.text(choice.qris.qrisAmount === 0 ? t.buttonPayFree : t.buttonPayQris, pay('qris')).row();
  if (choice.full) keyboard.text(t.buttonPayBalance, pay('balance')).row();
  if (choice.split) keyboard.text(t.buttonPaySplit, pay('split')).row();
  if (!voucherCode) keyboard.text(t.buttonUseVoucher, cb.voucherAsk(productId, quantity)).row();
  return keyboard.text(t.buttonBack, cb.product(productId));
}

/** /saldo: [Top up], [Kembali]. */
export function walletKeyboard(t: Messages): InlineKeyboard {
  return new InlineKeyboard().text(t.buttonTopup, cb.topupAsk()).row().text(t.buttonBack, cb.menu());
}

/** /topup without an amount: preset amounts, two a row. */
export function topupKeyboard(t: Messages, amounts: readonly number[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  amounts.forEach((amount, i) => {
    keyboard.text(rupiah(amount), cb.topup(amount));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.row().text(t.buttonBack, cb.wallet());
}

/** Seed 003's confirmation button. */
export function backToMenuKeyboard(t: Messages): InlineKeyboard {
  return new InlineKeyboard().text(t.buttonBackSeed, cb.menu());
}

/**
 * /orders: one "content" button per delivered order, and "Laporkan masalah" for the orders in
 * `reportable` (a warranty still running).
 */
export function ordersKeyboard(
  t: Messages,
  orders: readonly OrderWithItems[],
  reportable: ReadonlySet<string> = new Set(),
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const { order } of orders) {
    // A top-up has no content: its balance is on /saldo.
    if (order.kind === 'goods' && (order.status === 'paid' || order.status === 'delivered')) {
      keyboard.text(t.buttonContent(order.id), cb.content(order.id)).row();
      if (reportable.has(order.id)) keyboard.text(t.buttonReport(order.id), cb.report(order.id)).row();
    }
  }
  return keyboard.text(t.buttonBack, cb.menu());
}
