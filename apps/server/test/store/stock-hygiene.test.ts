// Stock hygiene (issue 9) on both databases: duplicate lines refused on upload (counted), contents
// encrypted at rest (the tables read directly hold no clear text), delivered in clear, never in
// logs, and the start check that refuses encrypted stock without (or with the wrong) key.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { Api } from 'grammy';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Delivery } from '../../src/bot/delivery.js';
import { storeStockItems } from '../../src/db/schema.js';
import { queryRows } from '../../src/db/sql.js';
import type { Logger } from '../../src/payments/alerts.js';
import { transition } from '../../src/payments/state.js';
import { addProduct } from '../../src/store/catalog.js';
import { getOrder, listUserOrders } from '../../src/store/orders.js';
import { createStore } from '../../src/store/service.js';
import { listStock, uploadStock } from '../../src/store/stock.js';
import { assertStockReadable } from '../../src/store/stock-check.js';
import {
  createStockCipher,
  parseStockKey,
  StockKeyError,
  useStockCipher,
} from '../../src/store/stock-crypto.js';
import { TelegramWorld } from '../bot/telegram-world.js';
import { describeEachDatabase } from '../databases.js';
import { buyer, itemsOf, type StoreStack, startStoreStack } from './harness.js';

const KEY = parseStockKey(randomBytes(32).toString('base64'));

/** A logger that keeps every line, to search for contents. */
function capturingLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const log = (fields: Record<string, unknown>, message: string) =>
    lines.push(`${message} ${JSON.stringify(fields)}`);
  return { logger: { debug: log, info: log, warn: log, error: log }, text: () => lines.join('\n') };
}

