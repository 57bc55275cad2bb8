import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.js';
import { insertPayment, partnerWithLicense, refusal } from '../../test/fixtures.js';
import { type PaymentEvent, paymentEvents, payments } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { newId } from './ids.js';
import {
  isTerminal,
  markAmountMismatch,
  markPaidLate,
  TERMINAL_STATUSES,
  type TerminalStatus,
  transition,
} from './state.js';

async function eventsOf(db: Db, paymentId: string): Promise<PaymentEvent[]> {
  return db
    .select()
    .from(paymentEvents)
    .where(eq(paymentEvents.paymentId, paymentId))
    .orderBy(paymentEvents.id);
}

async function paymentRow(db: Db, paymentId: string) {
  const [row] = await db.select().from(payments).where(eq(payments.id, paymentId));
  if (!row) throw new Error(`no payment ${paymentId}`);
  return row;
}

describeEachDatabase('payment state machine', (getDatabase) => {
  let owner: { partnerId: string; licenseId: string };
  beforeAll(async () => {
    owner = await partnerWithLicense(getDatabase().db);
  });

  it('20 racing transitions (paid vs expired) make exactly one, with one event row', async () => {
    const { db } = getDatabase();
    for (let round = 0; round < 3; round++) {
      const payment = await insertPayment(db, owner);
      const targets = Array.from(
        { length: 20 },
        (_, i): TerminalStatus => (i % 2 === 0 ? 'paid' : 'expired'),
      );
      const results = await Promise.all(
        targets.map((to, i) =>
          db.transaction((tx) =>
            transition(tx, payment.id, to, { source: i % 4 < 2 ? 'webhook' : 'sweeper' }),
          ),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = targets[results.indexOf(true)];
      const row = await paymentRow(db, payment.id);
      expect(row.status).toBe(winner);
      expect(row.paidAt !== null).toBe(winner === 'paid');
      const events = await eventsOf(db, payment.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ fromStatus: 'pending', toStatus: winner });
    }
  });

  it('records when, how much and by whom a payment was paid', async () => {
    const { db } = getDatabase();
    const payment = await insertPayment(db, owner, { amount: 75_000 });
    const paidAt = new Date('2026-01-15T10:25:00Z');
    const made = await db.transaction((tx) =>
      transition(tx, payment.id, 'paid', {
        source: 'webhook',
        detail: { order_id: payment.orderId },
        paidAt,
        paidAmount: 75_000,
        payerInfo: { payment_method: 'qris' },
      }),
    );
    expect(made).toBe(true);
    const row = await paymentRow(db, payment.id);
    expect(row).toMatchObject({
      status: 'paid',
      paidAt,
      paidAmount: 75_000,
      payerInfo: { payment_method: 'qris' },
    });
    expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime());
    expect(await eventsOf(db, payment.id)).toMatchObject([
      { fromStatus: 'pending', toStatus: 'paid', source: 'webhook', detail: { order_id: payment.orderId } },
    ]);
  });

  it('terminal states never change, whatever asks', async () => {
    const { db } = getDatabase();
    for (const end of TERMINAL_STATUSES) {
      const payment = await insertPayment(db, owner);
      expect(await db.transaction((tx) => transition(tx, payment.id, end, { source: 'api' }))).toBe(true);
      for (const next of TERMINAL_STATUSES) {
        expect(await db.transaction((tx) => transition(tx, payment.id, next, { source: 'reconciler' }))).toBe(
          false,
        );
      }
      // Not even a stray UPDATE outside the state machine: the database refuses it.
      for (const next of ['pending', ...TERMINAL_STATUSES.filter((s) => s !== end)] as const) {
        const update = db
          .update(payments)
          .set({ status: next, paidAt: new Date() })
          .where(eq(payments.id, payment.id));
        expect(await refusal(update)).toBe(
          `payment ${payment.id} is ${end} (terminal) and cannot become ${next}`,
        );
      }
      expect((await paymentRow(db, payment.id)).status).toBe(end);
      expect(await eventsOf(db, payment.id)).toHaveLength(1);
    }
    expect(await db.transaction((tx) => transition(tx, newId('payment'), 'paid', { source: 'api' }))).toBe(
      false,
    );
    expect(TERMINAL_STATUSES.every(isTerminal)).toBe(true);
    expect(isTerminal('pending')).toBe(false);
  });

  it('refuses a non-terminal target', async () => {
    const { db } = getDatabase();
    const payment = await insertPayment(db, owner);
    await expect(
      // @ts-expect-error: 'pending' is not a transition target
      db.transaction((tx) => transition(tx, payment.id, 'pending', { source: 'api' })),
    ).rejects.toThrow(TypeError);
    expect((await paymentRow(db, payment.id)).status).toBe('pending');
  });

  it('a payment reported paid after it expired stays expired, flagged paid_late once', async () => {
    const { db } = getDatabase();
    const payment = await insertPayment(db, owner);
    await db.transaction((tx) => transition(tx, payment.id, 'expired', { source: 'sweeper' }));
    const flags = await Promise.all(
      Array.from({ length: 5 }, () =>
        db.transaction((tx) => markPaidLate(tx, payment.id, { source: 'webhook', paidAmount: 50_000 })),
      ),
    );
    expect(flags.filter(Boolean)).toHaveLength(1);
    const row = await paymentRow(db, payment.id);
    expect(row).toMatchObject({ status: 'expired', paidLate: true, paidAmount: 50_000 });
    expect(row.paidAt).toBeInstanceOf(Date);
    const events = await eventsOf(db, payment.id);
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.detail?.paid_late])).toEqual([
      ['pending', 'expired', undefined],
      ['expired', 'expired', true],
    ]);
    // Only expired, cancelled or failed payments can be paid late.
    const pending = await insertPayment(db, owner);
    expect(await db.transaction((tx) => markPaidLate(tx, pending.id, { source: 'webhook' }))).toBe(false);
  });

  it('a wrong amount flags the payment and leaves it pending', async () => {
    const { db } = getDatabase();
    const payment = await insertPayment(db, owner, { amount: 50_000 });
    const flag = () =>
      db.transaction((tx) => markAmountMismatch(tx, payment.id, { source: 'webhook', paidAmount: 5_000 }));
    expect(await flag()).toBe(true);
    expect(await flag()).toBe(false);
    const row = await paymentRow(db, payment.id);
    expect(row).toMatchObject({ status: 'pending', amountMismatch: true, paidAmount: 5_000, paidAt: null });
    expect((await eventsOf(db, payment.id)).map((e) => e.detail)).toEqual([
      { amount_mismatch: true, expected_amount: 50_000, paid_amount: 5_000 },
    ]);
  });

  it('the event log is append-only', async () => {
    const { db } = getDatabase();
    const payment = await insertPayment(db, owner);
    await db.transaction((tx) => transition(tx, payment.id, 'cancelled', { source: 'api' }));
    expect(await refusal(db.update(paymentEvents).set({ source: 'forged' }))).toBe(
      'payment_events is append-only: UPDATE refused',
    );
    expect(await refusal(db.delete(paymentEvents).where(eq(paymentEvents.paymentId, payment.id)))).toBe(
      'payment_events is append-only: DELETE refused',
    );
    expect(await eventsOf(db, payment.id)).toHaveLength(1);
  });
});
