import { type RunnerHandle, run } from '@grammyjs/runner';
import type { Pakasir } from '@quickcart/pakasir';
import type { FastifyInstance } from 'fastify';
import { Api, type BotError, GrammyError } from 'grammy';
import type { Config } from '../config.js';
import type { Database } from '../db/types.js';
import { type StoreSweeper, startStoreSweeper } from '../jobs/store-delivery.js';
import { type AlertSink, type Logger, logAlerts, silentLogger } from '../payments/alerts.js';
import type { PaymentService, PaymentView } from '../payments/contract.js';
import { ensureStoreAccount, keepLicenseFunded } from '../store/account.js';
import { createStore } from '../store/service.js';
import { createStoreBot, type StoreBot } from './bot.js';
import type { BotContext } from './context.js';
import { describeError } from './redact.js';
import {
  registerTelegramWebhook,
  useWebhook,
  type WebhookRoute,
  type WebhookSecrets,
  webhookSecrets,
} from './webhook.js';

/**
 * The Telegram store inside `quickcart start` (when TELEGRAM_BOT_TOKEN is set): the store's
 * partner and license, the bot on long polling (@grammyjs/runner) or, with `webhook`, on a webhook
 * (setWebhook, then updates through the app's `/telegram/:secret` route), and the store sweeper,
 * whose first run delivers what was paid while the process was down. `stop()` stops taking updates
 * first, lets handlers in flight finish, then stops the sweeper. The webhook stays set on stop:
 * Telegram keeps the updates until the next start.
 */

export interface TelegramStoreOptions {
  database: Database;
  payments: PaymentService;
  token: string;
  apiRoot?: string | undefined;
  adminIds: readonly number[];
  welcomeSticker?: string | undefined;
  checkGateway: () => Promise<boolean>;
  checkoutUrl: (payment: PaymentView) => string;
  sweepIntervalMs?: number;
  /** How often waiting restock alerts are looked for (default 3 s; /addstock also sends at once). */
  restockIntervalMs?: number;
  logger?: Logger;
  /** Sandbox mode: QR photos get the "Simulasi Bayar (sandbox)" button. */
  sandbox?: boolean;
  /** Webhook mode: where Telegram sends updates, and the route that receives them. */
  webhook?: { secrets: WebhookSecrets; route: WebhookRoute } | undefined;
}

export interface TelegramStore {
  storeBot: StoreBot;
  /** The payment domain's alerts, to the admins. */
  alerts: AlertSink;
  stop(): Promise<void>;
}

/** Thrown when Telegram refuses the token: a configuration error, not something to retry. */
export class TelegramTokenError extends Error {
  override readonly name = 'TelegramTokenError';
  readonly code = 'INVALID_CONFIG';
}

const STOP_GRACE_MS = 10_000;

