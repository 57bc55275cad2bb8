// Restock alerts (issue 9) on both databases, through the fake Bot API: "🔔 Kabari saya" on a
// sold-out product subscribes (idempotently); stock added → each subscriber gets one message, at
// most 30 a second; later runs send nothing more; a buyer told can subscribe again.
import { eq } from 'drizzle-orm';
import type { User } from 'grammy/types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messagesFor } from '../../src/bot/messages/index.js';
import { RestockAlerts } from '../../src/bot/restock-alerts.js';
import { storeRestockSubscriptions } from '../../src/db/schema.js';
import { silentLogger } from '../../src/payments/alerts.js';
import { setActive } from '../../src/store/catalog.js';
import { claimRestockAlerts, subscribeRestock } from '../../src/store/restock.js';
import { uploadStock } from '../../src/store/stock.js';
import { describeEachDatabase } from '../databases.js';
import { buyer, stockedProduct } from '../store/harness.js';
import { answers, type BotHarness, startBotHarness } from './harness.js';

const t = messagesFor();

describeEachDatabase('store bot: restock alerts', (getDatabase) => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness(getDatabase());
  });
  afterAll(async () => {
    await h?.close();
  });

  const alertsTo = (chatId: number, name: string) =>
    h.world
      .callsOf('sendMessage', chatId)
      .filter((c) => String(c.payload.text).startsWith(t.restockAlert(name, 50_000).split('\n')[0] ?? '!'));

  /** The user opens the product page from the catalog. */
  async function openProduct(user: User, category: string, productId: number): Promise<void> {
    await h.send(user, '/start');
    await h.press(user, t.buttonCatalog);
    await h.press(user, `category:${category}`);
    await h.press(user, `product_${productId}`);
  }

  it('restock alerts go out once per subscriber', async () => {
    const category = 'Restock A';
    const { product } = await stockedProduct(h.s.db, { stock: 0, category, name: 'Canva Pro' });
    const users = [h.newUser(), h.newUser(), h.newUser()];
    for (const user of users) {
      await openProduct(user, category, product.id);
      const page = h.world.chat(user.id).at(-1);
      const labels = page?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
      expect(labels).toContain(t.buttonNotifyRestock);
      expect(labels).not.toContain(t.buttonBuy);
      await h.press(user, t.buttonNotifyRestock);
      expect(answers(h.world).at(-1)).toBe(t.restockSubscribed('Canva Pro'));
    }
    // One of them presses twice: still one subscription.
    await h.press(users[0] as User, t.buttonNotifyRestock);
    const waiting = await h.s.db
      .select()
      .from(storeRestockSubscriptions)
      .where(eq(storeRestockSubscriptions.productId, product.id));
    expect(waiting).toHaveLength(3);

    // The admin adds stock: the alerts go out right away.
    await h.send(h.admin, `/addstock ${product.id}\nc1@x.test:pw\nc2@x.test:pw`);
    for (const user of users) {
      const alerts = alertsTo(user.id, 'Canva Pro');
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.payload.text).toBe(t.restockAlert('Canva Pro', 50_000));
      expect(alerts[0]?.payload.reply_markup).toEqual({
        inline_keyboard: [[{ text: t.buttonOpenProduct, callback_data: `product_${product.id}` }]],
      });
    }
    // Later runs (the periodic job) send nothing more.
    expect(await h.storeBot.restock.run()).toBe(0);
    for (const user of users) expect(alertsTo(user.id, 'Canva Pro')).toHaveLength(1);

    // Told once, a buyer may subscribe again and hear of the next restock; the others do not.
    const [again, ...others] = users as [User, User, User];
    await h.send(again, `/start`);
    await subscribeRestock(h.s.db, again.id, product.id);
    expect(await h.storeBot.restock.run()).toBe(1);
    expect(alertsTo(again.id, 'Canva Pro')).toHaveLength(2);
    for (const user of others) expect(alertsTo(user.id, 'Canva Pro')).toHaveLength(1);
  });

  it('waits while the product is sold out or hidden; stock from outside the bot goes out on the next run', async () => {
    const { product } = await stockedProduct(h.s.db, { stock: 0, name: 'YouTube Premium' });
    const user = await buyer(h.s.db);
    await subscribeRestock(h.s.db, user.telegramId, product.id);
    expect(await subscribeRestock(h.s.db, user.telegramId, product.id)).toBe(false);
    expect(await h.storeBot.restock.run()).toBe(0);
    await setActive(h.s.db, product.id, false);
    await uploadStock(h.s.db, { productId: product.id, contents: ['yt@x.test:pw'] });
    expect(await claimRestockAlerts(h.s.db, 10)).toEqual([]);
    await setActive(h.s.db, product.id, true);
    expect(await h.storeBot.restock.run()).toBe(1);
    expect(alertsTo(user.telegramId, 'YouTube Premium')).toHaveLength(1);
    await expect(subscribeRestock(h.s.db, user.telegramId, 999_999)).rejects.toMatchObject({
      code: 'PRODUCT_NOT_FOUND',
    });
  });

  it('sends at most 30 a second', async () => {
    const { product } = await stockedProduct(h.s.db, { stock: 0, name: 'Spotify Family' });
    const ids: number[] = [];
    for (let i = 0; i < 70; i++) {
      const user = await buyer(h.s.db);
      ids.push(user.telegramId);
      await subscribeRestock(h.s.db, user.telegramId, product.id);
    }
    await uploadStock(h.s.db, { productId: product.id, contents: ['sp@x.test:pw'] });
    // A fake clock: each send is counted in the second it happened.
    let clock = 0;
    const perSecond: number[] = [];
    const sent: number[] = [];
    const api = {
      sendMessage: async (chatId: number) => {
        const second = Math.floor(clock / 1000);
        perSecond[second] = (perSecond[second] ?? 0) + 1;
        sent.push(chatId);
        return {};
      },
    } as unknown as ConstructorParameters<typeof RestockAlerts>[0]['api'];
    const sender = new RestockAlerts({
      db: h.s.db,
      api,
      logger: silentLogger,
      redact: String,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    expect(await sender.run()).toBe(70);
    expect(perSecond).toEqual([30, 30, 10]);
    expect(sent.sort((a, b) => a - b)).toEqual(ids.sort((a, b) => a - b));
  });

  it('two claimers never claim the same subscription', async () => {
    const { product } = await stockedProduct(h.s.db, { stock: 1, name: 'Disney+' });
    for (let i = 0; i < 40; i++) {
      const user = await buyer(h.s.db);
      await subscribeRestock(h.s.db, user.telegramId, product.id);
    }
    const batches = await Promise.all([
      claimRestockAlerts(h.s.db, 15),
      claimRestockAlerts(h.s.db, 15),
      claimRestockAlerts(h.s.db, 15),
    ]);
    const rest = await claimRestockAlerts(h.s.db, 100);
    const claimed = [...batches.flat(), ...rest].map((alert) => alert.subscriptionId);
    expect(claimed).toHaveLength(40);
    expect(new Set(claimed).size).toBe(40);
    expect(await claimRestockAlerts(h.s.db, 100)).toEqual([]);
  });
});
