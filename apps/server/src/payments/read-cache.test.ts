import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.js';
import { insertPayment, partnerWithLicense } from '../../test/fixtures.js';
import { type Payment, payments } from '../db/schema.js';
import type { PaymentService } from './contract.js';
import { Fanout, type PaymentNotifier, startNotifier } from './notifier.js';
import { type PaymentProvider, ProviderError } from './provider.js';
import { PaymentReadCache, PENDING_TTL_MS } from './read-cache.js';
import { createPaymentService } from './service.js';
import { transition } from './state.js';

/** A notifier without a database: the test emits its events by hand. */
function handNotifier(): { notifier: PaymentNotifier; fanout: Fanout } {
  const fanout = new Fanout();
  return {
    fanout,
    notifier: {
      listen: (id, listener) => fanout.add(id, listener),
      watchAll: (watcher) => fanout.watch(watcher),
      listenerCount: () => fanout.count,
      close: async () => {},
    },
  };
}

function row(values: Partial<Payment> = {}): Payment {
  return {
    id: 'pay_a',
    partnerId: 'ptn_a',
    transactionId: 'INV-1',
    status: 'pending',
    qrContent: '000201…',
    ...values,
  } as Payment;
}

describe('PaymentReadCache', () => {
  it('serves a remembered row to its partner only, by id and by transaction id', () => {
    const cache = new PaymentReadCache(handNotifier().notifier);
    cache.remember(row(), cache.generation);
    expect(cache.lookup('ptn_a', 'pay_a', true)?.id).toBe('pay_a');
    expect(cache.lookup('ptn_a', 'INV-1', false)?.id).toBe('pay_a');
    expect(cache.lookup('ptn_b', 'pay_a', true)).toBeUndefined();
    expect(cache.lookup('ptn_b', 'INV-1', false)).toBeUndefined();
    cache.close();
  });

  it('keeps only rows that change by a transition alone', () => {
    const cache = new PaymentReadCache(handNotifier().notifier);
    cache.remember(row({ id: 'pay_noqr', qrContent: null }), cache.generation);
    for (const status of ['expired', 'cancelled', 'failed'] as const) {
      cache.remember(row({ id: `pay_${status}`, status }), cache.generation);
      expect(cache.lookup('ptn_a', `pay_${status}`, true)).toBeUndefined();
    }
    expect(cache.lookup('ptn_a', 'pay_noqr', true)).toBeUndefined();
    cache.remember(row({ id: 'pay_paid', status: 'paid' }), cache.generation);
    expect(cache.lookup('ptn_a', 'pay_paid', true)?.status).toBe('paid');
    cache.close();
  });

  it('never stores a read that started before a change', () => {
    const { notifier, fanout } = handNotifier();
    const cache = new PaymentReadCache(notifier);
    const before = cache.generation;
    fanout.emit({ paymentId: 'pay_a', status: 'paid' });
    cache.remember(row(), before);
    expect(cache.lookup('ptn_a', 'pay_a', true)).toBeUndefined();
    cache.close();
  });

  it('drops a row on its notification, and serves nothing while the notifier is down', () => {
    const { notifier, fanout } = handNotifier();
    const cache = new PaymentReadCache(notifier);
    cache.remember(row(), cache.generation);
    fanout.emit({ paymentId: 'pay_a', status: 'cancelled' });
    expect(cache.lookup('ptn_a', 'pay_a', true)).toBeUndefined();

    cache.remember(row(), cache.generation);
    fanout.emitLost();
    expect(cache.lookup('ptn_a', 'pay_a', true)).toBeUndefined();
    cache.remember(row(), cache.generation);
    expect(cache.lookup('ptn_a', 'pay_a', true)).toBeUndefined();
    fanout.emitResync();
    cache.remember(row(), cache.generation);
    expect(cache.lookup('ptn_a', 'pay_a', true)?.id).toBe('pay_a');
    cache.close();
  });

  it('after a local transition, caches the row again only once its notification arrived', async () => {
    const { notifier, fanout } = handNotifier();
    let now = 0;
    const cache = new PaymentReadCache(notifier, () => now);
    cache.remember(row(), cache.generation);
    // What transition() does before its UPDATE:
    const { announceLocalTransition } = await import('./read-cache.js');
    announceLocalTransition('pay_a');
    expect(cache.lookup('ptn_a', 'pay_a', true)).toBeUndefined();
    cache.remember(row(), cache.generation); // read before the commit was visible
    expect(cache.lookup('ptn_a', 'pay_a', true)).toBeUndefined();
    fanout.emit({ paymentId: 'pay_a', status: 'paid' });
    cache.remember(row({ status: 'paid' }), cache.generation);
    expect(cache.lookup('ptn_a', 'pay_a', true)?.status).toBe('paid');

    // A change that rolled back never notifies: caching resumes after a while.
    announceLocalTransition('pay_b');
    cache.remember(row({ id: 'pay_b', transactionId: 'INV-2' }), cache.generation);
    expect(cache.lookup('ptn_a', 'pay_b', true)).toBeUndefined();
    now += 5001;
    cache.remember(row({ id: 'pay_b', transactionId: 'INV-2' }), cache.generation);
    expect(cache.lookup('ptn_a', 'pay_b', true)?.id).toBe('pay_b');
    cache.close();
  });

  it('re-reads a pending row after PENDING_TTL_MS; a paid row does not expire', () => {
    let now = 0;
    const cache = new PaymentReadCache(handNotifier().notifier, () => now);
    cache.remember(row(), cache.generation);
    cache.remember(row({ id: 'pay_p', transactionId: 'INV-P', status: 'paid' }), cache.generation);
    now += PENDING_TTL_MS;
    expect(cache.lookup('ptn_a', 'pay_a', true)).toBeUndefined();
    expect(cache.lookup('ptn_a', 'pay_p', true)?.id).toBe('pay_p');
    cache.close();
  });
});

