import { type Composer, GrammyError } from 'grammy';
import { getProduct, listCategories, listProducts, type ProductWithStock } from '../../store/catalog.js';
import { MAX_QUANTITY, unitPrice } from '../../store/pricing.js';
import type { BotContext, BotDeps, QuantityMemory } from '../context.js';
import { catalogKeyboard, categoryKeyboard, menuKeyboard, productKeyboard } from '../keyboards.js';
import { answer, show, tell } from './shared.js';

/** /start, /help, the main menu, categories, product pages and the quantity buttons. */
export function registerCatalog(bot: Composer<BotContext>, deps: BotDeps): void {
  const { logger, redact } = deps;
  let sticker = deps.welcomeSticker;

  bot.command('start', async (ctx) => {
    if (sticker) {
      // The sticker is decoration: a file id this bot cannot use must not block the menu, and
      // once Telegram refused it, it is not tried again (one log line, not one per /start).
      await ctx.replyWithSticker(sticker).catch((error: unknown) => {
        if (error instanceof GrammyError && error.error_code === 400) sticker = undefined;
        logger.warn({ err: redact(error) }, 'could not send the welcome sticker (TELEGRAM_WELCOME_STICKER)');
      });
    }
    await ctx.reply(ctx.t.welcome(ctx.user.name), { reply_markup: menuKeyboard(ctx.t) });
  });

  bot.command('help', (ctx) => ctx.reply(ctx.t.help, { reply_markup: menuKeyboard(ctx.t) }));
}

/** Shows the main menu. */
export async function showMenu(ctx: BotContext): Promise<void> {
  await answer(ctx);
  await show(ctx, ctx.t.menuTitle, menuKeyboard(ctx.t));
}

/** Shows the categories with their stock. */
export async function showCatalog(ctx: BotContext, deps: BotDeps): Promise<void> {
  await answer(ctx);
  const categories = await listCategories(deps.store.db);
  if (categories.length === 0) return show(ctx, ctx.t.catalogEmpty, menuKeyboard(ctx.t));
  await show(ctx, ctx.t.catalogTitle, catalogKeyboard(ctx.t, categories));
}

/** Shows a category's products with price and stock. */
export async function showCategory(ctx: BotContext, deps: BotDeps, category: string): Promise<void> {
  await answer(ctx);
  const products = await listProducts(deps.store.db, category);
  if (products.length === 0) return showCatalogAfter(ctx, deps, ctx.t.categoryEmpty(category));
  const priceOf = (p: ProductWithStock) => unitPrice(p, ctx.user.memberStatus);
  await show(ctx, ctx.t.categoryTitle(category), categoryKeyboard(ctx.t, products, priceOf));
}

async function showCatalogAfter(ctx: BotContext, deps: BotDeps, notice: string): Promise<void> {
  const categories = await listCategories(deps.store.db);
  await show(ctx, ctx.t.catalogAfterNotice(notice), catalogKeyboard(ctx.t, categories));
}

/** The most a buyer may pick: the stock, capped by MAX_QUANTITY. */
function maxQuantity(product: ProductWithStock): number {
  return Math.min(product.stockCount, MAX_QUANTITY);
}

/** Shows a product page with the quantity chosen so far (bounded by stock). */
export async function showProduct(
  ctx: BotContext,
  deps: BotDeps,
  memory: QuantityMemory,
  productId: number,
  answered = false,
): Promise<void> {
  const product = await getProduct(deps.store.db, productId);
  if (!product?.isActive) return tell(ctx, ctx.t.productGone);
  if (!answered) await answer(ctx);
  const quantity = Math.max(1, Math.min(memory.get(ctx.user.telegramId, productId), maxQuantity(product)));
  memory.set(ctx.user.telegramId, productId, quantity);
  const text = ctx.t.productPage({
    name: product.name,
    description: product.description,
    price: unitPrice(product, ctx.user.memberStatus),
    stock: product.stockCount,
    quantity,
  });
  const warranty = product.warrantyHours > 0 ? `\n${ctx.t.warrantyLine(product.warrantyHours)}` : '';
  await show(ctx, text + warranty, productKeyboard(ctx.t, product, quantity));
}

/** ➕ / ➖ (seed 003 `product_1_quantity_plus`): within 1 … stock. */
export async function changeQuantity(
  ctx: BotContext,
  deps: BotDeps,
  memory: QuantityMemory,
  productId: number,
  change: 'plus' | 'minus',
): Promise<void> {
  const product = await getProduct(deps.store.db, productId);
  if (!product?.isActive) return tell(ctx, ctx.t.productGone);
  const current = memory.get(ctx.user.telegramId, productId);
  const next = change === 'plus' ? current + 1 : current - 1;
  if (change === 'plus' && next > maxQuantity(product))
    return answer(ctx, ctx.t.quantityAtMax(product.stockCount));
  if (change === 'minus' && next < 1) return answer(ctx, ctx.t.quantityAtMin);
  memory.set(ctx.user.telegramId, productId, next);
  await answer(ctx);
  await showProduct(ctx, deps, memory, productId, true);
}
