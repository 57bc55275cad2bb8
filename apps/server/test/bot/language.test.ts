// Languages (issue 9): Bahasa Indonesia or English from the Telegram client's language on the first
// contact, /language (and /bahasa) to switch, and the stored choice followed by what the bot sends
// outside an update (delivery, cancel notices), on both databases.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messagesFor } from '../../src/bot/messages/index.js';
import { storeUsers } from '../../src/db/schema.js';
import { findUser } from '../../src/store/users.js';
import { describeEachDatabase } from '../databases.js';
import { stockedProduct } from '../store/harness.js';
import { type BotHarness, startBotHarness, textsIn } from './harness.js';

const id = messagesFor('id');
const en = messagesFor('en');

describeEachDatabase('store bot: languages', (getDatabase) => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness(getDatabase());
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The labels of the buttons under the latest message in the user's chat. */
  const buttonsOf = (userId: number) =>
    h.world
      .chat(userId)
      .at(-1)
      ?.reply_markup?.inline_keyboard.flat()
      .map((b) => b.text);

  it('speaks English to an English Telegram client and Bahasa Indonesia to the others', async () => {
    const english = h.newUser(undefined, 'en-US');
    await h.send(english, '/start');
    expect(textsIn(h.world, english.id).at(-1)).toBe(en.welcome('Budi'));
    expect(buttonsOf(english.id)).toEqual(
      expect.arrayContaining([en.buttonCatalog, en.buttonOrders, en.buttonHelp]),
    );
    expect((await findUser(h.s.db, english.id))?.language).toBe('en');

    for (const code of ['id', 'ru', undefined]) {
      const other = h.newUser(undefined, code);
      if (code === undefined) delete other.language_code;
      await h.send(other, '/start');
      expect(textsIn(h.world, other.id).at(-1)).toBe(id.welcome('Budi'));
      expect((await findUser(h.s.db, other.id))?.language).toBe('id');
    }
  });

  it('keeps the first language when the Telegram client changes later', async () => {
    const user = h.newUser(undefined, 'en');
    await h.send(user, '/help');
    await h.send({ ...user, language_code: 'id' }, '/help');
    expect(textsIn(h.world, user.id).slice(-2)).toEqual([en.help, en.help]);
  });

  it('gives users from before languages the Telegram client’s language once', async () => {
    const user = h.newUser(undefined, 'en-GB');
    await h.send(user, '/start');
    await h.s.db.update(storeUsers).set({ language: null }).where(eq(storeUsers.telegramId, user.id));
    await h.send(user, '/help');
    expect(textsIn(h.world, user.id).at(-1)).toBe(en.help);
    expect((await findUser(h.s.db, user.id))?.language).toBe('en');
  });

  it('switches with /language, stores the choice and answers in the new language', async () => {
    const user = h.newUser('budi', 'id');
    await h.send(user, '/language');
    expect(textsIn(h.world, user.id).at(-1)).toBe(id.languagePrompt);
    expect(buttonsOf(user.id)).toEqual(['🇮🇩 Bahasa Indonesia', '🇬🇧 English']);

    await h.press(user, 'lang:en');
    const screen = h.world.chat(user.id).at(-1);
    expect(screen?.text).toBe(en.languageChanged);
    expect(buttonsOf(user.id)).toEqual(
      expect.arrayContaining([en.buttonCatalog, en.buttonOrders, en.buttonHelp]),
    );
    expect((await findUser(h.s.db, user.id))?.language).toBe('en');

    // The client still says Bahasa Indonesia; the choice wins.
    await h.send(user, '/start');
    expect(textsIn(h.world, user.id).at(-1)).toBe(en.welcome('Budi'));
    await h.send(user, '/help');
    expect(textsIn(h.world, user.id).at(-1)).toBe(en.help);
    expect(en.help).toContain('/language');
    expect(id.help).toContain('/language');
  });

  /** An order of one item, checked out for `user` as the bot would (without the QR photo). */
  const checkout = async (userId: number) => {
    const { product, contents } = await stockedProduct(h.s.db, { stock: 1 });
    const result = await h.s.store.checkout({ userId, productId: product.id, quantity: 1, chatId: userId });
    return { product, contents, orderId: result.order.id, paymentId: result.payment.id };
  };

  it('delivers a paid order in the buyer’s language, from outside any update', async () => {
    const user = h.newUser(undefined, 'id');
    await h.send(user, '/bahasa');
    await h.press(user, en.buttonLanguageEn);
    await h.press(user, en.buttonCatalog);
    expect([en.catalogTitle, en.catalogEmpty]).toContain(h.world.chat(user.id).at(-1)?.text);

    const { product, contents, orderId, paymentId } = await checkout(user.id);
    h.s.stack.sandbox.pay(paymentId);
    await h.s.stack.sandbox.webhooks.idle();
    // The sweeper's path: no update, no ctx; the language comes from store_users.
    await h.storeBot.delivery.sweep();
    const texts = textsIn(h.world, user.id);
    expect(texts).toContain(en.deliveryText(product.name, contents[0] ?? ''));
    expect(texts.at(-1)).toBe(en.confirmation(`${product.name} ×1`, orderId));
    expect(buttonsOf(user.id)).toEqual([en.buttonBackSeed]);

    // Sending the content again from /orders: English too.
    await h.send(user, '/orders');
    expect(textsIn(h.world, user.id).at(-1)).toContain(orderId);
    await h.press(user, `order_content:${orderId}`);
    expect(textsIn(h.world, user.id).at(-1)).toBe(en.deliveryText(product.name, contents[0] ?? ''));
  });

  it('tells a cancelled order in the buyer’s language, and switches back with /bahasa', async () => {
    const user = h.newUser(undefined, 'en');
    await h.send(user, '/start');
    const { orderId } = await checkout(user.id);
    await h.s.store.cancel(orderId, user.id);
    await h.storeBot.delivery.process(orderId);
    expect(textsIn(h.world, user.id).at(-1)).toBe(en.cancelled(orderId));

    await h.send(user, '/bahasa');
    expect(textsIn(h.world, user.id).at(-1)).toBe(en.languagePrompt);
    await h.press(user, 'lang:id');
    expect(textsIn(h.world, user.id).at(-1)).toBe(id.languageChanged);
    expect((await findUser(h.s.db, user.id))?.language).toBe('id');
    // An English client, but Bahasa Indonesia was chosen; later notices follow the choice.
    await h.send(user, '/start');
    expect(textsIn(h.world, user.id).at(-1)).toBe(id.welcome('Budi'));
    const second = await checkout(user.id);
    await h.s.store.cancel(second.orderId, user.id);
    await h.storeBot.delivery.process(second.orderId);
    expect(textsIn(h.world, user.id).at(-1)).toBe(id.cancelled(second.orderId));
  });
});
