import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.js';
import { partnerWithLicense } from '../../test/fixtures.js';
import { INSERT_PAYMENT, insertPaymentValues } from '../payments/create-statements.js';
import { newId } from '../payments/ids.js';
import { executorQuery, rawQuery, rawScript, rowMapper, type Statement } from './raw.js';
import { payments } from './schema.js';

const COUNT_PAYMENTS: Statement = {
  name: 'test_count_payments',
  text: 'select count(*)::int as n from payments where partner_id = $1',
};

describeEachDatabase('raw statements', (getDatabase) => {
  it('maps a row as the driver gives it to exactly what Drizzle selects, every column kind filled', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 1 });
    const id = newId('payment');
    const createdAt = new Date('2026-11-25T10:11:12.345Z');
    const values = insertPaymentValues(
      id,
      owner,
      {
        transactionId: 'RAW-1',
        amount: 25_000,
        paymentType: 'CHECKOUT_PAGE',
        description: 'Kopi "susu"',
        items: [{ name: 'Kopi', price: 25_000, quantity: 1 }],
        customerName: 'Budi',
        customerEmail: 'budi@example.com',
        metadata: { nested: { list: [1, 'two', null] } },
        backUrl: 'https://shop.example/back',
        webhookUrl: 'https://shop.example/hook',
      },
      { createdAt, reconcileAfter: new Date(createdAt.getTime() + 15_000) },
    );
    const [raw] = await rawQuery(db)(INSERT_PAYMENT, values);
    const [selected] = await db.select().from(payments).where(eq(payments.id, id));
    expect(raw).toBeDefined();
    const mapped = rowMapper(payments)(raw as Record<string, unknown>);
    expect(mapped).toEqual(selected);
    expect(mapped.createdAt).toEqual(createdAt);
    expect(mapped.expiresAt).toEqual(new Date(createdAt.getTime() + 120 * 60_000));
    expect(mapped.customer).toEqual({ name: 'Budi', email: 'budi@example.com' });
    expect(mapped.items).toEqual([{ name: 'Kopi', price: 25_000, quantity: 1 }]);
  });

  it('runs a script in one transaction: commits it, or rolls all of it back at an empty required step or an error', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 2 });
    const insert = (transactionId: string, id = newId('payment')) => ({
      statement: INSERT_PAYMENT,
      values: insertPaymentValues(
        id,
        owner,
        { transactionId, amount: 5_000, paymentType: 'QRIS' },
        { createdAt: new Date(), reconcileAfter: new Date() },
      ),
      required: true,
    });
    const count = async () => (await rawQuery(db)<{ n: number }>(COUNT_PAYMENTS, [owner.partnerId]))[0]?.n;

    const kept = await rawScript(db, [
      insert('KEPT', 'pay_kept'),
      { statement: COUNT_PAYMENTS, values: [owner.partnerId] },
    ]);
    expect(kept).toEqual({
      committed: true,
      rows: [[expect.objectContaining({ id: 'pay_kept' })], [{ n: 1 }]],
    });

    // The second step is a duplicate transaction id: no rows, so the first step's insert is undone too.
    const stopped = await rawScript(db, [
      insert('NEW'),
      { ...insert('KEPT'), whyEmpty: { statement: COUNT_PAYMENTS, values: [owner.partnerId] } },
      insert('NEVER'),
    ]);
    expect(stopped).toEqual({ committed: false, stoppedAt: 1, explained: [{ n: 2 }] });
    expect(await count()).toBe(1);

    // A failing statement rolls back and throws the database's error, its code intact.
    const failure = await rawScript(db, [insert('OTHER'), insert('DUPLICATE-ID', 'pay_kept')]).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: '23505' });
    expect(await count()).toBe(1);
    // The same statement through a Drizzle executor (what debitToken() does inside db.transaction()).
    const [again] = await executorQuery(db)<{ n: number }>(COUNT_PAYMENTS, [owner.partnerId]);
    expect(again?.n).toBe(1);
    // The connection is still usable after the rollbacks.
    await rawScript(db, [insert('AFTER')]);
    expect(await count()).toBe(2);
  });
});
