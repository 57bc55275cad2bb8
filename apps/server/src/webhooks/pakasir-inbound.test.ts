import { signV1Webhook } from '@quickcart/pakasir';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.js';
import { partnerWithLicense } from '../../test/fixtures.js';
import { PROJECT, qrisInput, type Stack, startStack, WEBHOOK_SECRET } from '../../test/gateway.js';
import { paymentEvents, payments } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { QuickCartError } from '../payments/errors.js';
import { transition } from '../payments/state.js';

async function row(db: Db, id: string) {
  const [found] = await db.select().from(payments).where(eq(payments.id, id));
  if (!found) throw new Error(`no payment ${id}`);
  return found;
}

async function statusEvents(db: Db, id: string) {
  const events = await db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, id));
  return events.map((e) => `${e.fromStatus ?? '-'}>${e.toStatus}:${e.source}`);
}

/** The code of the QuickCartError a promise rejects with. */
async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QuickCartError) return `${error.code} ${error.status}`;
    throw error;
  }
  throw new Error('expected a QuickCartError');
}

/** A v1 webhook body for `orderId`, signed with `secret`. */
async function signedV1(orderId: string, amount: number, secret = WEBHOOK_SECRET) {
  const rawBody = JSON.stringify({
    amount,
    order_id: orderId,
    project: PROJECT,
    status: 'completed',
    payment_method: 'qris',
    completed_at: '2026-01-15T10:25:00.000+07:00',
  });
  return { rawBody, headers: { 'x-pakasir-signature': await signV1Webhook(rawBody, secret) } };
}