export async function startTelegramStore(options: TelegramStoreOptions): Promise<TelegramStore> {
  const logger = options.logger ?? silentLogger;
  const { db } = options.database;
  const account = await ensureStoreAccount(db);
  await keepLicenseFunded(db, account);
  // Stray payments credited to a balance are told to the admins (storeBot exists by then).
  const store = createStore({
    db,
    payments: options.payments,
    account,
    logger,
    alerts: (alert) => storeBot.alerts.sink(alert),
  });
  const storeBot = createStoreBot({
    token: options.token,
    apiRoot: options.apiRoot,
    store,
    adminIds: options.adminIds,
    welcomeSticker: options.welcomeSticker,
    checkGateway: options.checkGateway,
    checkoutUrl: options.checkoutUrl,
    logger,
    ...(options.sandbox && {
      simulatePayment: (paymentId: string) => options.payments.simulate(account.partnerId, paymentId),
    }),
  });
  const { bot, delivery } = storeBot;
  const redact = (error: unknown) => describeError(error, options.token);
  const tokenRefused = (error: unknown) =>
    error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)
      ? new TelegramTokenError(
          `Telegram refused TELEGRAM_BOT_TOKEN (${error.error_code} ${error.description})`,
        )
      : null;
  // getMe without the bot's retrying transformers: a start must not wait through their backoff.
  const probe = new Api(options.token, {
    timeoutSeconds: 10,
    sensitiveLogs: false,
    ...(options.apiRoot && { apiRoot: options.apiRoot }),
  });
  const { webhook } = options;
  const init = async () => {
    bot.botInfo = await probe.getMe();
    if (webhook) {
      await probe.setWebhook(webhook.secrets.url, {
        secret_token: webhook.secrets.secretToken,
        allowed_updates: ['message', 'callback_query'],
      });
    }
  };
  let initError: unknown;
  try {
    await init();
  } catch (error) {
    initError = error;
    const refused = tokenRefused(error);
    if (refused) throw refused;
    // Telegram unreachable: the payment service starts anyway and the bot keeps trying.
    logger.warn({ err: redact(error) }, 'telegram: getMe failed; retrying in the background');
  }
  const sweeper: StoreSweeper = startStoreSweeper({
    database: options.database,
    intervalMs: options.sweepIntervalMs ?? 5000,
    logger,
    sweep: async () => {
      await keepLicenseFunded(db, account);
      // Errors are described here, token-free, rather than by the generic job logger.
      return delivery.sweep().catch((error: unknown) => {
        logger.error({ err: redact(error) }, 'store: delivery sweep failed');
      });
    },
  });
  // After-sales jobs, each under its own job lock: approved replacements a crash left unsent, and
  // restock alerts (stock may also come from the CLI or the HTTP admin API).
  const careJobs: StoreSweeper[] = [
    startStoreSweeper({
      database: options.database,
      name: 'store-replacements',
      intervalMs: options.sweepIntervalMs ?? 5000,
      logger,
      sweep: () => storeBot.replacements.sweep(),
    }),
    startStoreSweeper({
      database: options.database,
      name: 'store-restock',
      intervalMs: options.restockIntervalMs ?? 3000,
      logger,
      sweep: () => storeBot.restock.run(),
    }),
  ];
  let runner: RunnerHandle | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  const launch = async () => {
    // getMe until it answers (1 s, 2 s … 60 s apart), then long polling with the runner.
    for (let delayMs = 1000; initError !== undefined; delayMs = Math.min(delayMs * 2, 60_000)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (stopped) return;
      initError = await init().then(
        () => undefined,
        (error: unknown) => error,
      );
      if (initError !== undefined && tokenRefused(initError)) {
        logger.error({}, 'telegram: TELEGRAM_BOT_TOKEN was refused; the bot stays off');
        return;
      }
      if (initError !== undefined) logger.warn({ err: redact(initError) }, 'telegram: getMe failed again');
    }
    if (stopped) return;
    if (webhook) {
      // As the runner does: a failed update goes to the bot's error handler (bot.catch).
      webhook.route.attach(async (update) => {
        await bot.handleUpdate(update).catch((error: BotError<BotContext>) => bot.errorHandler(error));
      });
      logger.info({ bot: bot.botInfo.username, mode: 'webhook' }, 'telegram store bot started');
      return;
    }
    runner = run(bot, {
      runner: { silent: true, fetch: { timeout: 25, allowed_updates: ['message', 'callback_query'] } },
    });
    runner.task()?.catch((error: unknown) => {
      logger.error({ err: redact(error) }, 'telegram: the bot stopped fetching updates');
    });
    logger.info({ bot: bot.botInfo.username }, 'telegram store bot started');
  };
  const launched = launch();
  let stopping: Promise<void> | undefined;
  return {
    storeBot,
    alerts: storeBot.alerts.sink,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        wake?.();
        await launched;
        webhook?.route.detach();
        if (runner) await Promise.resolve(runner.stop()).catch(() => {});
        storeBot.abort();
        await withTimeout(storeBot.idle(), STOP_GRACE_MS);
        await sweeper.stop();
        await Promise.all(careJobs.map((job) => job.stop()));
        delivery.close();
      })();
      return stopping;
    },
  };
}

