// `quickcart start` end to end with TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT pointing at our own
// fake Bot API server (a real HTTP server speaking the wire protocol, fake-bot-api.ts), on PGlite
// and, with TEST_DATABASE_URL, on PostgreSQL: the admin stocks the shop (/addproduct, a .txt
// upload), a buyer goes /start → category → product → plus → Beli → QR photo, the sandbox pays,
// the content arrives; then a payment settled while QuickCart was down is delivered at start.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/bot/messages/index.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connect.js';
import { findByOrderId, settleCompleted } from '../../src/payments/settle.js';
import { type RunningServer, startQuickCart } from '../../src/start/run.js';
import { testDrivers } from '../databases.js';
import { createScratchDatabase, freePort } from '../scratch.js';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.js';
import { ADMIN_ID, TOKEN } from './harness.js';
import { decodeQrPng } from './qr.js';
import { type RecordedCall, TelegramWorld } from './telegram-world.js';

const t = messagesFor();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

interface Place {
  dataDir: string;
  port: number;
  databaseUrl: string | undefined;
}

async function start(place: Place, api: FakeBotApi): Promise<RunningServer> {
  const config = loadConfig({
    DATA_DIR: place.dataDir,
    PORT: String(place.port),
    PUBLIC_URL: `http://127.0.0.1:${place.port}`,
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.url,
    ADMIN_TELEGRAM_IDS: String(ADMIN_ID),
    ...(place.databaseUrl && { DATABASE_URL: place.databaseUrl }),
  });
  return startQuickCart(config, { host: '127.0.0.1', httpLogs: false, sweepIntervalMs: 300 });
}

/** Sends an update through getUpdates and waits for the first bot call after it that matches. */
async function step(
  world: TelegramWorld,
  update: Parameters<TelegramWorld['enqueue']>[0],
  until: (c: RecordedCall) => boolean,
) {
  const before = world.calls.length;
  world.enqueue(update);
  return world.waitForCall((c) => world.calls.indexOf(c) >= before && until(c), 15_000);
}

const reply = (chatId: number, test: (text: string) => boolean) => (c: RecordedCall) =>
  Number(c.payload.chat_id) === chatId && test(String(c.payload.text ?? c.payload.caption ?? ''));

/** The buyer's path to the QR photo; returns the photo call and the payment id behind its button. */
async function buyToQr(world: TelegramWorld, buyerId: number, productId: number, stock: number) {
  const buyer = world.user(buyerId, 'Siti', `siti${buyerId}`);
  await step(
    world,
    world.text(buyer, '/start'),
    reply(buyerId, (text) => text === t.welcome('Siti')),
  );
  const press = (match: string) => {
    const { message, data } = world.messageWithButton(buyerId, match);
    return world.press(buyer, message, data);
  };
  await step(
    world,
    press(t.buttonCatalog),
    reply(buyerId, (text) => text === t.catalogTitle),
  );
  await step(
    world,
    press('category:Streaming'),
    reply(buyerId, (text) => text.startsWith('📂 Streaming')),
  );
  await step(
    world,
    press(`product_${productId}`),
    reply(buyerId, (text) => text.includes('🔢 Jumlah: 1')),
  );
  if (stock > 1) {
    await step(
      world,
      press(`product_${productId}_quantity_plus`),
      reply(buyerId, (text) => text.includes('🔢 Jumlah: 2')),
    );
  } else {
    // The last item: ➕ is refused with the stock, the page stays at 1.
    const answered = await step(
      world,
      press(`product_${productId}_quantity_plus`),
      (c) => c.method === 'answerCallbackQuery',
    );
    expect(answered.payload.text).toBe(t.quantityAtMax(1));
  }
  await step(
    world,
    press(`product_${productId}_buy`),
    reply(buyerId, (text) => text.startsWith('🛒 Checkout')),
  );
  const photo = await step(world, press(t.buttonPayQris), (c) => c.method === 'sendPhoto');
  const markup = photo.payload.reply_markup as {
    inline_keyboard: { url?: string; callback_data?: string }[][];
  };
  const url = markup.inline_keyboard[0]?.[0]?.url ?? '';
  const paymentId = /\/checkout\/(pay_\w+)$/.exec(url)?.[1];
  if (!paymentId) throw new Error(`no checkout URL in ${JSON.stringify(markup)}`);
  return { photo, paymentId, buyer };
}

