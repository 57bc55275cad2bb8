import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.js';
import { insertPayment, partnerWithLicense } from '../../test/fixtures.js';
import { openPostgres } from '../db/connect.js';
import type { Database } from '../db/types.js';
import type { PaymentService } from './contract.js';
import {
  channelFor,
  Fanout,
  type PaymentNotifier,
  parsePayload,
  type StatusChange,
  startNotifier,
} from './notifier.js';
import { type PaymentProvider, ProviderError } from './provider.js';
import { createPaymentService } from './service.js';
import { transition } from './state.js';

/** A provider that must not be called: these tests never go upstream. */
const noProvider: PaymentProvider = {
  name: 'none',
  acceptsSandboxPayments: false,
  createQris: () => Promise.reject(new ProviderError('unavailable', 'no provider in this test')),
  detail: () => Promise.reject(new ProviderError('unavailable', 'no provider in this test')),
  cancel: () => Promise.reject(new ProviderError('unavailable', 'no provider in this test')),
};

/** Resolves with the first change `notifier` delivers for `paymentId`, or null after `ms`. */
function nextChange(notifier: PaymentNotifier, paymentId: string, ms = 2000): Promise<StatusChange | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(null);
    }, ms);
    const stop = notifier.listen(paymentId, (change) => {
      clearTimeout(timer);
      stop();
      resolve(change);
    });
  });
}

describe('notification plumbing', () => {
  it('parses the trigger payload and names the channel per schema', () => {
    expect(parsePayload('pay_abc:paid')).toEqual({ paymentId: 'pay_abc', status: 'paid' });
    expect(parsePayload('pay_abc:unknown')).toBeNull();
    expect(parsePayload('paid')).toBeNull();
    expect(channelFor('public')).toBe('quickcart_payments_public');
  });

  it('fans out per payment; a throwing listener does not stop the others; removal is idempotent', () => {
    const fanout = new Fanout();
    const seen: string[] = [];
    const listener = (change: StatusChange) => seen.push(`${change.paymentId}:${change.status}`);
    const stopA = fanout.add('pay_a', listener);
    fanout.add('pay_a', () => {
      throw new Error('boom');
    });
    const stopA2 = fanout.add('pay_a', listener);
    const stopB = fanout.add('pay_b', listener);
    expect(fanout.count).toBe(4);
    fanout.emit({ paymentId: 'pay_a', status: 'paid' });
    fanout.emit({ paymentId: 'pay_c', status: 'paid' });
    expect(seen).toEqual(['pay_a:paid', 'pay_a:paid']);
    stopA();
    stopA();
    stopA2();
    stopB();
    expect(fanout.count).toBe(1);
    fanout.emitResync();
  });
});