async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** Seed 003's welcome sticker (a file id works for the bot that received it: set your own). */
export const SEED_WELCOME_STICKER = 'CAACAgIAAxkBAAIDbWkLZHuqPRCqCqmL9flozT9YJdWOAAIZUAAC4KOCB7lIn3OKexieNgQ';

/** TELEGRAM_WELCOME_STICKER → the sticker to send: unset means seed 003's, `none` means none. */
export function welcomeStickerOf(configured: string | undefined): string | undefined {
  if (configured === 'none') return undefined;
  return configured ?? SEED_WELCOME_STICKER;
}

/**
 * The payment domain's alert sink for `quickcart start`: every alert is logged, and once the
 * store bot runs it also goes to the admins on Telegram.
 */
export function forwardingAlerts(logger: Logger): { sink: AlertSink; forwardTo(sink: AlertSink): void } {
  const log = logAlerts(logger);
  let admins: AlertSink | undefined;
  return {
    sink: (alert) => {
      log(alert);
      admins?.(alert);
    },
    forwardTo: (sink) => {
      admins = sink;
    },
  };
}

/**
 * The store bot as `quickcart start` runs it from the configuration: gateway health from
 * Pakasir's client (seed 003), and the "Checkout Page" button pointing at Pakasir's pay page with
 * `qris_only=1` on the custom domain when one is configured in live mode, else at our own hosted
 * page `/checkout/{payment_id}`.
 */
export function startTelegramFromConfig(
  config: Config,
  deps: {
    database: Database;
    payments: PaymentService;
    pakasir: Pakasir;
    logger: Logger;
    sweepIntervalMs?: number | undefined;
    webhook?: { secrets: WebhookSecrets; route: WebhookRoute } | undefined;
  },
): Promise<TelegramStore> {
  const { telegram, pakasir: settings } = config;
  if (!telegram.botToken) throw new Error('startTelegramFromConfig needs TELEGRAM_BOT_TOKEN');
  const usePakasirPage = settings.mode === 'live' && settings.publicDomain !== undefined;
  // A healthy answer is trusted for 30 s (one check per Beli would add a round trip to each sale);
  // an unhealthy one is asked again every time, so recovery is seen at once.
  let healthyUntil = 0;
  const checkGateway = async () => {
    if (Date.now() < healthyUntil) return true;
    const ok = (await deps.pakasir.healthCheck({ timeoutMs: 5000 })).ok;
    if (ok) healthyUntil = Date.now() + 30_000;
    return ok;
  };
  return startTelegramStore({
    database: deps.database,
    payments: deps.payments,
    token: telegram.botToken,
    apiRoot: telegram.apiRoot,
    adminIds: telegram.adminIds,
    welcomeSticker: welcomeStickerOf(telegram.welcomeSticker),
    logger: deps.logger,
    ...(deps.sweepIntervalMs !== undefined && { sweepIntervalMs: deps.sweepIntervalMs }),
    sandbox: settings.mode === 'sandbox',
    webhook: deps.webhook,
    checkGateway,
    checkoutUrl: (payment) =>
      usePakasirPage
        ? deps.pakasir.payUrl({ amount: payment.amount, orderId: payment.id, qrisOnly: true })
        : `${config.publicUrl}/checkout/${encodeURIComponent(payment.id)}`,
  });
}

/**
 * Webhook mode from the configuration (TELEGRAM_WEBHOOK=1, or an https PUBLIC_URL): registers the
 * update route on `app`, which must not listen yet. Undefined for long polling (the default).
 */
export function prepareTelegramWebhook(
  app: FastifyInstance,
  config: Config,
): { secrets: WebhookSecrets; route: WebhookRoute } | undefined {
  const { botToken, webhook } = config.telegram;
  if (!botToken || !useWebhook(config.publicUrl, webhook)) return undefined;
  const secrets = webhookSecrets(botToken, config.publicUrl);
  return { secrets, route: registerTelegramWebhook(app, secrets) };
}
