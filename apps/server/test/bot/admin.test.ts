// The admin's side of the bot on both databases: /stats, /addproduct, /addstock, /setprice,
// /ban, /unban, /broadcast (paced to 30 messages a second), and alerts to admins.
import { Api } from 'grammy';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runBroadcast } from '../../src/bot/broadcast.js';
import { messagesFor } from '../../src/bot/messages/index.js';
import { startTelegramStore, TelegramTokenError } from '../../src/bot/start.js';
import { silentLogger } from '../../src/payments/alerts.js';
import { getProduct, listAllProducts } from '../../src/store/catalog.js';
import { findUser, touchUser } from '../../src/store/users.js';
import { describeEachDatabase } from '../databases.js';
import { freePort } from '../scratch.js';
import { stockedProduct } from '../store/harness.js';
import { startFakeBotApi } from './fake-bot-api.js';
import { ADMIN_ID, type BotHarness, startBotHarness, TOKEN, textsIn } from './harness.js';
import { TelegramWorld } from './telegram-world.js';

const t = messagesFor();

describeEachDatabase('store bot: admin', (getDatabase) => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness(getDatabase());
  });
  afterAll(async () => {
    await h?.close();
  });

  const lastText = (chatId: number) => textsIn(h.world, chatId).at(-1);

  it('keeps admin commands to admins', async () => {
    const user = h.newUser();
    await h.send(user, '/stats');
    await h.send(user, '/addproduct A | B | 1000 | 1000');
    expect(textsIn(h.world, user.id)).toEqual([t.unknownCommand, t.unknownCommand]);
    expect(await listAllProducts(h.s.db)).toEqual([]);
  });

  it('adds a product, stock (lines or blank-line blocks) and prices', async () => {
    await h.send(h.admin, '/addproduct Spotify Premium | Musik | 25.000 | 20000 | Akun keluarga');
    const [product] = await listAllProducts(h.s.db);
    expect(product).toMatchObject({
      name: 'Spotify Premium',
      category: 'Musik',
      customerPrice: 25_000,
      resellerPrice: 20_000,
    });
    expect(lastText(ADMIN_ID)).toBe(t.productAdded(product?.id ?? 0, 'Spotify Premium'));

    await h.send(h.admin, `/addstock ${product?.id}\na@x.test:pw1\nb@x.test:pw2\n`);
    expect(lastText(ADMIN_ID)).toBe(t.stockUploaded(2, 0, 'Spotify Premium', 2));
    await h.send(
      h.admin,
      `/addstock ${product?.id}\nemail:c@x.test\npassword:pw3\n\nemail:d@x.test\npassword:pw4`,
    );
    expect(lastText(ADMIN_ID)).toBe(t.stockUploaded(2, 0, 'Spotify Premium', 4));

    await h.send(h.admin, `/setprice ${product?.id} 30000`);
    expect(lastText(ADMIN_ID)).toBe(t.priceSet('Spotify Premium', 30_000, 20_000));
    expect(await getProduct(h.s.db, product?.id ?? 0)).toMatchObject({
      customerPrice: 30_000,
      stockCount: 4,
    });
  });

  it('answers bad admin input with the reason and the usage', async () => {
    await h.send(h.admin, '/addproduct Cuma Nama');
    expect(lastText(ADMIN_ID)).toBe(t.invalidInput('butuh 4 atau 5 bagian dipisah "|"'));
    await h.send(h.admin, '/addproduct X | Y | 500 | 500');
    expect(lastText(ADMIN_ID)).toMatch(
      /^⚠️ Input tidak valid: customer_price must be a whole number of rupiah from 1000/,
    );
    await h.send(h.admin, '/addstock 999999 a');
    expect(lastText(ADMIN_ID)).toBe(t.productUnknown(999_999));
    await h.send(h.admin, '/setprice');
    expect(lastText(ADMIN_ID)).toBe(t.setPriceUsage);
    await h.send(h.admin, '/addstock');
    expect(lastText(ADMIN_ID)).toBe(t.addStockUsage);
  });

  it('bans and unbans', async () => {
    const user = h.newUser();
    await h.send(user, '/start');
    await h.send(h.admin, `/ban ${user.id}`);
    expect(lastText(ADMIN_ID)).toBe(t.userBanned(user.id));
    expect((await findUser(h.s.db, user.id))?.isBanned).toBe(true);
    await h.send(user, '/help');
    expect(lastText(user.id)).toBe(t.banned);
    await h.send(h.admin, `/unban ${user.id}`);
    expect(lastText(ADMIN_ID)).toBe(t.unbanned(user.id));
    await h.send(user, '/help');
    expect(lastText(user.id)).toBe(t.help);
    await h.send(h.admin, '/ban 123');
    expect(lastText(ADMIN_ID)).toBe(t.userUnknown(123));
  });

  it('shows seed 003 statistics', async () => {
    const { product } = await stockedProduct(h.s.db, {
      stock: 2,
      name: 'Netflix Premium',
      customerPrice: 50_000,
    });
    const user = h.newUser();
    await h.send(user, '/start');
    const checkout = await h.s.store.checkout({
      userId: user.id,
      productId: product.id,
      quantity: 2,
      chatId: user.id,
    });
    h.s.stack.sandbox.pay(checkout.payment.id);
    await h.s.stack.sandbox.webhooks.idle();
    await h.storeBot.delivery.sweep();
    await h.send(h.admin, '/stats');
    const stats = lastText(ADMIN_ID) ?? '';
    expect(stats).toContain('🧾 Total transaksi: 1\n');
    expect(stats).toContain('💰 Pendapatan hari ini: Rp 100.000\n');
    expect(stats).toContain('1. Netflix Premium — 2 terjual');
    expect(stats).toMatch(/👥 Total pengguna: \d+\n/);
  });

  it('tells admins about a payment paid too late, naming the order', async () => {
    const { product } = await stockedProduct(h.s.db, { stock: 1 });
    const user = h.newUser();
    await h.send(user, '/start');
    const checkout = await h.s.store.checkout({
      userId: user.id,
      productId: product.id,
      quantity: 1,
      chatId: user.id,
    });
    h.storeBot.alerts.sink({
      kind: 'paid_late',
      paymentId: checkout.payment.id,
      message: 'paid after expiry',
    });
    h.storeBot.alerts.sink({
      kind: 'paid_late',
      paymentId: checkout.payment.id,
      message: 'paid after expiry',
    });
    await h.storeBot.alerts.idle();
    expect(textsIn(h.world, ADMIN_ID).filter((text) => text.includes(checkout.payment.id))).toEqual([
      t.alertPaidLate(checkout.payment.id, checkout.order.id, 'paid after expiry'),
    ]);
  });

  it('broadcasts to every user who is not banned, with progress', async () => {
    const banned = h.newUser();
    await h.send(banned, '/start');
    await h.send(h.admin, `/ban ${banned.id}`);
    await h.send(h.admin, '/broadcast Promo hari ini!');
    const received = h.world.callsOf('sendMessage').filter((c) => c.payload.text === 'Promo hari ini!');
    const recipients = new Set(received.map((c) => Number(c.payload.chat_id)));
    expect(recipients.has(banned.id)).toBe(false);
    expect(recipients.has(ADMIN_ID)).toBe(true);
    expect(received).toHaveLength(recipients.size);
    // The progress message was edited into the final count.
    const progress = h.world
      .chat(ADMIN_ID)
      .filter((m) => m.text?.startsWith('📣') || m.text?.startsWith('✅ Broadcast'));
    expect(progress.map((m) => m.text)).toEqual([t.broadcastDone(recipients.size, 0, recipients.size)]);
  });

  it('holds a broadcast to 30 messages a second, progress edits included', async () => {
    for (let i = 0; i < 70; i++) await touchUser(h.s.db, { id: 9_000_000 + i, firstName: 'Massal' });
    const world = new TelegramWorld();
    const api = new Api(TOKEN);
    api.config.use(world.transformer());
    let clock = 0;
    const sends: number[] = [];
    api.config.use((prev, method, payload, signal) => {
      sends.push(clock);
      return prev(method, payload, signal);
    });
    const progress: string[] = [];
    const state = await runBroadcast({
      api,
      db: h.s.db,
      text: 'Halo',
      logger: silentLogger,
      redact: String,
      progressEverySeconds: 1,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      progress: async (s) => {
        sends.push(clock);
        progress.push(`${s.sent}/${s.total}`);
      },
    });
    expect(state.sent).toBe(state.total);
    expect(state.total).toBeGreaterThanOrEqual(70);
    for (const at of sends)
      expect(sends.filter((other) => other >= at && other < at + 1000).length).toBeLessThanOrEqual(30);
    expect(clock).toBeGreaterThanOrEqual(Math.floor(state.total / 29) * 1000);
    expect(progress.at(-1)).toBe(`${state.total}/${state.total}`);
  });

  it('refuses to start with a token Telegram rejects, without printing it', async () => {
    const api = await startFakeBotApi(new TelegramWorld(), TOKEN);
    try {
      const wrong = '7000000001:AAH-wrong_token_wrong_token_wrong_000';
      const error = await startTelegramStore({
        database: getDatabase(),
        payments: h.s.stack.service,
        token: wrong,
        apiRoot: api.url,
        adminIds: [],
        checkGateway: async () => true,
        checkoutUrl: () => 'http://quickcart.test/',
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TelegramTokenError);
      expect((error as Error).message).toBe('Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized)');
      expect(api.unauthorized).toBe(1);
    } finally {
      await api.close();
    }
  });

  it('starts without Telegram and connects once it answers', async () => {
    const port = await freePort();
    const world = new TelegramWorld();
    const telegram = await startTelegramStore({
      database: getDatabase(),
      payments: h.s.stack.service,
      token: TOKEN,
      apiRoot: `http://127.0.0.1:${port}`,
      adminIds: [],
      checkGateway: async () => true,
      checkoutUrl: () => 'http://quickcart.test/',
      sweepIntervalMs: 60_000,
    });
    const api = await startFakeBotApi(world, TOKEN, port);
    try {
      await world.waitForCall((c) => c.method === 'getUpdates', 5000);
      expect(world.callsOf('getMe')).toHaveLength(1);
    } finally {
      await telegram.stop();
      await api.close();
    }
  });
});