describeEachDatabase('Pakasir inbound webhooks', (getDatabase) => {
  let stack: Stack;
  let owner: { partnerId: string; licenseKey: string };
  beforeAll(async () => {
    stack = await startStack(getDatabase());
    owner = await partnerWithLicense(getDatabase().db, { tokens: 50 });
  });
  beforeEach(() => {
    stack.sandbox.faults.reset();
    stack.alerts.length = 0;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const create = () => stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));

  it('a paid webhook, confirmed with Pakasir, marks the payment paid', async () => {
    const { db } = getDatabase();
    const payment = await create();
    stack.sandbox.pay(payment.id);
    await stack.sandbox.webhooks.idle();
    expect(stack.received.at(-1)).toMatchObject({
      status: 200,
      result: { outcome: 'paid', paymentId: payment.id, orderId: payment.id },
    });
    expect(await row(db, payment.id)).toMatchObject({ status: 'paid', paidAmount: 50_000, paidLate: false });
    expect(await statusEvents(db, payment.id)).toEqual(['->pending:api', 'pending>paid:webhook']);
  });

  it('a duplicated webhook transitions once, and so do five racing copies', async () => {
    const { db } = getDatabase();
    const payment = await create();
    stack.sandbox.faults.set({ webhookDuplicates: 1 });
    stack.sandbox.pay(payment.id);
    await stack.sandbox.webhooks.idle();
    expect(stack.received.slice(-2).map((r) => r.result?.outcome)).toEqual(['paid', 'duplicate']);
    expect(await statusEvents(db, payment.id)).toEqual(['->pending:api', 'pending>paid:webhook']);

    const racing = await create();
    stack.sandbox.faults.set({ webhookDrops: 1 });
    stack.sandbox.pay(racing.id);
    const dropped = stack.sandbox.webhooks.log().at(-1);
    if (!dropped) throw new Error('no webhook logged');
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        stack.handleWebhook({ rawBody: dropped.body, headers: dropped.headers }),
      ),
    );
    expect(outcomes.filter((o) => o.outcome === 'paid')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'duplicate')).toHaveLength(4);
    expect(await statusEvents(db, racing.id)).toEqual(['->pending:api', 'pending>paid:webhook']);
  });

  it('a forged or missing signature is refused (401) and changes nothing', async () => {
    const { db } = getDatabase();
    const payment = await create();
    const forged = await signedV1(payment.id, payment.amount, 'not-the-secret');
    expect(await code(stack.handleWebhook(forged))).toBe('UNAUTHORIZED 401');
    expect(await code(stack.handleWebhook({ rawBody: forged.rawBody, headers: {} }))).toBe(
      'UNAUTHORIZED 401',
    );
    const genuine = await signedV1(payment.id, payment.amount);
    const tampered = genuine.rawBody.replace('"amount":50000', '"amount":50001');
    expect(await code(stack.handleWebhook({ rawBody: tampered, headers: genuine.headers }))).toBe(
      'UNAUTHORIZED 401',
    );
    expect(await code(stack.handleWebhook({ rawBody: '{"order_id":', headers: {} }))).toBe(
      'VALIDATION_ERROR 400',
    );
    expect(await row(db, payment.id)).toMatchObject({ status: 'pending', amountMismatch: false });

    // The sandbox signing with another secret: refused over HTTP too, retried, never paid.
    const other = await startStack(getDatabase(), { sandboxSecret: 'a-wrong-secret' });
    try {
      const victim = await other.service.create(owner.partnerId, qrisInput(owner.licenseKey));
      other.sandbox.pay(victim.id);
      await other.sandbox.webhooks.idle();
      expect(other.received.map((r) => r.status)).toEqual([401, 401]);
      expect((await row(db, victim.id)).status).toBe('pending');
    } finally {
      await other.close();
    }
  });

  it('a wrong-amount webhook is amount_mismatch, not paid, with one alert', async () => {
    const { db } = getDatabase();
    const payment = await create();
    stack.sandbox.faults.set({ webhookWrongAmounts: 1 });
    stack.sandbox.pay(payment.id);
    await stack.sandbox.webhooks.idle();
    expect(stack.received.at(-1)).toMatchObject({ status: 200, result: { outcome: 'amount_mismatch' } });
    expect(await row(db, payment.id)).toMatchObject({
      status: 'pending',
      amountMismatch: true,
      paidAmount: 50_001,
      paidAt: null,
    });
    expect(stack.alerts).toMatchObject([
      {
        kind: 'amount_mismatch',
        paymentId: payment.id,
        detail: { expected_amount: 50_000, paid_amount: 50_001 },
      },
    ]);
  });

  it('paid after expiry: stays expired, flagged paid_late, alert raised; repeats are duplicates', async () => {
    const { db } = getDatabase();
    const payment = await create();
    await db.transaction((tx) => transition(tx, payment.id, 'expired', { source: 'sweeper' }));
    stack.sandbox.faults.set({ webhookDuplicates: 1 });
    stack.sandbox.pay(payment.id);
    await stack.sandbox.webhooks.idle();
    expect(stack.received.slice(-2).map((r) => r.result?.outcome)).toEqual(['paid_late', 'duplicate']);
    expect(await row(db, payment.id)).toMatchObject({
      status: 'expired',
      paidLate: true,
      paidAmount: 50_000,
    });
    expect(stack.alerts).toMatchObject([{ kind: 'paid_late', paymentId: payment.id }]);
  });

  it('an unknown order is answered 200 and ignored; a webhook Pakasir does not confirm is 409', async () => {
    const { db } = getDatabase();
    expect(await stack.handleWebhook(await signedV1('INV-not-ours', 20_000))).toEqual({
      outcome: 'ignored',
      reason: 'unknown_order',
      orderId: 'INV-not-ours',
    });
    // Signed correctly, but Pakasir's record says pending: not paid, alert, Pakasir retries later.
    const payment = await create();
    expect(await code(stack.handleWebhook(await signedV1(payment.id, payment.amount)))).toBe('CONFLICT 409');
    expect((await row(db, payment.id)).status).toBe('pending');
    expect(stack.alerts).toMatchObject([{ kind: 'webhook_unconfirmed', paymentId: payment.id }]);
  });

  it('Pakasir unreachable while confirming: 502, and the retried webhook pays', async () => {
    const { db } = getDatabase();
    const payment = await create();
    stack.sandbox.faults.set({ errors: [503] });
    stack.sandbox.pay(payment.id);
    await stack.sandbox.webhooks.idle();
    expect(stack.received.slice(-2).map((r) => r.status)).toEqual([502, 200]);
    expect((await row(db, payment.id)).status).toBe('paid');
  });
});
