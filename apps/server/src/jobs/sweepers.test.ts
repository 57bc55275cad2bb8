import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase } from '../../test/databases.js';
import { insertPayment, partnerWithLicense } from '../../test/fixtures.js';
import { qrisInput, type Stack, startStack } from '../../test/gateway.js';
import { openPostgres } from '../db/connect.js';
import { idempotencyKeys, paymentEvents, payments } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { silentLogger } from '../payments/alerts.js';
import { debitToken, ledgerBalance } from '../payments/licenses.js';
import { createJobLock } from './lock.js';
import { reconcileDelayMs, reconcilePendingPayments, type SweepContext } from './reconcile.js';
import { expireDuePayments, pruneIdempotencyKeys, startSweepers } from './sweepers.js';

async function row(db: Db, id: string) {
  const [found] = await db.select().from(payments).where(eq(payments.id, id));
  if (!found) throw new Error(`no payment ${id}`);
  return found;
}

async function lastEvent(db: Db, id: string) {
  const events = await db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, id));
  return events.at(-1);
}

const later = (ms: number) => () => new Date(Date.now() + ms);

describe('reconcile backoff', () => {
  it('doubles from 15 s and stays at 5 min', () => {
    expect([0, 1, 2, 3, 4, 5, 10, 100].map(reconcileDelayMs)).toEqual([
      15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000,
    ]);
  });
});

