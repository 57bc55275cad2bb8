// 20 buyers racing for 5 stock items through the fake Bot API server (real HTTP, getUpdates long
// polling with @grammyjs/runner, which handles different users' updates concurrently), on PGlite
// and PostgreSQL: exactly 5 QR photos and 15 clear out-of-stock answers; the 5 winners pay with
// the sandbox's "Simulasi Bayar (sandbox)" button and get 5 different items, each once.
import { type RunnerHandle, run } from '@grammyjs/runner';
import type { Update, User } from 'grammy/types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStoreBot, type StoreBot } from '../../src/bot/bot.js';
import { messagesFor } from '../../src/bot/messages/index.js';
import { describeEachDatabase } from '../databases.js';
import { itemsOf, type StoreStack, startStoreStack, stockedProduct } from '../store/harness.js';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.js';
import { ADMIN_ID, TOKEN } from './harness.js';
import { BOT_USER, type RecordedCall, TelegramWorld } from './telegram-world.js';

const t = messagesFor();
const BUYERS = 20;
const STOCK = 5;

describeEachDatabase('store bot: 20 buyers racing for 5 items through the fake Bot API', (getDatabase) => {
  let s: StoreStack;
  let world: TelegramWorld;
  let api: FakeBotApi;
  let storeBot: StoreBot;
  let runner: RunnerHandle;
  beforeAll(async () => {
    s = await startStoreStack(getDatabase());
    world = new TelegramWorld();
    api = await startFakeBotApi(world, TOKEN);
    storeBot = createStoreBot({
      token: TOKEN,
      apiRoot: api.url,
      botInfo: BOT_USER,
      store: s.store,
      adminIds: [ADMIN_ID],
      welcomeSticker: undefined,
      checkGateway: async () => true,
      checkoutUrl: (payment) => `http://quickcart.test/checkout/${payment.id}`,
      simulatePayment: (paymentId) => s.stack.service.simulate(s.account.partnerId, paymentId),
      renderQr: async () => Buffer.from('png'),
      autoRetry: false,
    });
    runner = run(storeBot.bot, { runner: { silent: true, fetch: { timeout: 1 } } });
  });
  afterAll(async () => {
    await runner?.stop();
    await storeBot?.idle();
    storeBot?.delivery.close();
    await api?.close();
    await s?.close();
  });

  /** Queues one update per buyer at once; resolves with each buyer's first matching bot call after it. */
  async function everyone(
    buyers: User[],
    update: (buyer: User) => Update,
    until: (buyer: User, call: RecordedCall) => boolean,
  ): Promise<RecordedCall[]> {
    const before = world.calls.length;
    for (const buyer of buyers) world.enqueue(update(buyer));
    return Promise.all(
      buyers.map((buyer) =>
        world.waitForCall((c) => world.calls.indexOf(c) >= before && until(buyer, c), 20_000),
      ),
    );
  }
  const inChat = (buyer: User, c: RecordedCall) => Number(c.payload.chat_id) === buyer.id;
  const text = (c: RecordedCall) => String(c.payload.text ?? c.payload.caption ?? '');
  const pressing = (match: string) => (buyer: User) => {
    const { message, data } = world.messageWithButton(buyer.id, match);
    return world.press(buyer, message, data);
  };

  it('sells exactly 5: 15 clear out-of-stock answers, 5 deliveries, no item twice', async () => {
    const { product, contents } = await stockedProduct(s.db, {
      stock: STOCK,
      category: 'Rebutan',
      name: 'Akun Langka',
    });
    const buyers = Array.from({ length: BUYERS }, (_, i) => world.user(8_100_000 + i, 'Budi'));
    await everyone(
      buyers,
      (b) => world.text(b, '/start'),
      (b, c) => inChat(b, c) && text(c) === t.welcome('Budi'),
    );
    await everyone(buyers, pressing(t.buttonCatalog), (b, c) => inChat(b, c) && text(c) === t.catalogTitle);
    await everyone(buyers, pressing('category:Rebutan'), (b, c) => inChat(b, c) && text(c).startsWith('📂'));
    await everyone(
      buyers,
      pressing(`product_${product.id}`),
      (b, c) => inChat(b, c) && text(c).includes('🔢 Jumlah: 1'),
    );

    // Everyone opens the checkout choice (nothing reserved yet), then pays by QRIS at once.
    await everyone(
      buyers,
      pressing(`product_${product.id}_buy`),
      (b, c) => inChat(b, c) && text(c).startsWith('🛒 Checkout'),
    );
    const outcomes = await everyone(
      buyers,
      pressing(t.buttonPayQris),
      (b, c) =>
        inChat(b, c) &&
        (c.method === 'sendPhoto' || (c.method === 'sendMessage' && text(c) === t.outOfStock('Akun Langka'))),
    );
    const winners = buyers.filter((_, i) => outcomes[i]?.method === 'sendPhoto');
    const losers = buyers.filter((_, i) => outcomes[i]?.method === 'sendMessage');
    expect(winners).toHaveLength(STOCK);
    expect(losers).toHaveLength(BUYERS - STOCK);
    for (const loser of losers) {
      expect(
        world.callsOf('sendMessage', loser.id).filter((c) => text(c) === t.outOfStock('Akun Langka')),
      ).toHaveLength(1);
      expect(world.callsOf('sendPhoto', loser.id)).toEqual([]);
    }
    // Sandbox mode: the QR photo carries the simulate button on its own last row.
    const markup = winners.map((w) => world.callsOf('sendPhoto', w.id)[0]?.payload.reply_markup) as {
      inline_keyboard: { text: string; callback_data?: string }[][];
    }[];
    for (const m of markup) {
      expect(m.inline_keyboard.at(-1)).toEqual([
        { text: t.buttonSimulatePay, callback_data: expect.stringMatching(/^simulate_payment:tg\d+-/) },
      ]);
    }

    // The winners pay through the sandbox button; each gets one item, and no item goes twice.
    await everyone(
      winners,
      pressing(t.buttonSimulatePay),
      (b, c) => inChat(b, c) && text(c).startsWith('🎉 Pesanan berhasil!'),
    );
    const delivered = winners.flatMap((w) =>
      world
        .callsOf('sendMessage', w.id)
        .filter((c) => text(c).startsWith('📦 Akun Langka'))
        .map(text),
    );
    expect(delivered).toHaveLength(STOCK);
    expect(new Set(delivered).size).toBe(STOCK);
    expect([...delivered].sort()).toEqual(
      contents.map((content) => t.deliveryText('Akun Langka', content)).sort(),
    );
    for (const loser of losers) {
      expect(world.callsOf('sendMessage', loser.id).filter((c) => text(c).startsWith('📦'))).toEqual([]);
    }
    const items = await itemsOf(s.db, product.id);
    expect(items.sold).toHaveLength(STOCK);
    expect(new Set(items.sold.map((i) => i.orderId)).size).toBe(STOCK);
    expect(items.available).toEqual([]);
    expect(api.unauthorized).toBe(0);
  }, 60_000);
});
