import { parse } from '@quickcart/qris';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.js';
import { partnerWithLicense } from '../../test/fixtures.js';
import { qrisInput, type Stack, startStack } from '../../test/gateway.js';
import { licenseLedger, paymentEvents, payments } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { isQuickCartError, QuickCartError } from './errors.js';
import { ledgerBalance } from './licenses.js';
import { paymentLinks } from './view.js';

/** The QuickCartError a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<QuickCartError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QuickCartError) return error;
    throw error;
  }
  throw new Error('expected a QuickCartError');
}

async function row(db: Db, id: string) {
  const [found] = await db.select().from(payments).where(eq(payments.id, id));
  if (!found) throw new Error(`no payment ${id}`);
  return found;
}

describeEachDatabase('payment service', (getDatabase) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(getDatabase());
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('create spends one token, stores the upstream QRIS and records the creation', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 3 });
    const payment = await stack.service.create(owner.partnerId, {
      ...qrisInput(owner.licenseKey, 75_000),
      description: 'Kopi susu',
      metadata: { table: 7 },
    });
    expect(payment).toMatchObject({
      status: 'pending',
      amount: 75_000,
      paymentType: 'QRIS',
      description: 'Kopi susu',
    });
    expect(payment.id).toMatch(/^pay_/);
    const { fields } = parse(payment.qrContent);
    expect(fields.amount).toBe(`${75_000 + stack.pakasir.estimateFee('qris', 75_000)}.00`);
    const minutes = (payment.expiresAt.getTime() - payment.createdAt.getTime()) / 60_000;
    expect(minutes).toBeCloseTo(30, 3);
    expect(stack.sandbox.transaction(payment.id)).toMatchObject({ status: 'pending', amount: 75_000 });
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 2, ledgerSum: 2 });
    const stored = await row(db, payment.id);
    expect(stored).toMatchObject({ orderId: payment.id, upstreamTxnId: null, metadata: { table: 7 } });
    const events = await db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
    expect(events).toMatchObject([{ fromStatus: null, toStatus: 'pending', source: 'api' }]);
    expect(paymentLinks('http://quickcart.test', payment)).toEqual({
      qrImageUrl: `http://quickcart.test/qr/${payment.id}.png`,
      paymentUrl: null,
    });
  });

  it('50 concurrent creates on a 10-token license: exactly 10 succeed, balance 0, ledger consistent', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 10 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => stack.service.create(owner.partnerId, qrisInput(owner.licenseKey))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(refused.every((error) => isQuickCartError(error, 'INSUFFICIENT_TOKENS'))).toBe(true);
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 0, ledgerSum: 0 });
    const made = await db.select().from(payments).where(eq(payments.licenseId, owner.licenseId));
    expect(made).toHaveLength(10);
    expect(made.every((p) => p.status === 'pending' && p.qrContent)).toBe(true);
  });

  it('an upstream 502 or a hung gateway: GATEWAY_ERROR, payment failed, token refunded', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 2 });
    stack.sandbox.faults.set({ errors: [502] });
    const first = await rejection(stack.service.create(owner.partnerId, qrisInput(owner.licenseKey)));
    expect(first).toMatchObject({ code: 'GATEWAY_ERROR', status: 502 });
    stack.sandbox.faults.set({ hangs: 1 });
    const quick = await startStack(getDatabase(), { timeoutMs: 200 });
    try {
      quick.sandbox.faults.set({ hangs: 1 });
      const second = await rejection(quick.service.create(owner.partnerId, qrisInput(owner.licenseKey)));
      expect(second.code).toBe('GATEWAY_ERROR');
    } finally {
      stack.sandbox.faults.reset();
      await quick.close();
    }
    const failed = await db.select().from(payments).where(eq(payments.licenseId, owner.licenseId));
    expect(failed.map((p) => p.status)).toEqual(['failed', 'failed']);
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 2, ledgerSum: 2 });
    const ledger = await db.select().from(licenseLedger).where(eq(licenseLedger.licenseId, owner.licenseId));
    expect(ledger.map((l) => l.reason).sort()).toEqual(['debit', 'debit', 'refund', 'refund', 'topup']);
    // The license still works afterwards.
    await expect(stack.service.create(owner.partnerId, qrisInput(owner.licenseKey))).resolves.toMatchObject({
      status: 'pending',
    });
  });

  it('after GATEWAY_ERROR the same transaction id can be retried, and reads find the retry', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 3 });
    const input = qrisInput(owner.licenseKey);
    stack.sandbox.faults.set({ errors: [502] });
    try {
      expect(await rejection(stack.service.create(owner.partnerId, input))).toMatchObject({
        code: 'GATEWAY_ERROR',
      });
    } finally {
      stack.sandbox.faults.reset();
    }
    const retried = await stack.service.create(owner.partnerId, input);
    expect(retried).toMatchObject({ transactionId: input.transactionId, status: 'pending' });
    expect(await stack.service.get(owner.partnerId, input.transactionId)).toMatchObject({ id: retried.id });
    // Only the failed one gave its id back: a third create is a duplicate.
    expect(await rejection(stack.service.create(owner.partnerId, input))).toMatchObject({
      code: 'DUPLICATE_TRANSACTION',
    });
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 2, ledgerSum: 2 });
  });

  it('a reused transaction id is DUPLICATE_TRANSACTION and spends no token', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 5 });
    const input = qrisInput(owner.licenseKey);
    await stack.service.create(owner.partnerId, input);
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => stack.service.create(owner.partnerId, input)),
    );
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        code: 'DUPLICATE_TRANSACTION',
        status: 409,
      });
    }
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 4, ledgerSum: 4 });
    // Another partner may use the same transaction id.
    const other = await partnerWithLicense(db, { tokens: 1 });
    await expect(
      stack.service.create(other.partnerId, { ...input, licenseKey: other.licenseKey }),
    ).resolves.toMatchObject({ transactionId: input.transactionId });
  });

  it('checks its input and the license itself', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 2 });
    const other = await partnerWithLicense(db, { tokens: 1 });
    const empty = await partnerWithLicense(db, { tokens: 0 });
    const expired = await partnerWithLicense(db, { tokens: 5, expiresAt: new Date(Date.now() - 1000) });
    const create = (partnerId: string, input: Parameters<Stack['service']['create']>[1]) =>
      rejection(stack.service.create(partnerId, input)).then((e) => e.code);
    const base = qrisInput(owner.licenseKey);
    expect(await create(owner.partnerId, { ...base, amount: 999 })).toBe('INVALID_AMOUNT');
    expect(await create(owner.partnerId, { ...base, amount: 1000.5 })).toBe('INVALID_AMOUNT');
    expect(await create(owner.partnerId, { ...base, paymentType: 'CASH' as never })).toBe(
      'INVALID_PAYMENT_TYPE',
    );
    expect(await create(owner.partnerId, { ...base, expiryMinutes: 0 })).toBe('VALIDATION_ERROR');
    expect(await create(owner.partnerId, { ...base, transactionId: '' })).toBe('VALIDATION_ERROR');
    expect(await create(owner.partnerId, { ...base, licenseKey: other.licenseKey })).toBe('INVALID_LICENSE');
    expect(await create(owner.partnerId, { ...base, licenseKey: 'AAAAA-BBBBB' })).toBe('INVALID_LICENSE');
    expect(await create(empty.partnerId, qrisInput(empty.licenseKey))).toBe('INSUFFICIENT_TOKENS');
    expect(await create(expired.partnerId, qrisInput(expired.licenseKey))).toBe('LICENSE_EXPIRED');
    expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 2, ledgerSum: 2 });
    const page = await stack.service.create(owner.partnerId, {
      ...base,
      paymentType: 'CHECKOUT_PAGE',
      expiryMinutes: 45,
    });
    expect((page.expiresAt.getTime() - page.createdAt.getTime()) / 60_000).toBeCloseTo(45, 3);
    expect(paymentLinks('http://quickcart.test', page).paymentUrl).toBe(
      `http://quickcart.test/checkout/${page.id}`,
    );
    // 120 minutes asked by default, but the sandbox's QR stops being payable after 60: the earlier wins.
    const long = await stack.service.create(owner.partnerId, {
      ...qrisInput(owner.licenseKey),
      paymentType: 'CHECKOUT_PAGE',
    });
    expect((long.expiresAt.getTime() - long.createdAt.getTime()) / 60_000).toBeCloseTo(60, 0);
  });

  it('get by id or transaction id, and only for the owner (NOT_FOUND otherwise)', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db);
    const stranger = await partnerWithLicense(db);
    const payment = await stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));
    expect((await stack.service.get(owner.partnerId, payment.id)).id).toBe(payment.id);
    expect((await stack.service.get(owner.partnerId, payment.transactionId)).id).toBe(payment.id);
    const attempts: (() => Promise<unknown>)[] = [
      () => stack.service.get(stranger.partnerId, payment.id),
      () => stack.service.get(stranger.partnerId, payment.transactionId),
      () => stack.service.cancel(stranger.partnerId, payment.id),
      () => stack.service.simulate(stranger.partnerId, payment.id),
      () => stack.service.wait(stranger.partnerId, payment.id, { timeoutMs: 50 }),
      () => stack.service.wait(stranger.partnerId, payment.transactionId, { timeoutMs: 50 }),
      () => stack.service.subscribe(stranger.partnerId, payment.id, () => {}),
      () => stack.service.get(owner.partnerId, 'pay_doesnotexist'),
    ];
    for (const attempt of attempts) {
      expect(await rejection(attempt())).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    }
    expect((await row(db, payment.id)).status).toBe('pending');
    expect(stack.notifier.listenerCount()).toBe(0);
  });

  it('cancel: upstream and locally, idempotent; a paid payment is CONFLICT', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db);
    const payment = await stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));
    const cancelled = await stack.service.cancel(owner.partnerId, payment.transactionId);
    expect(cancelled.status).toBe('cancelled');
    expect(stack.sandbox.transaction(payment.id)?.status).toBe('canceled');
    expect((await stack.service.cancel(owner.partnerId, payment.id)).status).toBe('cancelled');

    const paid = await stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));
    expect((await stack.service.simulate(owner.partnerId, paid.id)).status).toBe('paid');
    expect(await rejection(stack.service.cancel(owner.partnerId, paid.id))).toMatchObject({
      code: 'CONFLICT',
    });

    // The gateway down: 502 and nothing changes here.
    const kept = await stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));
    stack.sandbox.faults.set({ errors: [503] });
    expect(await rejection(stack.service.cancel(owner.partnerId, kept.id))).toMatchObject({
      code: 'GATEWAY_ERROR',
    });
    expect((await row(db, kept.id)).status).toBe('pending');

    // Paid upstream a moment ago, webhook not in yet: cancel finds out, records it and refuses.
    const racing = await stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));
    stack.sandbox.faults.set({ webhookDrops: 1 });
    stack.sandbox.pay(racing.id);
    expect(await rejection(stack.service.cancel(owner.partnerId, racing.id))).toMatchObject({
      code: 'CONFLICT',
    });
    expect((await row(db, racing.id)).status).toBe('paid');
  });

  it('simulate pays through the sandbox webhook and the state machine; refused when not pending', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db);
    const payment = await stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));
    const paid = await stack.service.simulate(owner.partnerId, payment.id);
    expect(paid).toMatchObject({ status: 'paid', payerInfo: { payment_method: 'qris' } });
    expect(paid.paidAt).toBeInstanceOf(Date);
    const events = await db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
    expect(events.map((e) => [e.toStatus, e.source])).toEqual([
      ['pending', 'api'],
      ['paid', 'webhook'],
    ]);
    expect(await rejection(stack.service.simulate(owner.partnerId, payment.id))).toMatchObject({
      code: 'CONFLICT',
    });
  });
});

describeEachDatabase('payment service on Pakasir v2', (getDatabase) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(getDatabase(), { apiVersion: 'v2' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('stores the txn_id, and the v2 webhook (X-Secret) marks the payment paid', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db);
    const payment = await stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));
    const stored = await row(db, payment.id);
    expect(stored.upstreamTxnId).toBe(stack.sandbox.transaction(payment.id)?.txn_id);
    expect(stored.upstreamTxnId).toMatch(/^txn_/);
    expect((await stack.service.simulate(owner.partnerId, payment.id)).status).toBe('paid');
    expect(stack.received.at(-1)).toMatchObject({ status: 200, result: { outcome: 'paid' } });
  });

  it('without a simulator, simulate is FORBIDDEN', async () => {
    const { createPaymentService } = await import('./service.js');
    const live = createPaymentService({
      db: getDatabase().db,
      provider: stack.provider,
      notifier: stack.notifier,
      publicUrl: 'http://x.test',
    });
    expect(await rejection(live.simulate('ptn_x', 'pay_x'))).toMatchObject({ code: 'FORBIDDEN' });
    live.close();
  });
});
