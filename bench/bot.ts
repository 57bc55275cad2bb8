// Part of `npm run bench` (`npm run bench -- bot`): the Telegram store bot against the fake Bot API
// server (test/bot/fake-bot-api.ts, real HTTP on loopback), on PGlite in memory, same run:
// - updates per second through the whole buy flow (/start → Katalog → category → product → Beli
//   → Bayar QRIS → QR photo → "Simulasi Bayar (sandbox)" → delivered), BUYERS buyers at once, against a grammY
//   bot that only echoes (same runner, same fake API, same number of updates);
// - p50/p99 from each payment's paid transition (its payment_events row) to the content message
//   reaching the fake Bot API.
// Every loop is bounded (a fixed number of buyers and rounds, each wait with a timeout).
import { run } from '@grammyjs/runner';
import { and, eq, inArray } from 'drizzle-orm';
import { Bot } from 'grammy';
import type { Update, User } from 'grammy/types';
import { createStoreBot } from '../apps/server/src/bot/bot.js';
import { messagesFor } from '../apps/server/src/bot/messages/index.js';
import { openPglite } from '../apps/server/src/db/connect.js';
import { migrateDatabase } from '../apps/server/src/db/migrate.js';
import { paymentEvents } from '../apps/server/src/db/schema.js';
import { startFakeBotApi } from '../apps/server/test/bot/fake-bot-api.js';
import { BOT_USER, type RecordedCall, TelegramWorld } from '../apps/server/test/bot/telegram-world.js';
import { startStoreStack, stockedProduct } from '../apps/server/test/store/harness.js';
import { median } from './harness.js';
import { environment, writeResults } from './report.js';

const TOKEN = '7000000009:AAH-bench_token_for_the_fake_bot_api_01';
const BUYERS = 20;
const ROUNDS = 3;
const STEPS = 7;
const t = messagesFor();

const inChat = (user: User, c: RecordedCall) => Number(c.payload.chat_id) === user.id;
const textOf = (c: RecordedCall) => String(c.payload.text ?? c.payload.caption ?? '');

