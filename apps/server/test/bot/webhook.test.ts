// `quickcart start` in webhook mode (TELEGRAM_WEBHOOK=1) against the fake Bot API server, on PGlite
// and PostgreSQL: setWebhook with `${PUBLIC_URL}/telegram/<secret path>` and a secret token (no
// getUpdates), updates POSTed to that route, requests without the secret refused; the first
// start's demo products are for sale and "Simulasi Bayar (sandbox)" under the QR pays and delivers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/bot/messages/index.js';
import { loadConfig } from '../../src/config.js';
import { DEMO_PRODUCTS, DEMO_STOCK_PER_PRODUCT } from '../../src/start/demo-store.js';
import { type RunningServer, startQuickCart } from '../../src/start/run.js';
import { testDrivers } from '../databases.js';
import { createScratchDatabase, freePort } from '../scratch.js';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.js';
import { ADMIN_ID, TOKEN } from './harness.js';
import { type RecordedCall, TelegramWorld } from './telegram-world.js';

const t = messagesFor();
const demo = DEMO_PRODUCTS[2] as (typeof DEMO_PRODUCTS)[number];

for (const driver of testDrivers()) {
  describe(`quickcart start with the Telegram store in webhook mode [${driver}]`, () => {
    const world = new TelegramWorld();
    const cleanups: (() => Promise<void>)[] = [];
    let api: FakeBotApi;
    let server: RunningServer;
    let banner = '';
    let publicUrl = '';
    beforeAll(async () => {
      api = await startFakeBotApi(world, TOKEN);
      cleanups.push(() => api.close());
      const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-webhook-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      let databaseUrl: string | undefined;
      if (driver === 'postgres') {
        const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL as string);
        cleanups.push(() => scratch.drop());
        databaseUrl = scratch.url;
      }
      const port = await freePort();
      publicUrl = `http://127.0.0.1:${port}`;
      const config = loadConfig({
        DATA_DIR: dataDir,
        PORT: String(port),
        PUBLIC_URL: publicUrl,
        LOG_LEVEL: 'silent',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: api.url,
        TELEGRAM_WEBHOOK: '1',
        ADMIN_TELEGRAM_IDS: String(ADMIN_ID),
        ...(databaseUrl && { DATABASE_URL: databaseUrl }),
      });
      server = await startQuickCart(config, {
        host: '127.0.0.1',
        httpLogs: false,
        sweepIntervalMs: 300,
        print: (text) => {
          banner += text;
        },
      });
      cleanups.push(() => server.close());
    }, 60_000);
    afterAll(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
    });

    const step = async (
      update: Parameters<TelegramWorld['enqueue']>[0],
      until: (c: RecordedCall) => boolean,
    ): Promise<RecordedCall> => {
      const before = world.calls.length;
      world.enqueue(update);
      return world.waitForCall((c) => world.calls.indexOf(c) >= before && until(c), 15_000);
    };
    const reply = (chatId: number, test: (text: string) => boolean) => (c: RecordedCall) =>
      Number(c.payload.chat_id) === chatId && test(String(c.payload.text ?? c.payload.caption ?? ''));

    it('sets the webhook with a secret path and token, and never polls', async () => {
      const set = await world.waitForCall((c) => c.method === 'setWebhook', 15_000);
      const url = String(set.payload.url);
      expect(url).toMatch(new RegExp(`^${publicUrl}/telegram/[\\w-]{43}$`));
      expect(url).not.toContain(TOKEN);
      expect(url).not.toContain(TOKEN.split(':')[1]);
      expect(String(set.payload.secret_token)).toMatch(/^[\w-]{43}$/);
      expect(world.callsOf('getUpdates')).toEqual([]);
      expect(banner).toContain(
        `Seeded the Telegram store with ${DEMO_PRODUCTS.length} demo products and ${DEMO_PRODUCTS.length * DEMO_STOCK_PER_PRODUCT} demo stock items`,
      );
      expect(banner).not.toContain(url);
    });

    it('refuses updates without the secret token or on another path', async () => {
      const url = world.webhook?.url ?? '';
      const update = world.text(world.user(61_900, 'Eve'), '/start');
      const post = (to: string, headers: Record<string, string>) =>
        fetch(to, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(update),
        });
      expect((await post(url, {})).status).toBe(401);
      expect((await post(url, { 'x-telegram-bot-api-secret-token': 'guess' })).status).toBe(401);
      expect(
        (
          await post(`${publicUrl}/telegram/guess`, {
            'x-telegram-bot-api-secret-token': world.webhook?.secretToken ?? '',
          })
        ).status,
      ).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(world.calls.filter((c) => Number(c.payload.chat_id) === 61_900)).toEqual([]);
    });

    it('sells a demo product: the sandbox button pays it and the demo item arrives', async () => {
      const buyer = world.user(61_901, 'Siti');
      await step(
        world.text(buyer, '/start'),
        reply(buyer.id, (text) => text === t.welcome('Siti')),
      );
      const press = (match: string | RegExp) => {
        const { message, data } = world.messageWithButton(buyer.id, match);
        return world.press(buyer, message, data);
      };
      await step(
        press(t.buttonCatalog),
        reply(buyer.id, (text) => text === t.catalogTitle),
      );
      await step(
        press(`category:${demo.category}`),
        reply(buyer.id, (text) => text.startsWith('📂')),
      );
      await step(
        press(t.productButton(demo.name, demo.customerPrice, DEMO_STOCK_PER_PRODUCT)),
        reply(buyer.id, (text) => text.includes('🔢 Jumlah: 1')),
      );
      await step(
        press(/^product_\d+_buy$/),
        reply(buyer.id, (text) => text.startsWith('🛒 Checkout')),
      );
      const photo = await step(press(t.buttonPayQris), (c) => c.method === 'sendPhoto');
      const rows = (photo.payload.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard;
      expect(rows.at(-1)?.map((b) => b.text)).toEqual([t.buttonSimulatePay]);
      await step(
        press(t.buttonSimulatePay),
        reply(buyer.id, (text) => text.startsWith('🎉 Pesanan berhasil!')),
      );
      expect(
        world
          .callsOf('sendMessage', buyer.id)
          .filter((c) => String(c.payload.text).startsWith(`📦 ${demo.name}`)),
      ).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({ text: t.deliveryText(demo.name, demo.item(1)) }),
        }),
      ]);
      expect(world.webhookAnswers.every((a) => a.status === 200)).toBe(true);
      expect(api.unauthorized).toBe(0);
    });
  });
}
