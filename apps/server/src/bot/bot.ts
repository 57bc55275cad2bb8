import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { toPng } from '@quickcart/qris';
import { Bot, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { type Logger, silentLogger } from '../payments/alerts.js';
import type { PaymentView } from '../payments/contract.js';
import type { Store } from '../store/service.js';
import { touchUser } from '../store/users.js';
import { type AdminAlerts, createAdminAlerts } from './alerts.js';
import { parseCallback } from './callback-data.js';
import { type BotContext, type BotDeps, QuantityMemory } from './context.js';
import { Delivery } from './delivery.js';
import { downloader } from './download.js';
import { registerAdmin } from './handlers/admin.js';
import {
  changeQuantity,
  registerCatalog,
  showCatalog,
  showCategory,
  showMenu,
  showProduct,
} from './handlers/catalog.js';
import { cancelOrder, checkStatus } from './handlers/checkout.js';
import { registerLanguage } from './handlers/language.js';
import { resendContent, showOrders } from './handlers/orders.js';
import { registerReplacements } from './handlers/replacements.js';
import { registerRestock } from './handlers/restock.js';
import { answer } from './handlers/shared.js';
import { simulatePay } from './handlers/simulate.js';
import { registerVouchers } from './handlers/vouchers.js';
import { registerWallet } from './handlers/wallet.js';
import { languageOf, messagesFor } from './messages/index.js';
import { keepsPrompt, PendingPrompts } from './prompts.js';
import { type BotLimits, SEED_LIMITS, SlidingWindowLimiter } from './rate-limit.js';
import { describeError } from './redact.js';
import { ReplacementSender } from './replacement-sender.js';
import { RestockAlerts } from './restock-alerts.js';
import { AdminRoles } from './roles.js';

/** Options of `createStoreBot()`. */
export interface StoreBotOptions {
  token: string;
  /** Bot API root (TELEGRAM_API_ROOT); default https://api.telegram.org. */
  apiRoot?: string | undefined;
  /** Known bot identity: skips getMe (tests with `handleUpdate`). */
  botInfo?: UserFromGetMe;
  store: Store;
  adminIds: readonly number[];
  welcomeSticker?: string | undefined;
  checkGateway: () => Promise<boolean>;
  checkoutUrl: (payment: PaymentView) => string;
  /** Sandbox mode: pays a payment through the sandbox; adds "Simulasi Bayar (sandbox)" under QRs. */
  simulatePayment?: ((paymentId: string) => Promise<unknown>) | undefined;
  renderQr?: (qris: string) => Promise<Buffer>;
  limits?: BotLimits;
  now?: () => Date;
  logger?: Logger;
  /** Installed first (tests: a capturing transformer). */
  transformers?: Transformer[];
  /** Retry 429s and network errors (default true). */
  autoRetry?: boolean;
}

/** A store bot: grammY's Bot plus what runs beside it. */
export interface StoreBot {
  bot: Bot<BotContext>;
  delivery: Delivery;
  alerts: AdminAlerts;
  /** Sends approved replacements; `sweep()` is a periodic job (start.ts). */
  replacements: ReplacementSender;
  /** Restock alerts; `run()` is a periodic job (start.ts) and follows /addstock. */
  restock: RestockAlerts;
  /** Resolves when every update in progress and every background job (broadcasts, alerts) is done. */
  idle(): Promise<void>;
  /** Tells background work (a broadcast) to stop early. */
  abort(): void;
}

/**
 * The Telegram store bot (grammY). Every update: the user is recorded (banned users stop here),
 * rate limits apply (seed 003), then commands and buttons. Errors are logged without the token
 * and answered with an apology.
 * @example
 * const { bot } = createStoreBot({ token, store, adminIds: [42], checkGateway, checkoutUrl });
 * await bot.handleUpdate(update);
 */
export function createStoreBot(options: StoreBotOptions): StoreBot {
  const { token, store } = options;
  const logger = options.logger ?? silentLogger;
  const redact = (error: unknown) => describeError(error, token);
  const bot = new Bot<BotContext>(token, {
    ...(options.botInfo && { botInfo: options.botInfo }),
    client: { ...(options.apiRoot && { apiRoot: options.apiRoot }), sensitiveLogs: false },
  });
  for (const transformer of options.transformers ?? []) bot.api.config.use(transformer);
  if (options.autoRetry !== false)
    bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));

  // Admin alerts are in Bahasa Indonesia; buyers get their own language (ctx.t, Delivery).
  const messages = messagesFor('id');
  const alerts = createAdminAlerts({
    api: bot.api,
    db: store.db,
    adminIds: options.adminIds,
    messages,
    logger,
    redact,
  });
  const delivery = new Delivery({
    store,
    api: bot.api,
    logger,
    redact,
    onUndeliverable: (order) =>
      alerts.notice(messages.alertUndeliverable(order.id, order.userId), `undeliverable:${order.id}`),
  });
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    background.add(work);
    void work.finally(() => background.delete(work)).catch(() => {});
  };
  const stopping = new AbortController();
  const replacements = new ReplacementSender({ db: store.db, api: bot.api, delivery, logger, redact });
  const restock = new RestockAlerts({ db: store.db, api: bot.api, logger, redact, signal: stopping.signal });
  const deps: BotDeps = {
    store,
    delivery,
    alerts,
    replacements,
    restock,
    adminIds: new Set(options.adminIds),
    adminRoles: new AdminRoles({ db: store.db, ownerIds: new Set(options.adminIds) }),
    welcomeSticker: options.welcomeSticker,
    checkGateway: options.checkGateway,
    checkoutUrl: options.checkoutUrl,
    simulatePayment: options.simulatePayment,
    renderQr: options.renderQr ?? ((qris) => toPng(qris, { scale: 8 })),
    downloadFile: downloader({ api: bot.api, token, apiRoot: options.apiRoot ?? 'https://api.telegram.org' }),
    limits: options.limits ?? SEED_LIMITS,
    now: options.now ?? (() => new Date()),
    logger,
    redact,
    track,
    stopping: stopping.signal,
  };
  const memory = new QuantityMemory();
  // One open question per user, shared by the wallet (voucher, top-up) and problem reports.
  const prompts = new PendingPrompts({ now: () => deps.now().getTime() });
  const minute = 60_000;
  const userLimiter = new SlidingWindowLimiter({ limit: deps.limits.commandsPerMinute, windowMs: minute });
  const adminLimiter = new SlidingWindowLimiter({
    limit: deps.limits.adminCommandsPerMinute,
    windowMs: minute,
  });
  const statusLimiter = new SlidingWindowLimiter({
    limit: deps.limits.statusChecksPerMinute,
    windowMs: minute,
  });
  const warned = new SlidingWindowLimiter({ limit: 1, windowMs: minute });
  const bannedWarned = new SlidingWindowLimiter({ limit: 1, windowMs: minute });

  bot.catch(async ({ ctx, error }) => {
    logger.error({ update_id: ctx.update.update_id, err: redact(error) }, 'bot: an update failed');
    await answer(ctx);
    if (ctx.chat) await ctx.reply(ctx.t?.somethingWrong ?? messages.somethingWrong).catch(() => {});
  });

  // One update per user at a time (the runner works on many users at once).
  bot.use(sequentialize((ctx) => String(ctx.from?.id ?? ctx.chat?.id ?? '')));
  // Updates in progress are tracked, so stopping waits for them.
  bot.use(async (_ctx, next) => {
    const work = next();
    track(work);
    await work;
  });

  // A shop talks in private chats; groups and channels are ignored.
  bot.use(async (ctx, next) => {
    if (!ctx.from || ctx.from.is_bot || (ctx.chat && ctx.chat.type !== 'private')) return;
    // Owners from ADMIN_TELEGRAM_IDS, staff from store_admins (bot/roles.ts).
    ctx.adminRole = await deps.adminRoles.of(ctx.from.id);
    ctx.isAdmin = ctx.adminRole !== null;
    ctx.user = await touchUser(store.db, {
      id: ctx.from.id,
      firstName: ctx.from.first_name,
      lastName: ctx.from.last_name,
      username: ctx.from.username,
      languageCode: ctx.from.language_code,
    });
    ctx.t = messagesFor(languageOf(ctx.user.language, ctx.from.language_code));
    if (ctx.user.isBanned && !ctx.isAdmin) {
      if (ctx.callbackQuery) await answer(ctx, ctx.t.banned, true);
      // At most one message a minute: a banned user must not make the bot spam.
      else if (bannedWarned.take(String(ctx.from.id))) await ctx.reply(ctx.t.banned);
      return;
    }
    await next();
  });

  // Seed 003: 10 commands a minute per user (100 for admins). Quantity and status buttons have
  // their own bounds (stock; 5 checks a minute per order).
  bot.use(async (ctx, next) => {
    const action = ctx.callbackQuery?.data ? parseCallback(ctx.callbackQuery.data) : null;
    const exempt =
      action && (action.kind === 'quantity' || action.kind === 'status' || action.kind === 'noop');
    const limiter = ctx.isAdmin ? adminLimiter : userLimiter;
    if (exempt || limiter.take(String(ctx.from?.id))) return next();
    if (ctx.callbackQuery) return answer(ctx, ctx.t.rateLimited, true);
    if (warned.take(String(ctx.from?.id))) await ctx.reply(ctx.t.rateLimited);
  });

  // An open question (voucher code, top-up amount, report reason) is given up by a command or by
  // pressing a button that does not answer it.
  bot.use(async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId !== undefined) {
      if (ctx.msg?.text?.startsWith('/')) prompts.clear(userId);
      const data = ctx.callbackQuery?.data;
      if (data !== undefined && !keepsPrompt(parseCallback(data))) prompts.clear(userId);
    }
    await next();
  });

  // First: the wallet's questions (a voucher code, a top-up amount) take the next plain text, and
  // its callbacks include "Beli" (the checkout choice).
  registerWallet(bot, deps, memory, prompts);
  registerCatalog(bot, deps);
  bot.command('orders', (ctx) => showOrders(ctx, deps));
  registerAdmin(bot, deps);
  registerReplacements(bot, deps, prompts);
  registerRestock(bot, deps);
  registerVouchers(bot, deps);
  registerLanguage(bot, deps);

  bot.on('callback_query:data', async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    switch (action?.kind) {
      case 'menu':
        return showMenu(ctx);
      case 'catalog':
        return showCatalog(ctx, deps);
      case 'category':
        return showCategory(ctx, deps, action.category);
      case 'product':
        return showProduct(ctx, deps, memory, action.productId);
      case 'quantity':
        return changeQuantity(ctx, deps, memory, action.productId, action.change);
      case 'status':
        return checkStatus(ctx, deps, statusLimiter, action.orderId);
      case 'cancel':
        return cancelOrder(ctx, deps, action.orderId);
      case 'simulate':
        return simulatePay(ctx, deps, action.orderId);
      case 'orders':
        return showOrders(ctx, deps);
      case 'content':
        return resendContent(ctx, deps, action.orderId);
      case 'help':
        await answer(ctx);
        await ctx.reply(ctx.t.help);
        return;
      default:
        return answer(ctx);
    }
  });

  bot.on('message', (ctx) => ctx.reply(ctx.t.unknownCommand));

  return {
    bot,
    delivery,
    alerts,
    replacements,
    restock,
    abort: () => stopping.abort(),
    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
      await delivery.idle();
      await alerts.idle();
      await restock.idle();
    },
  };
}