/** Queues one update per user at once; resolves when each user got a matching bot call after it. */
async function everyone(
  world: TelegramWorld,
  users: User[],
  update: (user: User) => Update,
  until: (user: User, call: RecordedCall) => boolean,
): Promise<RecordedCall[]> {
  const before = world.calls.length;
  for (const user of users) world.enqueue(update(user));
  return Promise.all(
    users.map((user) => world.waitForCall((c) => world.calls.indexOf(c) >= before && until(user, c), 30_000)),
  ).catch((error: Error) => {
    const seen = new Set(world.calls.slice(before).map((c) => `${c.method}: ${textOf(c).slice(0, 80)}`));
    throw new Error(`${error.message.slice(0, 120)}; after the step the bot sent: ${[...seen].join(' | ')}`);
  });
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** One round of the buy flow; returns its updates/s and each order's paid → content latency. */
async function storeRound(round: number): Promise<{ updatesPerSec: number; latenciesMs: number[] }> {
  const database = await openPglite({ inMemory: true });
  await migrateDatabase(database);
  const s = await startStoreStack(database);
  const world = new TelegramWorld();
  const api = await startFakeBotApi(world, TOKEN);
  const storeBot = createStoreBot({
    token: TOKEN,
    apiRoot: api.url,
    botInfo: BOT_USER,
    store: s.store,
    adminIds: [],
    welcomeSticker: undefined,
    checkGateway: async () => true,
    checkoutUrl: (payment) => `http://quickcart.test/checkout/${payment.id}`,
    simulatePayment: (paymentId) => s.stack.service.simulate(s.account.partnerId, paymentId),
    autoRetry: false,
  });
  const runner = run(storeBot.bot, { runner: { silent: true, fetch: { timeout: 1 } } });
  try {
    const { product } = await stockedProduct(s.db, { stock: BUYERS, category: 'Bench', name: 'Akun Bench' });
    const users = Array.from({ length: BUYERS }, (_, i) => world.user(9_000_000 + round * 1000 + i, 'Budi'));
    const press = (match: string) => (user: User) => {
      const { message, data } = world.messageWithButton(user.id, match);
      return world.press(user, message, data);
    };
    const started = performance.now();
    await everyone(
      world,
      users,
      (u) => world.text(u, '/start'),
      (u, c) => inChat(u, c) && textOf(c) === t.welcome('Budi'),
    );
    await everyone(
      world,
      users,
      press(t.buttonCatalog),
      (u, c) => inChat(u, c) && textOf(c) === t.catalogTitle,
    );
    await everyone(
      world,
      users,
      press('category:Bench'),
      (u, c) => inChat(u, c) && textOf(c).startsWith('📂'),
    );
    await everyone(
      world,
      users,
      press(`product_${product.id}`),
      (u, c) => inChat(u, c) && textOf(c).includes('🔢 Jumlah'),
    );
    await everyone(
      world,
      users,
      press(`product_${product.id}_buy`),
      (u, c) => inChat(u, c) && textOf(c).startsWith('🛒 Checkout'),
    );
    const photos = await everyone(
      world,
      users,
      press(t.buttonPayQris),
      (u, c) => inChat(u, c) && c.method === 'sendPhoto',
    );
    const contents = await everyone(
      world,
      users,
      press(t.buttonSimulatePay),
      (u, c) => inChat(u, c) && c.method === 'sendMessage' && textOf(c).startsWith('📦 Akun Bench'),
    );
    const seconds = (performance.now() - started) / 1000;
    // Paid transitions, by order: the store order id is the payment's transaction id.
    const orders = await Promise.all(photos.map((photo) => s.store.getOrder(orderIdOf(photo))));
    const paymentIds = orders.map((o) => o?.order.paymentId ?? '');
    const events = await s.db
      .select({ paymentId: paymentEvents.paymentId, at: paymentEvents.createdAt })
      .from(paymentEvents)
      .where(and(inArray(paymentEvents.paymentId, paymentIds), eq(paymentEvents.toStatus, 'paid')));
    const paidAt = new Map(events.map((e) => [e.paymentId, e.at.getTime()]));
    const latenciesMs = contents.map((call, i) => call.at - (paidAt.get(paymentIds[i] ?? '') ?? Number.NaN));
    return { updatesPerSec: (BUYERS * STEPS) / seconds, latenciesMs };
  } finally {
    await runner.stop();
    await storeBot.idle();
    storeBot.delivery.close();
    await api.close();
    await s.close();
    await database.close();
  }
}

/** The order id behind the simulate button of a QR photo. */
function orderIdOf(photo: RecordedCall): string {
  const markup = photo.payload.reply_markup as { inline_keyboard: { callback_data?: string }[][] };
  const data = markup.inline_keyboard.flat().find((b) => b.callback_data?.startsWith('simulate_payment:'));
  return data?.callback_data?.slice('simulate_payment:'.length) ?? '';
}

/** The same number of updates through a bot that only echoes texts and answers buttons. */
async function echoRound(round: number): Promise<number> {
  const world = new TelegramWorld();
  const api = await startFakeBotApi(world, TOKEN);
  const bot = new Bot(TOKEN, { botInfo: BOT_USER, client: { apiRoot: api.url } });
  bot.on('message:text', (ctx) => ctx.reply(ctx.msg.text));
  const runner = run(bot, { runner: { silent: true, fetch: { timeout: 1 } } });
  try {
    const users = Array.from({ length: BUYERS }, (_, i) => world.user(9_500_000 + round * 1000 + i, 'Budi'));
    const started = performance.now();
    for (let step = 0; step < STEPS; step++) {
      await everyone(
        world,
        users,
        (u) => world.text(u, `echo ${step}`),
        (u, c) => inChat(u, c) && textOf(c) === `echo ${step}`,
      );
    }
    return (BUYERS * STEPS) / ((performance.now() - started) / 1000);
  } finally {
    await runner.stop();
    await api.close();
  }
}

export async function runBotBench(): Promise<void> {
  const store: number[] = [];
  const echo: number[] = [];
  const latencies: number[] = [];
  await echoRound(-1); // warm-up of both paths' code
  await storeRound(-1);
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating order, so neither side always runs on a warmer process.
    if (round % 2 === 0) echo.push(await echoRound(round));
    const measured = await storeRound(round);
    store.push(measured.updatesPerSec);
    latencies.push(...measured.latenciesMs);
    if (round % 2 === 1) echo.push(await echoRound(round));
  }
  const storeUps = median(store);
  const echoUps = median(echo);
  const result = {
    ...environment(),
    buyers: BUYERS,
    rounds: ROUNDS,
    updatesPerBuyer: STEPS,
    store_updates_per_sec: Math.round(storeUps),
    echo_updates_per_sec: Math.round(echoUps),
    ratio_store_to_echo: Number((storeUps / echoUps).toFixed(3)),
    paid_to_content_ms: {
      samples: latencies.length,
      p50: Math.round(percentile(latencies, 50)),
      p99: Math.round(percentile(latencies, 99)),
      max: Math.round(Math.max(...latencies)),
    },
    samples: { store, echo },
  };
  console.log(
    `\n| case | updates/s | ratio |\n|---|---:|---:|\n` +
      `| whole buy flow (${BUYERS} buyers × ${STEPS} updates, median of ${ROUNDS}) | ${result.store_updates_per_sec} | ${result.ratio_store_to_echo}x of echo |\n` +
      `| echo-only grammY bot, same runner and fake API | ${result.echo_updates_per_sec} | 1x |\n\n` +
      `paid transition → content message sent: p50 ${result.paid_to_content_ms.p50} ms, p99 ${result.paid_to_content_ms.p99} ms (${latencies.length} orders)\n`,
  );
  console.log(`wrote ${writeResults('bot', result).join(' and ')}`);
}