describeEachDatabase('store stock hygiene', (getDatabase) => {
  let s: StoreStack;
  let serial = 0;
  const product = () =>
    addProduct(s.db, {
      name: `Akun ${++serial}`,
      category: 'Hygiene',
      customerPrice: 10_000,
      resellerPrice: 9_000,
    });
  const secret = (tag: string) =>
    `email:${tag}-${randomBytes(6).toString('hex')}@rahasia.test\npassword:Sup3r-${tag}`;

  beforeAll(async () => {
    s = await startStoreStack(getDatabase());
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses duplicate lines (within the upload and against stock, sold included) with a count', async () => {
    const p = await product();
    const [a, b, c] = [secret('a'), secret('b'), secret('c')];
    expect(await uploadStock(s.db, { productId: p.id, contents: [a, b, a] })).toEqual({
      added: 2,
      duplicates: 1,
    });
    expect(await uploadStock(s.db, { productId: p.id, contents: [b, c] })).toEqual({
      added: 1,
      duplicates: 1,
    });
    const user = await buyer(s.db);
    const order = await s.store.checkout({
      userId: user.telegramId,
      productId: p.id,
      quantity: 1,
      chatId: 1,
    });
    s.stack.sandbox.pay(order.payment.id);
    await s.stack.sandbox.webhooks.idle();
    await s.store.refresh(order.order.id);
    expect(await uploadStock(s.db, { productId: p.id, contents: [a, b, c] })).toEqual({
      added: 0,
      duplicates: 3,
    });
    // Another product may hold the same line.
    const other = await product();
    expect(await uploadStock(s.db, { productId: other.id, contents: [a] })).toEqual({
      added: 1,
      duplicates: 0,
    });
    await expect(uploadStock(s.db, { productId: p.id, contents: ['enc:v1:AAAA'] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('encrypts at rest: no clear text in the tables, clear on delivery, nothing in the logs', async () => {
    const cipher = createStockCipher(KEY);
    const p = await product();
    const contents = [secret('x'), secret('y'), secret('z')];
    // Explicit cipher; the duplicate check works on ciphertext with random IVs.
    expect(
      await uploadStock(s.db, { productId: p.id, contents: [...contents, contents[0] ?? ''], cipher }),
    ).toEqual({
      added: 3,
      duplicates: 1,
    });
    // From here on the database handle encrypts and opens by itself (as `quickcart start` sets it).
    useStockCipher(s.db, cipher);
    try {
      expect(await uploadStock(s.db, { productId: p.id, contents: [contents[1] ?? ''] })).toEqual({
        added: 0,
        duplicates: 1,
      });
      // A transaction opened on the handle encrypts too (it shares the handle's cipher).
      const inTx = secret('in-a-transaction');
      const viaTx = await product();
      await s.db.transaction((tx) => uploadStock(tx, { productId: viaTx.id, contents: [inTx] }));
      const stored = await s.db
        .select({ content: storeStockItems.content })
        .from(storeStockItems)
        .where(eq(storeStockItems.productId, viaTx.id));
      expect(stored).toHaveLength(1);
      expect(stored.every((row) => row.content.startsWith('enc:v1:'))).toBe(true);
      expect(JSON.stringify(stored)).not.toContain(inTx);
      const { logger, text } = capturingLogger();
      const store = createStore({ db: s.db, payments: s.stack.service, account: s.account, logger });
      const user = await buyer(s.db);
      const paid = await store.checkout({
        userId: user.telegramId,
        productId: p.id,
        quantity: 2,
        chatId: user.telegramId,
      });
      s.stack.sandbox.pay(paid.payment.id);
      await s.stack.sandbox.webhooks.idle();
      const expired = await store.checkout({
        userId: user.telegramId,
        productId: p.id,
        quantity: 1,
        chatId: user.telegramId,
      });
      await s.db.transaction((tx) => transition(tx, expired.payment.id, 'expired', { source: 'sweeper' }));
      const world = new TelegramWorld();
      const api = new Api('123456:test-token');
      api.config.use(world.transformer());
      const delivery = new Delivery({ store, api, logger, redact: String });
      // The first content message fails (logged, retried by the next sweep).
      world.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
      await delivery.sweep();
      await delivery.sweep();
      // The buyer got the goods in clear.
      const sent = world.callsOf('sendMessage', user.telegramId).map((c) => String(c.payload.text));
      expect(sent.some((m) => m.includes(contents[0] ?? '-'))).toBe(true);
      expect(sent.some((m) => m.includes(contents[1] ?? '-'))).toBe(true);
      expect((await getOrder(s.db, paid.order.id))?.items[0]?.content).toBe(
        `${contents[0]}\n\n${contents[1]}`,
      );
      expect((await listUserOrders(s.db, user.telegramId))[1]?.items[0]?.content).toBe(
        `${contents[0]}\n\n${contents[1]}`,
      );
      // The tables, read directly, hold no clear text (items of every status and delivered lines).
      const dump = JSON.stringify([
        await queryRows(s.db, sql`select * from store_stock_items where product_id = ${p.id}`),
        await queryRows(s.db, sql`select * from store_order_items where product_id = ${p.id}`),
      ]);
      for (const content of contents) {
        expect(dump).not.toContain(content);
        for (const part of content.split('\n')) expect(dump).not.toContain(part);
      }
      expect((await itemsOf(s.db, p.id)).all.every((item) => item.content.startsWith('enc:v1:'))).toBe(true);
      // Admin listings show masked previews of the clear item (its length), never the content.
      const listed = await listStock(s.db, p.id);
      expect(listed.map((item) => item.status).sort()).toEqual(['available', 'sold', 'sold']);
      expect(listed[0]?.preview).toMatch(new RegExp(`\\(${contents[0]?.length} chars\\)$`));
      for (const content of contents)
        for (const part of content.split('\n')) expect(JSON.stringify(listed)).not.toContain(part);
      // Logs saw the orders but none of the contents.
      expect(text()).toContain('could not tell the buyer');
      for (const content of contents)
        for (const part of content.split('\n')) expect(text()).not.toContain(part);
    } finally {
      useStockCipher(s.db, createStockCipher(undefined));
    }
  });

  it('start check: refuses encrypted stock without the key or with another, passes with the key', async () => {
    await expect(assertStockReadable(s.db, createStockCipher(undefined))).rejects.toThrow(StockKeyError);
    await expect(assertStockReadable(s.db, createStockCipher(undefined))).rejects.toThrow(
      /encrypted .*STOCK_ENCRYPTION_KEY is not set/,
    );
    const wrong = createStockCipher(parseStockKey(randomBytes(32).toString('hex')));
    await expect(assertStockReadable(s.db, wrong)).rejects.toThrow(/does not decrypt/);
    expect((await assertStockReadable(s.db, createStockCipher(KEY))).encrypted).toBeGreaterThan(0);
    // Without a key, reading an encrypted order fails loudly rather than sending ciphertext.
    const [line] = await queryRows<{ order_id: string }>(
      s.db,
      sql`select order_id from store_order_items where content like 'enc:v1:%' limit 1`,
    );
    await expect(getOrder(s.db, line?.order_id ?? '')).rejects.toThrow(StockKeyError);
  });
});
