// The buyer's side of the bot, through `bot.handleUpdate()` on both databases: /start, catalog,
// product page with seed 003's quantity buttons, Beli → checkout choice → Bayar QRIS → summary →
// QR photo (seed 000 caption, seed 003 buttons), payment → delivery, status checks, cancel, the
// gateway check, bans and limits.
import type { User } from 'grammy/types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messagesFor } from '../../src/bot/messages/index.js';
import { getOrder, listUserOrders } from '../../src/store/orders.js';
import { setBanned } from '../../src/store/users.js';
import { describeEachDatabase } from '../databases.js';
import { itemsOf, stockedProduct } from '../store/harness.js';
import { ADMIN_ID, answers, type BotHarness, STICKER, startBotHarness, TOKEN, textsIn } from './harness.js';
import { decodeQrPng } from './qr.js';

const t = messagesFor();
const en = messagesFor('en');

describeEachDatabase('store bot: buyer', (getDatabase) => {
  let h: BotHarness;
  /** /start → Katalog → the (only) category → the product page. */
  async function openProduct(user: User, productId: number, messages = t): Promise<void> {
    await h.send(user, '/start');
    await h.press(user, messages.buttonCatalog);
    await h.press(user, /^category:/);
    await h.press(user, `product_${productId}`);
  }

  beforeAll(async () => {
    h = await startBotHarness(getDatabase(), {
      limits: { commandsPerMinute: 10, adminCommandsPerMinute: 100, statusChecksPerMinute: 5 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('walks /start → category → product → plus → Beli → QR photo → paid → content delivered', async () => {
    const { product, contents } = await stockedProduct(h.s.db, {
      stock: 3,
      customerPrice: 50_000,
      category: 'Streaming Film',
      name: 'Netflix Premium 1 Bulan',
    });
    const user = h.newUser('budi');
    await h.send(user, '/start');
    const [sticker, welcome] = h.world.calls.filter((c) => Number(c.payload.chat_id) === user.id);
    expect(sticker).toMatchObject({ method: 'sendSticker', payload: { sticker: STICKER } });
    expect(welcome?.payload.text).toBe(t.welcome('Budi'));

    await h.press(user, t.buttonCatalog);
    expect(h.world.chat(user.id).at(-1)?.text).toBe(t.catalogTitle);
    await h.press(user, 'category:Streaming Film');
    const category = h.world.chat(user.id).at(-1);
    expect(category?.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain(
      t.productButton('Netflix Premium 1 Bulan', 50_000, 3),
    );
    await h.press(user, `product_${product.id}`);
    await h.press(user, `product_${product.id}_quantity_plus`);
    const page = h.world.chat(user.id).at(-1);
    expect(page?.text).toContain('🔢 Jumlah: 2');
    expect(page?.text).toContain('💵 Subtotal: Rp 100.000');
    expect(page?.reply_markup?.inline_keyboard[0]?.map((b) => b.text)).toEqual(['➖', '2', '➕']);

    await h.press(user, `product_${product.id}_buy`);
    // The checkout choice (issue 9): nothing is ordered until a way to pay is chosen.
    expect(h.world.chat(user.id).at(-1)?.text).toContain('🛒 Checkout');
    expect(await listUserOrders(h.s.db, user.id)).toEqual([]);
    await h.press(user, t.buttonPayQris);
    const [order] = await listUserOrders(h.s.db, user.id);
    if (!order) throw new Error('no order was created');
    const orderId = order.order.id;
    expect(orderId).toMatch(new RegExp(`^tg${user.id}-[A-Z0-9]{8}$`));
    // The product page became the order summary: 100,000 + 700 + 310.
    expect(h.world.chat(user.id).find((m) => m.text?.startsWith('🧾 Ringkasan'))?.text).toBe(
      t.orderSummary({
        orderId,
        productName: product.name,
        quantity: 2,
        unitPrice: 50_000,
        subtotal: 100_000,
        fee: 1010,
        total: 101_010,
      }),
    );
    const photo = h.world.callsOf('sendPhoto', user.id)[0];
    const caption = String(photo?.payload.caption);
    expect(caption).toMatch(
      new RegExp(
        `^💰 Total Pembayaran: Rp 101\\.010\\n📦 Produk: Netflix Premium 1 Bulan\\n🔢 Order ID: ${orderId}\\n\\n⏰ Berlaku hingga \\d\\d:\\d\\d WIB\\n\\nScan QR atau klik tombol di bawah untuk membayar\\.$`,
      ),
    );
    const payment = await h.s.store.paymentOf(order.order);
    expect(photo?.payload.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'Checkout Page', url: `http://quickcart.test/checkout/${payment.id}` },
          { text: 'Status Pembayaran', callback_data: `check_payment_status:${orderId}` },
        ],
        [{ text: 'Batalkan', callback_data: `cancel_payment:${orderId}` }],
      ],
    });
    // The photo is a PNG that scans to the payment's QRIS string.
    expect(decodeQrPng(photo?.files.photo?.data ?? Buffer.alloc(0))).toBe(payment.qrContent);
    expect((await itemsOf(h.s.db, product.id)).reserved).toHaveLength(2);

    // The payer pays in the sandbox; the webhook comes back, the watch delivers.
    h.s.stack.sandbox.pay(payment.id);
    await h.world.waitForCall((c) => c.method === 'sendMessage' && String(c.payload.text).startsWith('🎉'));
    await h.storeBot.idle();
    const texts = textsIn(h.world, user.id);
    expect(texts).toContain(t.qrPaidCaption(orderId, 101_010));
    expect(texts).toContain(t.deliveryText(product.name, `${contents[0]}\n\n${contents[1]}`));
    expect(texts.at(-1)).toBe(t.confirmation(`${product.name} ×2`, orderId));
    expect((await getOrder(h.s.db, orderId))?.order.status).toBe('delivered');
    expect((await itemsOf(h.s.db, product.id)).sold).toHaveLength(2);
  });

  it('bounds the quantity by the stock', async () => {
    const { product } = await stockedProduct(h.s.db, { stock: 2 });
    const user = h.newUser();
    await openProduct(user, product.id);
    await h.press(user, `product_${product.id}_quantity_minus`);
    expect(answers(h.world).at(-1)).toBe(t.quantityAtMin);
    await h.press(user, `product_${product.id}_quantity_plus`);
    await h.press(user, `product_${product.id}_quantity_plus`);
    expect(answers(h.world).at(-1)).toBe(t.quantityAtMax(2));
    expect(h.world.chat(user.id).at(-1)?.text).toContain('🔢 Jumlah: 2');
  });

  it('answers "Status Pembayaran" at most 5 times a minute per order, and cancels until paid', async () => {
    const { product } = await stockedProduct(h.s.db, { stock: 1 });
    const user = h.newUser();
    await openProduct(user, product.id);
    await h.press(user, `product_${product.id}_buy`);
    await h.press(user, t.buttonPayQris);
    for (let i = 0; i < 6; i++) await h.press(user, 'Status Pembayaran');
    const popups = answers(h.world).slice(-6);
    expect(popups.slice(0, 5).every((text) => text.startsWith('⏳ Pembayaran belum diterima.'))).toBe(true);
    expect(popups[5]).toBe(t.statusRateLimited);

    await h.press(user, 'Batalkan');
    const [order] = await listUserOrders(h.s.db, user.id);
    expect(order?.order.status).toBe('cancelled');
    expect((await itemsOf(h.s.db, product.id)).available).toHaveLength(1);
    expect(textsIn(h.world, user.id)).toContain(t.cancelled(order?.order.id ?? ''));
  });

  it('checks the gateway before offering payment: friendly message, admins alerted once (in Indonesian)', async () => {
    const { product } = await stockedProduct(h.s.db, { stock: 1 });
    const user = h.newUser();
    const english = h.newUser(undefined, 'en');
    await openProduct(user, product.id);
    await openProduct(english, product.id, en);
    h.gateway.up = false;
    try {
      await h.press(english, `product_${product.id}_buy`);
      await h.press(user, `product_${product.id}_buy`);
      await h.press(user, `product_${product.id}_buy`);
    } finally {
      h.gateway.up = true;
    }
    expect(textsIn(h.world, user.id).filter((text) => text === t.gatewayDown)).toHaveLength(2);
    expect(textsIn(h.world, english.id)).toContain(en.gatewayDown);
    expect(textsIn(h.world, ADMIN_ID).filter((text) => text === t.alertGatewayDown)).toHaveLength(1);
    expect(textsIn(h.world, ADMIN_ID)).not.toContain(en.alertGatewayDown);
    expect(await listUserOrders(h.s.db, user.id)).toEqual([]);
  });

  it('shows /orders and sends a paid order’s content again', async () => {
    const { product, contents } = await stockedProduct(h.s.db, { stock: 1 });
    const user = h.newUser();
    await h.send(user, '/start');
    const checkout = await h.s.store.checkout({
      userId: user.id,
      productId: product.id,
      quantity: 1,
      chatId: user.id,
    });
    h.s.stack.sandbox.pay(checkout.payment.id);
    await h.s.stack.sandbox.webhooks.idle();
    await h.storeBot.delivery.sweep();
    await h.send(user, '/orders');
    const list = h.world.chat(user.id).at(-1);
    expect(list?.text).toContain(checkout.order.id);
    expect(list?.text).toContain('📬 Terkirim');
    const before = textsIn(h.world, user.id).filter(
      (text) => text === t.deliveryText(product.name, contents[0] ?? ''),
    ).length;
    await h.press(user, `order_content:${checkout.order.id}`);
    const after = textsIn(h.world, user.id).filter(
      (text) => text === t.deliveryText(product.name, contents[0] ?? ''),
    ).length;
    expect(after).toBe(before + 1);
    // Nobody else can ask for it.
    const other = h.newUser();
    await h.send(other, '/start');
    await h.storeBot.bot.handleUpdate(
      h.world.press(other, list ?? ({} as never), `order_content:${checkout.order.id}`),
    );
    expect(answers(h.world).at(-1)).toBe(t.orderNotFound);
  });

  it('stops banned users with a clear message', async () => {
    const user = h.newUser();
    await h.send(user, '/start');
    await setBanned(h.s.db, user.id, true);
    await h.send(user, '/start');
    await h.press(user, t.buttonCatalog);
    expect(textsIn(h.world, user.id).at(-1)).toBe(t.banned);
    expect(answers(h.world).at(-1)).toBe(t.banned);
    // Told once a minute, however often they write.
    await h.send(user, '/help');
    await h.send(user, '/start');
    expect(textsIn(h.world, user.id).filter((text) => text === t.banned)).toHaveLength(1);
  });

  it('limits users to 10 commands a minute, with one polite answer', async () => {
    const user = h.newUser();
    for (let i = 0; i < 12; i++) await h.send(user, '/help');
    const texts = textsIn(h.world, user.id);
    expect(texts.filter((text) => text === t.help)).toHaveLength(10);
    expect(texts.filter((text) => text === t.rateLimited)).toHaveLength(1);
  });

  it('logs a failing update without the token and apologises', async () => {
    const { product } = await stockedProduct(h.s.db, { stock: 1 });
    const user = h.newUser();
    await openProduct(user, product.id);
    h.gateway.error = new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed`);
    try {
      await h.press(user, `product_${product.id}_buy`);
    } finally {
      delete h.gateway.error;
    }
    expect(textsIn(h.world, user.id).at(-1)).toBe(t.somethingWrong);
    const logged = JSON.stringify(h.logs);
    expect(logged).toContain('bot<redacted>/getMe');
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(TOKEN.split(':')[1]);
  });

  it('still sends the QR when Telegram refuses the checkout page URL', async () => {
    const { product } = await stockedProduct(h.s.db, { stock: 1 });
    const user = h.newUser();
    await openProduct(user, product.id);
    h.world.failNext('sendPhoto', { error_code: 400, description: 'Bad Request: BUTTON_URL_INVALID' });
    await h.press(user, `product_${product.id}_buy`);
    await h.press(user, t.buttonPayQris);
    const photos = h.world.callsOf('sendPhoto', user.id);
    expect(photos).toHaveLength(2);
    const markup = photos[1]?.payload.reply_markup as { inline_keyboard: { text: string }[][] } | undefined;
    const rows = markup?.inline_keyboard ?? [];
    expect(rows.map((row) => row.map((b) => b.text))).toEqual([['Status Pembayaran'], ['Batalkan']]);
    expect(h.world.chat(user.id).at(-1)?.caption).toContain('💰 Total Pembayaran');
  });
});
