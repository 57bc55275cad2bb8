// Replacements under warranty (issue 9) on both databases, through the fake Bot API: the buyer
// reports a delivered item from /orders, an admin approves with one press and the buyer gets a new
// item from stock, recorded (report, item sold to the order, audit row); refusals outside the
// warranty; no stock; the sweeper after a crash; and two racing approvals.
import { and, eq } from 'drizzle-orm';
import type { User } from 'grammy/types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messagesFor } from '../../src/bot/messages/index.js';
import { storeAuditLog, storeOrders, storeReplacements, storeStockItems } from '../../src/db/schema.js';
import { isStoreError } from '../../src/store/errors.js';
import { getOrder } from '../../src/store/orders.js';
import {
  approveReplacement,
  getReplacement,
  requestReplacement,
  setWarranty,
} from '../../src/store/replacements.js';
import { describeEachDatabase } from '../databases.js';
import { itemsOf, stockedProduct } from '../store/harness.js';
import { ADMIN_ID, answers, type BotHarness, startBotHarness, textsIn } from './harness.js';

const t = messagesFor();

describeEachDatabase('store bot: replacements', (getDatabase) => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness(getDatabase());
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A product with stock and a warranty (hours), and a buyer who bought `quantity` of it, delivered. */
  async function delivered(options: { stock: number; quantity: number; warrantyHours: number }) {
    const { product, contents } = await stockedProduct(h.s.db, { stock: options.stock });
    if (options.warrantyHours > 0) {
      await setWarranty(h.s.db, { productId: product.id, hours: options.warrantyHours, actorId: ADMIN_ID });
    }
    const user = h.newUser();
    await h.send(user, '/start');
    const checkout = await h.s.store.checkout({
      userId: user.id,
      productId: product.id,
      quantity: options.quantity,
      chatId: user.id,
    });
    h.s.stack.sandbox.pay(checkout.payment.id);
    await h.s.stack.sandbox.webhooks.idle();
    await h.storeBot.delivery.sweep();
    await h.storeBot.idle();
    const orderId = checkout.order.id;
    expect((await getOrder(h.s.db, orderId))?.order.status).toBe('delivered');
    const sold = (await itemsOf(h.s.db, product.id)).sold.sort((a, b) => a.id - b.id);
    return { product, contents, user, orderId, sold };
  }

  const buttonsOf = (chatId: number) =>
    h.world
      .chat(chatId)
      .at(-1)
      ?.reply_markup?.inline_keyboard.flat()
      .map((b) => b.text) ?? [];

  const count = (chatId: number, text: string) => textsIn(h.world, chatId).filter((x) => x === text).length;

  it('a replacement delivers a new item and records it', async () => {
    const { product, contents, user, orderId, sold } = await delivered({
      stock: 3,
      quantity: 2,
      warrantyHours: 24,
    });
    await h.send(user, '/orders');
    expect(buttonsOf(user.id)).toContain(t.buttonReport(orderId));

    await h.press(user, `report:${orderId}`);
    expect(h.world.chat(user.id).at(-1)?.text).toBe(t.reportPickItem(orderId));
    const itemButtons = buttonsOf(user.id);
    expect(itemButtons).toEqual([
      t.reportItemButton(1, product.name),
      t.reportItemButton(2, product.name),
      t.buttonBack,
    ]);
    // Never contents in buttons.
    expect(itemButtons.join(' ')).not.toContain('@x.test');

    await h.press(user, t.reportItemButton(2, product.name));
    expect(textsIn(h.world, user.id).at(-1)).toBe(t.reportAskReason(2, product.name));
    await h.send(user, 'akun tidak bisa login');
    const [report] = await h.s.db
      .select()
      .from(storeReplacements)
      .where(eq(storeReplacements.orderId, orderId));
    if (!report) throw new Error('no report was stored');
    expect(report).toMatchObject({
      status: 'requested',
      stockItemId: sold[1]?.id,
      userId: user.id,
      reason: 'akun tidak bisa login',
    });
    expect(textsIn(h.world, user.id).at(-1)).toBe(t.reportSent(report.id));
    const adminText = textsIn(h.world, ADMIN_ID).at(-1) ?? '';
    expect(adminText).toBe(
      t.adminReport({
        replacementId: report.id,
        orderId,
        productName: product.name,
        buyerName: 'Budi',
        buyerId: user.id,
        buyerUsername: null,
        reason: 'akun tidak bisa login',
      }),
    );
    expect(buttonsOf(ADMIN_ID)).toEqual([t.buttonApprove, t.buttonReject]);

    // One press approves; the admin's message says who did; the buyer gets the third item.
    const adminMessage = await h.press(h.admin, t.buttonApprove);
    expect(h.world.chat(ADMIN_ID).find((m) => m.message_id === adminMessage.message_id)?.text).toBe(
      t.reportApprovedBy(adminText, `Admin (${ADMIN_ID})`),
    );
    expect(textsIn(h.world, user.id)).toContain(t.replacementIntro(orderId));
    expect(count(user.id, t.deliveryText(product.name, contents[2] ?? ''))).toBe(1);

    const after = await getReplacement(h.s.db, report.id);
    const newItem = (await itemsOf(h.s.db, product.id)).all.find(
      (item) => item.id === after?.replacement.replacementItemId,
    );
    expect(after?.replacement).toMatchObject({ status: 'approved', decidedBy: ADMIN_ID });
    expect(after?.replacement.deliveredAt).toBeInstanceOf(Date);
    expect(newItem).toMatchObject({ status: 'sold', orderId });
    expect(newItem?.id).not.toBe(sold[1]?.id);
    const audit = await h.s.db
      .select()
      .from(storeAuditLog)
      .where(
        and(
          eq(storeAuditLog.action, 'replacement.approve'),
          eq(storeAuditLog.target, `replacement:${report.id}`),
        ),
      );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: ADMIN_ID,
      detail: { order_id: orderId, product_id: product.id, old_item: sold[1]?.id, new_item: newItem?.id },
    });
    expect(JSON.stringify(audit[0]?.detail)).not.toContain('@x.test');
    // The order's content now holds the items the buyer has: the first and the new one.
    expect((await getOrder(h.s.db, orderId))?.items[0]?.content).toBe(`${contents[0]}\n\n${contents[2]}`);

    // A second press (the same message, before its buttons went) changes nothing more.
    const calls = h.world.calls.length;
    await h.storeBot.bot.handleUpdate(
      h.world.press(h.admin, adminMessage, `replacement_approve:${report.id}`),
    );
    await h.storeBot.idle();
    expect(answers(h.world).at(-1)).toBe(t.reportAlreadyDecided('approved', `Admin (${ADMIN_ID})`));
    expect(h.world.calls.slice(calls).filter((c) => Number(c.payload.chat_id) === user.id)).toEqual([]);
    expect((await itemsOf(h.s.db, product.id)).sold).toHaveLength(3);
    expect(await h.storeBot.replacements.deliver(report.id)).toBe(false);

    // The replaced item cannot be reported again; the one left can.
    await h.send(user, '/orders');
    await h.press(user, `report:${orderId}`);
    expect(buttonsOf(user.id)).toEqual([
      t.reportItemButton(1, product.name),
      t.reportItemButton(2, product.name),
      t.buttonBack,
    ]);
    await expect(
      requestReplacement(h.s.db, {
        userId: user.id,
        orderId,
        stockItemId: sold[1]?.id ?? 0,
        now: new Date(),
      }),
    ).rejects.toMatchObject({ code: 'REPLACEMENT_REFUSED', details: { reason: 'already_reported' } });
  });

  it('refuses outside the warranty, and shows no button without one', async () => {
    const none = await delivered({ stock: 1, quantity: 1, warrantyHours: 0 });
    await h.send(none.user, '/orders');
    expect(buttonsOf(none.user.id).some((text) => text.startsWith('🛠️'))).toBe(false);
    await expect(
      requestReplacement(h.s.db, {
        userId: none.user.id,
        orderId: none.orderId,
        stockItemId: none.sold[0]?.id ?? 0,
        now: new Date(),
      }),
    ).rejects.toMatchObject({ code: 'REPLACEMENT_REFUSED', details: { reason: 'no_warranty' } });

    const old = await delivered({ stock: 1, quantity: 1, warrantyHours: 2 });
    // The product page shows the warranty (and, sold out, "Kabari saya").
    const visitor = h.newUser();
    await h.send(visitor, '/start');
    await h.press(visitor, t.buttonCatalog);
    await h.press(visitor, 'category:Streaming');
    await h.press(visitor, `product_${old.product.id}`);
    expect(h.world.chat(visitor.id).at(-1)?.text).toContain(`\n${t.warrantyLine(2)}`);
    expect(buttonsOf(visitor.id)).toContain(t.buttonNotifyRestock);
    await h.send(old.user, '/orders');
    expect(buttonsOf(old.user.id)).toContain(t.buttonReport(old.orderId));
    // The buyer opens the report, then the warranty runs out before the reason comes.
    await h.press(old.user, `report:${old.orderId}`);
    expect(textsIn(h.world, old.user.id).at(-1)).toBe(t.reportAskReason(1, old.product.name));
    await h.s.db
      .update(storeOrders)
      .set({ deliveredAt: new Date(Date.now() - 3 * 3_600_000) })
      .where(eq(storeOrders.id, old.orderId));
    await h.press(old.user, t.buttonSkipReason);
    expect(answers(h.world).at(-1)).toBe(t.reportRefused('warranty_expired'));
    await h.send(old.user, '/orders');
    expect(buttonsOf(old.user.id)).not.toContain(t.buttonReport(old.orderId));
    expect(
      await h.s.db.select().from(storeReplacements).where(eq(storeReplacements.orderId, old.orderId)),
    ).toEqual([]);

    // Someone else's item.
    const other = h.newUser();
    await h.send(other, '/start');
    const error = await requestReplacement(h.s.db, {
      userId: other.id,
      orderId: none.orderId,
      stockItemId: none.sold[0]?.id ?? 0,
      now: new Date(),
    }).catch((e: unknown) => e);
    expect(isStoreError(error, 'REPLACEMENT_REFUSED') && error.details.reason).toBe('not_yours');
  });

  it('with no stock the admin is told and the report stays open; after /addstock approve delivers', async () => {
    const { product, user, orderId } = await delivered({ stock: 1, quantity: 1, warrantyHours: 48 });
    await report(user, orderId);
    await h.press(h.admin, t.buttonApprove);
    expect(answers(h.world).at(-1)).toBe(t.replacementOutOfStock(product.name));
    const [open] = await h.s.db
      .select()
      .from(storeReplacements)
      .where(eq(storeReplacements.orderId, orderId));
    expect(open).toMatchObject({ status: 'requested', replacementItemId: null, decidedAt: null });
    expect(buttonsOf(ADMIN_ID)).toEqual([t.buttonApprove, t.buttonReject]);

    await h.send(h.admin, `/addstock ${product.id}\nfresh@x.test:pw-new`);
    await h.press(h.admin, t.buttonApprove);
    expect(count(user.id, t.deliveryText(product.name, 'fresh@x.test:pw-new'))).toBe(1);
    const [done] = await h.s.db
      .select()
      .from(storeReplacements)
      .where(eq(storeReplacements.orderId, orderId));
    expect(done?.status).toBe('approved');
    expect(done?.deliveredAt).toBeInstanceOf(Date);
  });

  it('rejects with one press, audited, and tells the buyer', async () => {
    const { user, orderId } = await delivered({ stock: 2, quantity: 1, warrantyHours: 24 });
    await report(user, orderId);
    await h.press(h.admin, t.buttonReject);
    const [rejected] = await h.s.db
      .select()
      .from(storeReplacements)
      .where(eq(storeReplacements.orderId, orderId));
    expect(rejected).toMatchObject({ status: 'rejected', decidedBy: ADMIN_ID });
    expect(textsIn(h.world, user.id).at(-1)).toBe(t.replacementRejected(orderId));
    const audit = await h.s.db
      .select()
      .from(storeAuditLog)
      .where(eq(storeAuditLog.target, `replacement:${rejected?.id}`));
    expect(audit.map((row) => [row.action, row.actorId])).toEqual([['replacement.reject', ADMIN_ID]]);
  });

  it('the sweeper sends an approved replacement a crash left unsent, once', async () => {
    const { product, contents, user, orderId, sold } = await delivered({
      stock: 2,
      quantity: 1,
      warrantyHours: 24,
    });
    const report = await requestReplacement(h.s.db, {
      userId: user.id,
      orderId,
      stockItemId: sold[0]?.id ?? 0,
      now: new Date(),
    });
    // Approved, then the process died before sending.
    await approveReplacement(h.s.db, { replacementId: report.id, adminId: ADMIN_ID });
    expect(await h.storeBot.replacements.sweep()).toEqual({ delivered: 1 });
    expect(await h.storeBot.replacements.sweep()).toEqual({ delivered: 0 });
    expect(count(user.id, t.deliveryText(product.name, contents[1] ?? ''))).toBe(1);
  });

  it('two racing approvals make one: the other is REPLACEMENT_DECIDED, one item taken', async () => {
    const { product, user, orderId, sold } = await delivered({ stock: 3, quantity: 1, warrantyHours: 24 });
    const report = await requestReplacement(h.s.db, {
      userId: user.id,
      orderId,
      stockItemId: sold[0]?.id ?? 0,
      now: new Date(),
    });
    const results = await Promise.allSettled([
      approveReplacement(h.s.db, { replacementId: report.id, adminId: ADMIN_ID }),
      approveReplacement(h.s.db, { replacementId: report.id, adminId: ADMIN_ID + 1 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected');
    expect(isStoreError(failed?.reason, 'REPLACEMENT_DECIDED')).toBe(true);
    const items = await itemsOf(h.s.db, product.id);
    expect(items.sold).toHaveLength(2);
    expect(items.available).toHaveLength(1);
    const taken = await h.s.db.select().from(storeStockItems).where(eq(storeStockItems.orderId, orderId));
    expect(taken).toHaveLength(2);
  });

  /** The buyer reports their only item of `orderId`, skipping the reason. */
  async function report(user: User, orderId: string): Promise<void> {
    await h.send(user, '/orders');
    await h.press(user, `report:${orderId}`);
    await h.press(user, t.buttonSkipReason);
    expect(textsIn(h.world, user.id).at(-1)).toMatch(/^✅ Laporan #\d+ terkirim/);
  }
});
