import { InlineKeyboard } from 'grammy';
import type { CategorySummary, ProductWithStock } from '../store/catalog.js';
import type { OrderWithItems } from '../store/orders.js';
import { cb } from './callback-data.js';
import type { Messages } from './messages/index.js';

/** The inline keyboards of the bot, one builder per screen. */

export function menuKeyboard(t: Messages): InlineKeyboard {
  return new InlineKeyboard()
    .text(t.buttonCatalog, cb.catalog())
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

/** Seed 003's confirmation button. */
export function backToMenuKeyboard(t: Messages): InlineKeyboard {
  return new InlineKeyboard().text(t.buttonBackSeed, cb.menu());
}

/** /orders: one "content" button per delivered order. */
export function ordersKeyboard(t: Messages, orders: readonly OrderWithItems[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const { order } of orders) {
    if (order.status === 'paid' || order.status === 'delivered') {
      keyboard.text(t.buttonContent(order.id), cb.content(order.id)).row();
    }
  }
  return keyboard.text(t.buttonBack, cb.menu());
}