for (const driver of testDrivers()) {
  describe(`quickcart start with the Telegram store [${driver}]`, () => {
    it('stocks the shop, sells through the QR and delivers; delivers at start what was paid while down', async () => {
      const world = new TelegramWorld();
      const api = await startFakeBotApi(world, TOKEN);
      cleanups.push(() => api.close());
      const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-bot-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      let databaseUrl: string | undefined;
      if (driver === 'postgres') {
        const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL as string);
        cleanups.push(() => scratch.drop());
        databaseUrl = scratch.url;
      }
      const place: Place = { dataDir, port: await freePort(), databaseUrl };
      let server = await start(place, api);
      let running = true;
      cleanups.push(async () => {
        if (running) await server.close();
      });
      await world.waitForCall((c) => c.method === 'getUpdates');
      expect(world.callsOf('getMe')).toHaveLength(1);

      // The admin stocks the shop: a product, then a .txt of three items.
      const admin = world.user(ADMIN_ID, 'Admin');
      const added = await step(
        world,
        world.text(admin, '/addproduct Netflix Premium | Streaming | 50000 | 45000'),
        reply(ADMIN_ID, (text) => text.startsWith('✅ Produk #')),
      );
      const productId = Number(/#(\d+)/.exec(String(added.payload.text))?.[1]);
      const file = world.addFile(
        Buffer.from('email:a@x.test password:1\r\nemail:b@x.test password:2\nemail:c@x.test password:3\n'),
        'stock.txt',
      );
      await step(
        world,
        world.document(admin, file, `/addstock ${productId}`),
        reply(ADMIN_ID, (text) => text === t.stockUploaded(3, 0, 'Netflix Premium', 3)),
      );

      // A buyer goes all the way to the QR photo (multipart upload of a PNG).
      const { photo, paymentId } = await buyToQr(world, 61_001, productId, 3);
      expect(String(photo.payload.caption)).toContain('💰 Total Pembayaran: Rp 101.010');
      expect(decodeQrPng(photo.files.photo?.data ?? Buffer.alloc(0))).toMatch(/^000201/);

      // The payer pays in the embedded sandbox; its webhook comes back; the bot delivers.
      server.sandbox?.pay(paymentId, { webhookFaults: { duplicate: true } });
      const confirmation = await world.waitForCall(
        reply(61_001, (text) => text.startsWith('🎉 Pesanan berhasil!')),
        15_000,
      );
      expect(String(confirmation.payload.text)).toContain('Netflix Premium ×2');
      const content = world
        .callsOf('sendMessage', 61_001)
        .filter((c) => String(c.payload.text).startsWith('📦 Netflix'));
      expect(content.map((c) => c.payload.text)).toEqual([
        t.deliveryText('Netflix Premium', 'email:a@x.test password:1\n\nemail:b@x.test password:2'),
      ]);
      expect(world.callsOf('editMessageCaption', 61_001).map((c) => String(c.payload.caption))).toEqual([
        expect.stringContaining('✅ Pembayaran berhasil!'),
      ]);

      // A second buyer reaches the QR; QuickCart stops; the payment settles while it is down.
      const second = await buyToQr(world, 61_002, productId, 1);
      await server.close();
      running = false;
      const database = await openDatabase({ databaseUrl: place.databaseUrl, dataDir: place.dataDir });
      try {
        const row = await findByOrderId(database.db, second.paymentId);
        if (!row) throw new Error('the second payment is missing');
        await settleCompleted(database.db, row, {
          paidAmount: row.amount,
          paidAt: null,
          source: 'webhook',
          alerts: () => {},
        });
      } finally {
        await database.close();
      }
      expect(
        world.callsOf('sendMessage', 61_002).filter((c) => String(c.payload.text).startsWith('🎉')),
      ).toEqual([]);

      // The restart's first store sweep delivers it, once.
      server = await start(place, api);
      running = true;
      await world.waitForCall(
        reply(61_002, (text) => text.startsWith('🎉 Pesanan berhasil!')),
        15_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 800)); // a few more sweeps
      expect(
        world.callsOf('sendMessage', 61_002).filter((c) => String(c.payload.text).startsWith('📦 Netflix')),
      ).toHaveLength(1);
      expect(
        world.callsOf('sendMessage', 61_001).filter((c) => String(c.payload.text).startsWith('📦 Netflix')),
      ).toHaveLength(1);

      // A wrong amount reaches the admins through the payment domain's alerts.
      await step(
        world,
        world.text(admin, `/addstock ${productId}\nemail:d@x.test password:4`),
        reply(ADMIN_ID, (text) => text === t.stockUploaded(1, 0, 'Netflix Premium', 1)),
      );
      const third = await buyToQr(world, 61_003, productId, 1);
      server.sandbox?.pay(third.paymentId, { webhookFaults: { wrongAmount: true } });
      const alert = await world.waitForCall(
        reply(ADMIN_ID, (text) => text.startsWith('⚠️ Nominal tidak sesuai')),
        15_000,
      );
      expect(String(alert.payload.text)).toContain(third.paymentId);
      expect(api.unauthorized).toBe(0);
    }, 90_000);
  });
}