describeEachDatabase('payment notifications', (getDatabase) => {
  let notifier: PaymentNotifier;
  let service: PaymentService;
  let owner: { partnerId: string; licenseId: string };
  beforeAll(async () => {
    const database = getDatabase();
    notifier = await startNotifier(database);
    service = createPaymentService({
      db: database.db,
      provider: noProvider,
      notifier,
      publicUrl: 'http://x.test',
    });
    owner = await partnerWithLicense(database.db);
  });
  afterAll(async () => {
    service?.close();
    await notifier?.close();
  });

  it('announces a committed status change, never a rolled-back one', async () => {
    const { db } = getDatabase();
    const payment = await insertPayment(db, owner);
    const rolledBack = nextChange(notifier, payment.id, 300);
    await db
      .transaction(async (tx) => {
        await transition(tx, payment.id, 'paid', { source: 'test' });
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await rolledBack).toBeNull();
    const committed = nextChange(notifier, payment.id);
    await db.transaction((tx) => transition(tx, payment.id, 'expired', { source: 'test' }));
    expect(await committed).toEqual({ paymentId: payment.id, status: 'expired' });
  });

  it('wait() resolves within 100 ms of the paid transition', async () => {
    const { db } = getDatabase();
    for (let round = 0; round < 3; round++) {
      const payment = await insertPayment(db, owner);
      const waiting = service.wait(owner.partnerId, payment.transactionId, { timeoutMs: 5000 });
      await new Promise((resolve) => setTimeout(resolve, 30));
      await db.transaction((tx) =>
        transition(tx, payment.id, 'paid', { source: 'test', paidAmount: 50_000 }),
      );
      const committedAt = performance.now();
      const result = await waiting;
      expect(performance.now() - committedAt).toBeLessThan(100);
      expect(result).toMatchObject({ timeout: false, payment: { id: payment.id, status: 'paid' } });
      expect(result.payment.paidAt).toBeInstanceOf(Date);
    }
    expect(notifier.listenerCount()).toBe(0);
  });

  it('wait() times out with the current status, answers at once when already final, and aborts', async () => {
    const { db } = getDatabase();
    const payment = await insertPayment(db, owner);
    const started = performance.now();
    const result = await service.wait(owner.partnerId, payment.id, { timeoutMs: 150 });
    const took = performance.now() - started;
    expect(result).toMatchObject({ timeout: true, payment: { status: 'pending' } });
    expect(took).toBeGreaterThanOrEqual(145);
    expect(took).toBeLessThan(1000);

    const controller = new AbortController();
    const aborted = service.wait(owner.partnerId, payment.id, { timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client went away')), 20);
    await expect(aborted).rejects.toThrow('client went away');

    await db.transaction((tx) => transition(tx, payment.id, 'cancelled', { source: 'test' }));
    const quick = performance.now();
    expect(await service.wait(owner.partnerId, payment.id, { timeoutMs: 5000 })).toMatchObject({
      timeout: false,
      payment: { status: 'cancelled' },
    });
    expect(performance.now() - quick).toBeLessThan(500);
    expect(notifier.listenerCount()).toBe(0);
  });

  it('200 waiters on one payment all wake; subscribers hear each change once', async () => {
    const { db } = getDatabase();
    const payment = await insertPayment(db, owner);
    const waiters = Array.from({ length: 200 }, () =>
      service.wait(owner.partnerId, payment.id, { timeoutMs: 5000 }),
    );
    const heard: string[] = [];
    const unsubscribe = await service.subscribe(owner.partnerId, payment.id, (view) =>
      heard.push(view.status),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(notifier.listenerCount()).toBe(201);
    await db.transaction((tx) => transition(tx, payment.id, 'paid', { source: 'test' }));
    const results = await Promise.all(waiters);
    expect(results.every((r) => r.payment.status === 'paid' && !r.timeout)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual(['paid']);
    unsubscribe();
    expect(notifier.listenerCount()).toBe(0);
  });
});

/** PostgreSQL only: what needs two pools on one database. */
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))(
  'payment notifications across processes [postgres]',
  () => {
    let first: Database;
    let second: Database;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const { createTestDatabase } = await import('../../test/databases.js');
      const test = await createTestDatabase('postgres');
      first = test.database;
      dispose = test.dispose;
      const schema = first.driver === 'postgres' ? (first.schema ?? undefined) : undefined;
      second = await openPostgres({ url: String(process.env.TEST_DATABASE_URL), schema });
    }, 60_000);
    afterAll(async () => {
      await second?.close();
      await dispose?.();
    });

    it('two notifier instances on two pools see each other’s changes', async () => {
      const a = await startNotifier(first);
      const b = await startNotifier(second);
      try {
        const owner = await partnerWithLicense(first.db);
        const one = await insertPayment(first.db, owner);
        const two = await insertPayment(first.db, owner);
        const seenByA = nextChange(a, one.id);
        const seenByB = nextChange(b, one.id);
        await second.db.transaction((tx) => transition(tx, one.id, 'paid', { source: 'test' }));
        expect(await seenByA).toEqual({ paymentId: one.id, status: 'paid' });
        expect(await seenByB).toEqual({ paymentId: one.id, status: 'paid' });
        const seenAgainByB = nextChange(b, two.id);
        await first.db.transaction((tx) => transition(tx, two.id, 'expired', { source: 'test' }));
        expect(await seenAgainByB).toEqual({ paymentId: two.id, status: 'expired' });
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('a broken listener connection reconnects and tells listeners to re-read', async () => {
      if (first.driver !== 'postgres') throw new Error('postgres only');
      const notifier = await startNotifier(first, { reconnectDelayMs: 20 });
      try {
        const owner = await partnerWithLicense(first.db);
        const payment = await insertPayment(first.db, owner);
        const resync = nextChange(notifier, payment.id, 5000);
        const listenCommand = `LISTEN ${pg.escapeIdentifier(channelFor(first.schema ?? 'public'))}`;
        await first.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity where query = ${listenCommand}`,
        );
        expect(await resync).toEqual({ paymentId: payment.id, status: null });
        const after = nextChange(notifier, payment.id);
        await first.db.transaction((tx) => transition(tx, payment.id, 'paid', { source: 'test' }));
        expect(await after).toEqual({ paymentId: payment.id, status: 'paid' });
      } finally {
        await notifier.close();
      }
    });
  },
);
