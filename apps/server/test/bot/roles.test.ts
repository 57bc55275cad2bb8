// Admin roles and the audit log (issue 9) on both databases: the owner (ADMIN_TELEGRAM_IDS) adds
// staff, who may work on stock and orders only; every admin action is in the append-only audit log
// the owner reads with /audit. Stock hygiene through the bot: duplicates refused with a count, and
// with STOCK_ENCRYPTION_KEY no clear content in the tables, the logs or /stock.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { User } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/bot/messages/index.js';
import { queryRows } from '../../src/db/sql.js';
import { listAdmins, roleOf } from '../../src/store/admins.js';
import { listAudit } from '../../src/store/audit.js';
import { getProduct, listAllProducts } from '../../src/store/catalog.js';
import { createStockCipher, parseStockKey, useStockCipher } from '../../src/store/stock-crypto.js';
import { findUser } from '../../src/store/users.js';
import { describeEachDatabase } from '../databases.js';
import { ADMIN_ID, type BotHarness, startBotHarness, textsIn } from './harness.js';

const t = messagesFor();

describeEachDatabase('store bot: admin roles and audit log', (getDatabase) => {
  let h: BotHarness;
  let staff: User;
  let productId = 0;
  const lastText = (chatId: number) => textsIn(h.world, chatId).at(-1);

  beforeAll(async () => {
    h = await startBotHarness(getDatabase());
    staff = h.newUser('staf');
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('roles', () => {
    it('lets the owner add staff; staff is not an admin before', async () => {
      await h.send(staff, '/stock 1');
      expect(lastText(staff.id)).toBe(t.unknownCommand);
      await h.send(h.admin, '/addproduct Canva Pro | Desain | 30000 | 25000');
      productId = (await listAllProducts(h.s.db)).at(-1)?.id ?? 0;
      await h.send(h.admin, `/staff add ${staff.id}`);
      expect(lastText(ADMIN_ID)).toBe(t.staffAdded(staff.id));
      await h.send(h.admin, `/staff add ${staff.id}`);
      expect(lastText(ADMIN_ID)).toBe(t.staffAlready(staff.id));
      await h.send(h.admin, `/staff add ${ADMIN_ID}`);
      expect(lastText(ADMIN_ID)).toBe(t.staffIsOwner(ADMIN_ID));
      await h.send(h.admin, '/staff');
      expect(lastText(ADMIN_ID)).toBe(t.staffUsage);
      expect(await roleOf(h.s.db, staff.id, [ADMIN_ID])).toBe('staff');
      expect(await roleOf(h.s.db, ADMIN_ID, [ADMIN_ID])).toBe('owner');
      const admins = await listAdmins(h.s.db, [ADMIN_ID]);
      expect(admins.map((a) => [a.telegramId, a.role, a.addedBy])).toEqual([
        [ADMIN_ID, 'owner', null],
        [staff.id, 'staff', ADMIN_ID],
      ]);
      await h.send(h.admin, '/staff list');
      expect(lastText(ADMIN_ID)).toBe(t.staffList(admins));
    });

    it('lets staff add stock (duplicates refused with a count) and see it masked', async () => {
      await h.send(
        staff,
        `/addstock ${productId}\ncanva-1@x.test:pw1\ncanva-2@x.test:pw2\ncanva-1@x.test:pw1`,
      );
      expect(lastText(staff.id)).toBe(t.stockUploaded(2, 1, 'Canva Pro', 2));
      // Against the stock already there, and within the upload.
      await h.send(
        staff,
        `/addstock ${productId}\ncanva-2@x.test:pw2\ncanva-3@x.test:pw3\ncanva-3@x.test:pw3`,
      );
      expect(lastText(staff.id)).toBe(t.stockUploaded(1, 2, 'Canva Pro', 3));
      expect(lastText(staff.id)).toContain(
        '1 item ditambahkan ke Canva Pro, 2 duplikat ditolak. Stok sekarang: 3.',
      );
      await h.send(staff, `/stock ${productId}`);
      const report = lastText(staff.id) ?? '';
      expect(report).toContain('Tersedia: 3 · Dipesan: 0 · Terjual: 0');
      expect(report).toMatch(/\(18 chars\)/);
      expect(report).not.toContain('canva-');
      expect(report).not.toContain('pw1');
      await h.send(staff, '/stock 999999');
      expect(lastText(staff.id)).toBe(t.productUnknown(999_999));
    });

    it('lets staff look up an order, without its contents', async () => {
      const buyer = h.newUser();
      await h.send(buyer, '/start');
      const checkout = await h.s.store.checkout({
        userId: buyer.id,
        productId,
        quantity: 2,
        chatId: buyer.id,
      });
      h.s.stack.sandbox.pay(checkout.payment.id);
      await h.s.stack.sandbox.webhooks.idle();
      await h.storeBot.delivery.sweep();
      await h.send(staff, `/order ${checkout.order.id}`);
      const report = lastText(staff.id) ?? '';
      expect(report).toContain(`🧾 Pesanan ${checkout.order.id}\n${t.statusClosed('delivered')}\n`);
      expect(report).toContain(`Pembeli: ${buyer.id}\n`);
      expect(report).toContain('Produk: Canva Pro ×2\nJumlah item: 2\nSubtotal: Rp 60.000\n');
      expect(report).toContain(`Total: Rp ${checkout.order.totalBill.toLocaleString('id-ID')}\n`);
      expect(report).not.toContain('canva-');
      await h.send(staff, '/order tg1-nope');
      expect(lastText(staff.id)).toBe(t.orderUnknown('tg1-nope'));
      await h.send(staff, '/order');
      expect(lastText(staff.id)).toBe(t.orderUsage);
    });

    it('refuses staff everything but stock and orders, changing nothing', async () => {
      const victim = h.newUser();
      await h.send(victim, '/start');
      const before = await getProduct(h.s.db, productId);
      for (const command of [
        '/addproduct Curang | X | 10000 | 10000',
        `/setprice ${productId} 1000000`,
        `/ban ${victim.id}`,
        `/unban ${victim.id}`,
        '/broadcast Halo semua',
        '/stats',
        `/staff add ${victim.id}`,
        '/staff list',
        '/audit',
      ]) {
        await h.send(staff, command);
        expect([command, lastText(staff.id)]).toEqual([command, t.notAllowed]);
      }
      expect(await listAllProducts(h.s.db)).toHaveLength(1);
      expect(await getProduct(h.s.db, productId)).toMatchObject({ customerPrice: before?.customerPrice });
      expect((await findUser(h.s.db, victim.id))?.isBanned).toBe(false);
      expect(await roleOf(h.s.db, victim.id, [ADMIN_ID])).toBeNull();
      expect(h.world.callsOf('sendMessage').some((c) => c.payload.text === 'Halo semua')).toBe(false);
      // A buyer still gets the unknown-command answer for every admin command.
      await h.send(victim, '/stock 1');
      await h.send(victim, '/audit');
      expect(textsIn(h.world, victim.id).slice(-2)).toEqual([t.unknownCommand, t.unknownCommand]);
    });

    it('makes removed staff a normal user again', async () => {
      await h.send(h.admin, `/staff remove ${staff.id}`);
      expect(lastText(ADMIN_ID)).toBe(t.staffRemoved(staff.id));
      await h.send(h.admin, `/staff remove ${staff.id}`);
      expect(lastText(ADMIN_ID)).toBe(t.staffNotFound(staff.id));
      await h.send(staff, `/stock ${productId}`);
      expect(lastText(staff.id)).toBe(t.unknownCommand);
      await h.send(staff, `/addstock ${productId}\ncanva-9@x.test:pw9`);
      expect(lastText(staff.id)).toBe(t.unknownCommand);
      expect((await getProduct(h.s.db, productId))?.stockCount).toBe(1);
    });
  });

  describe('audit log', () => {
    it('records every admin action; /audit shows them newest first with the actor', async () => {
      const user = h.newUser();
      await h.send(user, '/start');
      await h.send(h.admin, `/setprice ${productId} 35000`);
      await h.send(h.admin, `/ban ${user.id}`);
      await h.send(h.admin, `/unban ${user.id}`);
      await h.send(h.admin, '/ban 123'); // unknown user: nothing done, nothing recorded
      await h.send(h.admin, '/broadcast Diskon!');
      const entries = (await listAudit(h.s.db, { limit: 100 })).reverse();
      expect(entries.map((e) => [e.actorId, e.action, e.target])).toEqual([
        [ADMIN_ID, 'product.add', `product:${productId}`],
        [ADMIN_ID, 'staff.add', `user:${staff.id}`],
        [staff.id, 'stock.add', `product:${productId}`],
        [staff.id, 'stock.add', `product:${productId}`],
        [ADMIN_ID, 'staff.remove', `user:${staff.id}`],
        [ADMIN_ID, 'product.price', `product:${productId}`],
        [ADMIN_ID, 'user.ban', `user:${user.id}`],
        [ADMIN_ID, 'user.unban', `user:${user.id}`],
        [ADMIN_ID, 'broadcast.start', null],
      ]);
      expect(entries[2]?.detail).toEqual({ added: 2, duplicates: 1 });
      expect(entries[3]?.detail).toEqual({ added: 1, duplicates: 2 });
      expect(entries[5]?.detail).toEqual({ customer_price: 35_000, reseller_price: 25_000 });
      expect(entries[8]?.detail).toMatchObject({ recipients: expect.any(Number) });
      expect(JSON.stringify(entries)).not.toContain('canva-');

      await h.send(h.admin, '/audit');
      const [title, blank, ...lines] = (lastText(ADMIN_ID) ?? '').split('\n');
      expect([title, blank]).toEqual([t.auditTitle(9), '']);
      expect(lines).toHaveLength(9);
      const shown = lines.map((line) => line.split(' · ').slice(1, 4));
      expect(shown).toEqual(
        [...entries].reverse().map((e) => [String(e.actorId), e.action, e.target ?? '-']),
      );
      expect(lines[0]).toMatch(
        /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} · 42 · broadcast\.start · - · recipients=\d+$/,
      );
      expect(lines.at(-1)).toMatch(
        / · 42 · product\.add · product:\d+ · customer_price=30000 reseller_price=25000$/,
      );
      await h.send(h.admin, '/audit 2');
      expect((lastText(ADMIN_ID) ?? '').split('\n')).toHaveLength(4);
      await h.send(h.admin, '/audit 500');
      expect(lastText(ADMIN_ID)).toBe(t.auditUsage);
    });

    it('is append-only: the table refuses UPDATE and DELETE', async () => {
      await expect(h.s.db.execute(sql`update store_audit_log set action = 'forged'`)).rejects.toThrow();
      await expect(h.s.db.execute(sql`delete from store_audit_log`)).rejects.toThrow();
      const error = await h.s.db.execute(sql`delete from store_audit_log`).catch((e: unknown) => e);
      expect(String((error as Error).cause ?? error)).toMatch(/append-only \(DELETE refused\)/);
      expect(await listAudit(h.s.db, { limit: 100 })).toHaveLength(9);
    });
  });

  describe('stock hygiene with STOCK_ENCRYPTION_KEY', () => {
    it('keeps stock contents out of the tables, the logs and /stock', async () => {
      const cipher = createStockCipher(parseStockKey(randomBytes(32).toString('hex')));
      useStockCipher(h.s.db, cipher);
      try {
        await h.send(h.admin, `/staff add ${staff.id}`);
        await h.send(h.admin, '/addproduct Akun Rahasia | Rahasia | 20000 | 20000');
        const secretId = (await listAllProducts(h.s.db)).at(-1)?.id ?? 0;
        const secrets = Array.from({ length: 3 }, (_, i) => `rahasia-${i}-${randomBytes(8).toString('hex')}`);
        const [a = '', b = '', c = ''] = secrets;
        await h.send(staff, `/addstock ${secretId}\n${a}\n${b}\n${a}`);
        expect(lastText(staff.id)).toBe(t.stockUploaded(2, 1, 'Akun Rahasia', 2));
        // The duplicate check works on the keyed fingerprints (ciphertexts differ).
        await h.send(staff, `/addstock ${secretId}\n${b}\n${c}`);
        expect(lastText(staff.id)).toBe(t.stockUploaded(1, 1, 'Akun Rahasia', 3));

        const buyer = h.newUser();
        await h.send(buyer, '/start');
        const checkout = await h.s.store.checkout({
          userId: buyer.id,
          productId: secretId,
          quantity: 2,
          chatId: buyer.id,
        });
        h.s.stack.sandbox.pay(checkout.payment.id);
        await h.s.stack.sandbox.webhooks.idle();
        await h.storeBot.delivery.sweep();
        // The buyer got the goods in clear.
        const delivered = textsIn(h.world, buyer.id).join('\n');
        expect(delivered).toContain(a);
        expect(delivered).toContain(b);

        await h.send(staff, `/stock ${secretId}`);
        const report = lastText(staff.id) ?? '';
        expect(report).toContain('Tersedia: 1 · Dipesan: 0 · Terjual: 2');
        expect(report).toContain(`(${c.length} chars)`);
        await h.send(staff, `/order ${checkout.order.id}`);

        const tables = JSON.stringify([
          await queryRows(h.s.db, sql`select * from store_stock_items where product_id = ${secretId}`),
          await queryRows(h.s.db, sql`select * from store_order_items where product_id = ${secretId}`),
          await queryRows(h.s.db, sql`select * from store_audit_log`),
        ]);
        expect(tables).toContain('enc:v1:');
        const logs = JSON.stringify(h.logs);
        const adminChats = [...textsIn(h.world, staff.id), ...textsIn(h.world, ADMIN_ID)].join('\n');
        for (const secret of secrets) {
          expect(tables).not.toContain(secret);
          expect(logs).not.toContain(secret);
          expect(adminChats).not.toContain(secret);
          // Not even the random part of it.
          expect(tables).not.toContain(secret.slice(-16));
        }
      } finally {
        useStockCipher(h.s.db, createStockCipher(undefined));
      }
    });
  });
});
