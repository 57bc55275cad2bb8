// The store bot over a real payment stack, driven by `bot.handleUpdate(fakeUpdate)` with a
// capturing API transformer (ARCHITECTURE.md "Style" 10): every Bot API call lands in a
// TelegramWorld, which answers as Telegram would.
import type { BotError } from 'grammy';
import type { User } from 'grammy/types';
import { createStoreBot, type StoreBot } from '../../src/bot/bot.js';
import type { BotContext } from '../../src/bot/context.js';
import type { BotLimits } from '../../src/bot/rate-limit.js';
import type { Database } from '../../src/db/types.js';
import type { Logger } from '../../src/payments/alerts.js';
import { type StoreStack, startStoreStack } from '../store/harness.js';
import { BOT_USER, type StoredMessage, TelegramWorld } from './telegram-world.js';

export const TOKEN = '7000000001:AAH-test_token_for_the_fake_bot_api_0123';
export const ADMIN_ID = 42;
export const STICKER = 'CAACAgIAAxkBAAIDbWkLZHuqPRCqCqmL9flozT9YJdWOAAIZUAAC4KOCB7lIn3OKexieNgQ';

/** Log lines the bot wrote, to check that no token leaks. */
export interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

export interface BotHarness {
  s: StoreStack;
  world: TelegramWorld;
  storeBot: StoreBot;
  logs: LogLine[];
  gateway: { up: boolean; error?: Error };
  admin: User;
  /** A new user of the fake Telegram (Telegram client language `id` unless `languageCode` says otherwise). */
  newUser(username?: string, languageCode?: string): User;
  /** The user sends `text`; resolves once the bot handled it (and its background work). */
  send(from: User, text: string): Promise<void>;
  /** The user presses the latest button matching `match` (callback data or label) in their chat. */
  press(from: User, match: string | RegExp): Promise<StoredMessage>;
  close(): Promise<void>;
}

let nextUserId = 5_000_000;

export async function startBotHarness(
  database: Database,
  options: { limits?: BotLimits; adminIds?: number[] } = {},
): Promise<BotHarness> {
  const s = await startStoreStack(database);
  const world = new TelegramWorld();
  const logs: LogLine[] = [];
  const log =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      logs.push({ level, fields, message });
    };
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const gateway: BotHarness['gateway'] = { up: true };
  const storeBot = createStoreBot({
    token: TOKEN,
    botInfo: BOT_USER,
    store: s.store,
    adminIds: options.adminIds ?? [ADMIN_ID],
    welcomeSticker: STICKER,
    checkGateway: async () => {
      if (gateway.error) throw gateway.error;
      return gateway.up;
    },
    checkoutUrl: (payment) => `http://quickcart.test/checkout/${payment.id}`,
    transformers: [world.transformer()],
    logger,
    ...(options.limits && { limits: options.limits }),
  });
  const handle = async (update: Parameters<StoreBot['bot']['handleUpdate']>[0]) => {
    // As the runner does: a failed update goes to the bot's error handler (bot.catch).
    await storeBot.bot
      .handleUpdate(update)
      .catch((error: BotError<BotContext>) => storeBot.bot.errorHandler(error));
    await storeBot.idle();
  };
  return {
    s,
    world,
    storeBot,
    logs,
    gateway,
    admin: world.user(ADMIN_ID, 'Admin', 'boss'),
    newUser: (username, languageCode) => ({
      ...world.user(++nextUserId, 'Budi', username),
      ...(languageCode !== undefined && { language_code: languageCode }),
    }),
    send: (from, text) => handle(world.text(from, text)),
    async press(from, match) {
      const { message, data } = world.messageWithButton(from.id, match);
      await handle(world.press(from, message, data));
      return message;
    },
    async close() {
      storeBot.delivery.close();
      await s.close();
    },
  };
}

/** The texts the bot sent (or edited into) a chat, newest last. */
export function textsIn(world: TelegramWorld, chatId: number): string[] {
  return world.calls
    .filter(
      (c) =>
        Number(c.payload.chat_id) === chatId &&
        (c.payload.text !== undefined || c.payload.caption !== undefined),
    )
    .map((c) => String(c.payload.text ?? c.payload.caption));
}

/** The popup texts of answered button presses. */
export function answers(world: TelegramWorld): string[] {
  return world.callsOf('answerCallbackQuery').map((c) => String(c.payload.text ?? ''));
}