describeEachDatabase('sweepers', (getDatabase) => {
  let stack: Stack;
  let owner: { partnerId: string; licenseId: string; licenseKey: string };
  const context = (now: () => Date): SweepContext => ({
    db: getDatabase().db,
    provider: stack.provider,
    alerts: (alert) => stack.alerts.push(alert),
    logger: silentLogger,
    now,
  });
  beforeAll(async () => {
    stack = await startStack(getDatabase());
    owner = await partnerWithLicense(getDatabase().db, { tokens: 50 });
  });
  beforeEach(() => {
    stack.sandbox.faults.reset();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('expiry: due pending payments expire and are cancelled upstream; others are left alone', async () => {
    const { db } = getDatabase();
    const due = await stack.service.create(owner.partnerId, {
      ...qrisInput(owner.licenseKey),
      expiryMinutes: 1,
    });
    const notDue = await stack.service.create(owner.partnerId, {
      ...qrisInput(owner.licenseKey),
      expiryMinutes: 60,
    });
    const report = await expireDuePayments(context(later(61_000)));
    expect(report.expired).toBeGreaterThanOrEqual(1);
    expect(await row(db, due.id)).toMatchObject({ status: 'expired' });
    expect(await lastEvent(db, due.id)).toMatchObject({ toStatus: 'expired', source: 'sweeper' });
    expect(stack.sandbox.transaction(due.id)?.status).toBe('canceled');
    expect((await row(db, notDue.id)).status).toBe('pending');
    expect((await expireDuePayments(context(later(61_000)))).expired).toBe(0);
  });

  it('expiry: a payment paid upstream whose webhook was lost is paid, not expired', async () => {
    const { db } = getDatabase();
    const payment = await stack.service.create(owner.partnerId, {
      ...qrisInput(owner.licenseKey),
      expiryMinutes: 1,
    });
    stack.sandbox.faults.set({ webhookDrops: 1 });
    stack.sandbox.pay(payment.id);
    const report = await expireDuePayments(context(later(61_000)));
    expect(report.settled).toBe(1);
    expect(await row(db, payment.id)).toMatchObject({ status: 'paid', paidAmount: 50_000 });
  });

  it('a dropped webhook is recovered by the reconciler, and wait() hears of it', async () => {
    const { db } = getDatabase();
    const payment = await stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));
    const untouched = await stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));
    stack.sandbox.faults.set({ webhookDrops: 1 });
    stack.sandbox.pay(payment.id);
    await stack.sandbox.webhooks.idle();
    expect(stack.sandbox.webhooks.log().at(-1)?.state).toBe('dropped');
    expect((await row(db, payment.id)).status).toBe('pending');
    // Not due yet: the first check comes 15 s after creation.
    expect((await reconcilePendingPayments(context(later(0)))).checked).toBe(0);
    const waiting = stack.service.wait(owner.partnerId, payment.id, { timeoutMs: 5000 });
    const report = await reconcilePendingPayments(context(later(16_000)));
    expect(report.changed).toBeGreaterThanOrEqual(1);
    expect(await waiting).toMatchObject({ timeout: false, payment: { status: 'paid' } });
    expect(await lastEvent(db, payment.id)).toMatchObject({ toStatus: 'paid', source: 'reconciler' });
    // Still pending upstream: asked again later, on the backoff.
    const next = await row(db, untouched.id);
    expect(next).toMatchObject({ status: 'pending', reconcileAttempts: 1 });
    expect(next.reconcileAfter?.getTime()).toBeGreaterThan(Date.now() + 16_000 + 14_000);
  });

  it('the reconciler follows a cancel made upstream, and fails orphans with a refund', async () => {
    const { db } = getDatabase();
    const payment = await stack.service.create(owner.partnerId, qrisInput(owner.licenseKey));
    await stack.pakasir.cancelTransaction({ orderId: payment.id, amount: payment.amount });
    const orphanOwner = await partnerWithLicense(db, { tokens: 1 });
    const orphan = await db.transaction(async (tx) => {
      const inserted = await insertPayment(tx, orphanOwner, {
        createdAt: new Date(Date.now() - 10 * 60_000),
      });
      await debitToken(tx, { licenseId: orphanOwner.licenseId, paymentId: inserted.id });
      return inserted;
    });
    expect(await ledgerBalance(db, orphanOwner.licenseId)).toEqual({ tokens: 0, ledgerSum: 0 });
    const report = await reconcilePendingPayments(context(later(16_000)));
    expect(report.orphans).toBe(1);
    expect(await row(db, payment.id)).toMatchObject({ status: 'cancelled' });
    expect(await row(db, orphan.id)).toMatchObject({ status: 'failed' });
    expect(await ledgerBalance(db, orphanOwner.licenseId)).toEqual({ tokens: 1, ledgerSum: 1 });
  });

  it('prunes idempotency keys older than 24 h', async () => {
    const { db } = getDatabase();
    const old = new Date(Date.now() - 25 * 3_600_000);
    await db.insert(idempotencyKeys).values([
      { partnerId: owner.partnerId, key: 'old', requestHash: 'h', statusCode: 200, createdAt: old },
      { partnerId: owner.partnerId, key: 'fresh', requestHash: 'h', statusCode: 200 },
    ]);
    expect(await pruneIdempotencyKeys(db)).toBe(1);
    const left = await db
      .select()
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.partnerId, owner.partnerId));
    expect(left.map((k) => k.key)).toEqual(['fresh']);
  });

  it('one lock: a job never runs twice at once', async () => {
    const lock = createJobLock(getDatabase());
    let release: () => void = () => {};
    const first = lock.run(
      'test-job',
      () => new Promise<string>((resolve) => (release = () => resolve('done'))),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await lock.run('test-job', async () => 'second')).toEqual({ ran: false });
    expect(await lock.run('other-job', async () => 'other')).toEqual({ ran: true, result: 'other' });
    release();
    expect(await first).toEqual({ ran: true, result: 'done' });
    expect(await lock.run('test-job', async () => 'again')).toEqual({ ran: true, result: 'again' });
  });

  it('startSweepers runs on its timer and stops', async () => {
    const { db } = getDatabase();
    const payment = await stack.service.create(owner.partnerId, {
      ...qrisInput(owner.licenseKey),
      expiryMinutes: 1,
    });
    const sweepers = startSweepers({
      database: getDatabase(),
      provider: stack.provider,
      intervalMs: 20,
      now: later(61_000),
    });
    try {
      const expired = await stack.service.wait(owner.partnerId, payment.id, { timeoutMs: 5000 });
      expect(expired).toMatchObject({ timeout: false, payment: { status: 'expired' } });
    } finally {
      await sweepers.stop();
    }
    expect((await row(db, payment.id)).status).toBe('expired');
  });
});

/** PostgreSQL only: two instances (two pools) contend for the same advisory lock. */
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('job locks across instances [postgres]', () => {
  it('a job held by one instance is skipped by the other until released', async () => {
    const test = await createTestDatabase('postgres');
    const first = test.database;
    const second = await openPostgres({
      url: String(process.env.TEST_DATABASE_URL),
      schema: first.driver === 'postgres' ? (first.schema ?? undefined) : undefined,
    });
    try {
      const a = createJobLock(first);
      const b = createJobLock(second);
      let release: () => void = () => {};
      const held = a.run('expire', () => new Promise<void>((resolve) => (release = resolve)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const attempts = await Promise.all([1, 2, 3].map(() => b.run('expire', async () => 'b')));
      expect(attempts).toEqual([{ ran: false }, { ran: false }, { ran: false }]);
      release();
      expect(await held).toEqual({ ran: true, result: undefined });
      expect(await b.run('expire', async () => 'b')).toEqual({ ran: true, result: 'b' });
    } finally {
      await second.close();
      await test.dispose();
    }
  });
});
