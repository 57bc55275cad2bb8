import type { Composer } from 'grammy';
import { getProduct } from '../../store/catalog.js';
import { isStoreError } from '../../store/errors.js';
import { subscribeRestock } from '../../store/restock.js';
import { parseCallback } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import { answer, tell } from './shared.js';

/** "🔔 Kabari saya" on a sold-out product page: subscribes the buyer to one restock alert. */
export function registerRestock(bot: Composer<BotContext>, deps: BotDeps): void {
  bot.on('callback_query:data', async (ctx, next) => {
    const action = parseCallback(ctx.callbackQuery.data);
    if (action?.kind !== 'restock') return next();
    await subscribe(ctx, deps, action.productId);
  });
}

async function subscribe(ctx: BotContext, deps: BotDeps, productId: number): Promise<void> {
  const { db } = deps.store;
  try {
    await subscribeRestock(db, ctx.user.telegramId, productId);
  } catch (error) {
    if (isStoreError(error, 'PRODUCT_NOT_FOUND') || isStoreError(error, 'PRODUCT_INACTIVE')) {
      return tell(ctx, ctx.t.productGone);
    }
    throw error;
  }
  const product = await getProduct(db, productId);
  await answer(ctx, ctx.t.restockSubscribed(product?.name ?? `#${productId}`), true);
}