const noProvider: PaymentProvider = {
  name: 'none',
  acceptsSandboxPayments: false,
  createQris: () => Promise.reject(new ProviderError('unavailable', 'no provider in this test')),
  detail: () => Promise.reject(new ProviderError('unavailable', 'no provider in this test')),
  cancel: () => Promise.resolve(),
};

describeEachDatabase('status reads from the read cache', (getDatabase) => {
  let notifier: PaymentNotifier;
  let service: PaymentService;
  let owner: Awaited<ReturnType<typeof partnerWithLicense>>;
  beforeAll(async () => {
    notifier = await startNotifier(getDatabase());
    service = createPaymentService({
      db: getDatabase().db,
      provider: noProvider,
      notifier,
      publicUrl: 'http://x.test',
    });
    owner = await partnerWithLicense(getDatabase().db);
  });
  afterAll(async () => {
    service?.close();
    await notifier?.close();
  });

  /** Changes a column no notification covers, behind the cache's back: shows whether a read hit the cache. */
  const touchDescription = (id: string, description: string) =>
    getDatabase().db.update(payments).set({ description }).where(eq(payments.id, id));

  it('serves repeated reads from memory', async () => {
    const payment = await insertPayment(getDatabase().db, owner, { qrContent: '000201…' });
    await service.get(owner.partnerId, payment.id);
    await touchDescription(payment.id, 'changed behind the cache');
    expect((await service.get(owner.partnerId, payment.id)).description).toBeNull();
    expect((await service.get(owner.partnerId, payment.transactionId)).description).toBeNull();
  });

  it('a status change by another process (a bare UPDATE, announced only by NOTIFY) is seen', async () => {
    const { db } = getDatabase();
    const payment = await insertPayment(db, owner, { qrContent: '000201…' });
    expect((await service.get(owner.partnerId, payment.id)).status).toBe('pending');
    await db.update(payments).set({ status: 'paid', paidAt: sql`now()` }).where(eq(payments.id, payment.id));
    const started = Date.now();
    let status = (await service.get(owner.partnerId, payment.id)).status;
    while (status === 'pending' && Date.now() - started < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      status = (await service.get(owner.partnerId, payment.id)).status;
    }
    expect(status).toBe('paid');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a read right after this process committed a transition sees it', async () => {
    const { db } = getDatabase();
    for (let i = 0; i < 20; i++) {
      const payment = await insertPayment(db, owner, { qrContent: '000201…' });
      await service.get(owner.partnerId, payment.id);
      await db.transaction((tx) => transition(tx, payment.id, 'paid', { source: 'webhook' }));
      expect((await service.get(owner.partnerId, payment.id)).status).toBe('paid');
    }
    const cancelled = await insertPayment(db, owner, { qrContent: '000201…' });
    await service.get(owner.partnerId, cancelled.id);
    await service.cancel(owner.partnerId, cancelled.id);
    expect((await service.get(owner.partnerId, cancelled.id)).status).toBe('cancelled');
  });
});
