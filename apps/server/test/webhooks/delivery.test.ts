// Outbound webhooks end to end on each database: a transition queues the event in its own
// transaction, the worker signs and posts it to a real receiver on 127.0.0.1, and every attempt
// is recorded; retries, 410, Retry-After, timeouts, redirects and secret rotation.
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { outbox, partners, webhookDisabledEndpoints } from '../../src/db/schema.js';
import { transition } from '../../src/payments/state.js';
import { redeliver, rotateSecret } from '../../src/webhooks/outbound/deliveries.js';
import { deliverDue, startWebhookWorker } from '../../src/webhooks/outbound/worker.js';
import { describeEachDatabase } from '../databases.js';
import { insertPayment } from '../fixtures.js';
import { type Receiver, startReceiver, verifiedBy } from './receiver.js';
import {
  attemptsOf,
  eventually,
  onlyRowOf,
  outboxOf,
  receiverForSuite,
  settledPayment,
  testWorker,
  webhookPartner,
} from './setup.js';

describeEachDatabase('outbound webhooks: delivery', (getDatabase) => {
  let receiver: Receiver;
  receiverForSuite(getDatabase, (started) => {
    receiver = started;
  });

  it('delivers payment.success with seed 004’s payload, signed for seed 004’s verifyWebhook and standardwebhooks', async () => {
    const { db } = getDatabase();
    const partner = await webhookPartner(db, { webhookUrl: `${receiver.url}/hook` });
    const paymentId = await settledPayment(db, partner, 'paid', { amount: 75_000 });
    expect(await deliverDue(testWorker(db))).toBe(1);

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    if (!request) throw new Error('no request');
    expect(request.path).toBe('/hook');
    expect(request.headers['content-type']).toBe('application/json');
    expect(verifiedBy(request, partner.secret)).toEqual({ seed: true, standard: true });
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'event',
      'payment_id',
      'transaction_id',
      'amount',
      'payment_type',
      'paid_at',
      'signature',
    ]);
    expect(body).toMatchObject({
      event: 'payment.success',
      payment_id: paymentId,
      transaction_id: `TRX-${paymentId}`,
      amount: 75_000,
      payment_type: 'QRIS',
    });
    expect(new Date(body.paid_at as string).toISOString()).toBe(body.paid_at);

    const row = await onlyRowOf(db, paymentId);
    expect(request.headers['webhook-id']).toBe(row.eventId);
    expect(row.deliveredAt).not.toBeNull();
    const [attempt] = await attemptsOf(db, row.id);
    expect(attempt).toMatchObject({ attempt: 1, statusCode: 200, responseBody: 'ok', error: null });
    expect(attempt?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await deliverDue(testWorker(db))).toBe(0);
  });

  it('queues the event in the transition’s transaction: nothing when it rolls back or does not match', async () => {
    const { db } = getDatabase();
    const partner = await webhookPartner(db, { webhookUrl: receiver.url });
    const payment = await insertPayment(db, partner);
    await expect(
      db.transaction(async (tx) => {
        await transition(tx, payment.id, 'paid', { source: 'webhook' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await outboxOf(db, payment.id)).toEqual([]);
    expect(await db.transaction((tx) => transition(tx, payment.id, 'paid', { source: 'webhook' }))).toBe(
      true,
    );
    expect(await db.transaction((tx) => transition(tx, payment.id, 'paid', { source: 'webhook' }))).toBe(
      false,
    );
    expect(await outboxOf(db, payment.id)).toHaveLength(1);
  });

  it('sends expired and cancelled only to partners who opted in, to the payment’s own URL first', async () => {
    const { db } = getDatabase();
    const plain = await webhookPartner(db, { webhookUrl: receiver.url });
    expect(await outboxOf(db, await settledPayment(db, plain, 'expired'))).toEqual([]);
    expect(await outboxOf(db, await settledPayment(db, plain, 'cancelled'))).toEqual([]);
    expect(await outboxOf(db, await settledPayment(db, plain, 'failed'))).toEqual([]);
    const none = await webhookPartner(db, { webhookUrl: null });
    expect(await outboxOf(db, await settledPayment(db, none, 'paid'))).toEqual([]);

    const opted = await webhookPartner(db, {
      webhookUrl: `${receiver.url}/default`,
      events: ['payment.success', 'payment.expired', 'payment.cancelled'],
    });
    const expired = await settledPayment(db, opted, 'expired', { webhookUrl: `${receiver.url}/own` });
    const cancelled = await settledPayment(db, opted, 'cancelled');
    expect(await deliverDue(testWorker(db))).toBe(2);
    const byEvent = Object.fromEntries(
      receiver.requests.map((r) => [(JSON.parse(r.body) as { event: string }).event, r]),
    );
    expect(byEvent['payment.expired']?.path).toBe('/own');
    expect(JSON.parse(byEvent['payment.expired']?.body ?? '{}')).toMatchObject({ payment_id: expired });
    expect(JSON.parse(byEvent['payment.expired']?.body ?? '{}').expired_at).toMatch(/Z$/);
    expect(byEvent['payment.cancelled']?.path).toBe('/default');
    expect(JSON.parse(byEvent['payment.cancelled']?.body ?? '{}')).toMatchObject({ payment_id: cancelled });
    for (const request of receiver.requests) expect(verifiedBy(request, opted.secret).seed).toBe(true);
    // The database refuses an opt-out of payment.success.
    await expect(
      db
        .update(partners)
        .set({ webhookEvents: ['payment.expired'] })
        .where(eq(partners.id, opted.partnerId)),
    ).rejects.toThrow();
  });

  it('retries a flaky receiver on the (injected) schedule with the same webhook-id, then delivers', async () => {
    const { db } = getDatabase();
    receiver.respond = (_request, index) => (index < 2 ? { status: 500, body: 'boom' } : { status: 204 });
    const partner = await webhookPartner(db, { webhookUrl: receiver.url });
    const paymentId = await settledPayment(db, partner, 'paid');
    const worker = startWebhookWorker(testWorker(db, { schedule: [100, 200, 400] }));
    try {
      await eventually(async () => (await onlyRowOf(db, paymentId)).deliveredAt !== null);
    } finally {
      await worker.stop();
    }
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    const [first, second, third] = receiver.requests.map((r) => r.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(90);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(190);
    for (const request of receiver.requests)
      expect(verifiedBy(request, partner.secret)).toEqual({ seed: true, standard: true });
    const row = await onlyRowOf(db, paymentId);
    expect(row.attempts).toBe(3);
    const attempts = await attemptsOf(db, row.id);
    expect(attempts.map((a) => [a.attempt, a.statusCode, a.responseBody])).toEqual([
      [1, 500, 'boom'],
      [2, 500, 'boom'],
      [3, 204, ''],
    ]);
  });

  it('gives up when the schedule runs out, keeping every attempt', async () => {
    const { db } = getDatabase();
    receiver.respond = () => ({ status: 503, body: 'down' });
    const partner = await webhookPartner(db, { webhookUrl: receiver.url });
    const paymentId = await settledPayment(db, partner, 'paid');
    const worker = startWebhookWorker(testWorker(db, { schedule: [20, 20] }));
    try {
      await eventually(async () => (await onlyRowOf(db, paymentId)).failedAt !== null);
    } finally {
      await worker.stop();
    }
    const row = await onlyRowOf(db, paymentId);
    expect(row.lastError).toMatch(/no success after 3 attempts/);
    expect((await attemptsOf(db, row.id)).map((a) => a.statusCode)).toEqual([503, 503, 503]);
    expect(receiver.requests).toHaveLength(3);
  });

  it('disables an endpoint that answers 410: nothing more is sent there until a redelivery re-enables it', async () => {
    const { db } = getDatabase();
    receiver.respond = () => ({ status: 410, body: 'gone' });
    const partner = await webhookPartner(db, { webhookUrl: `${receiver.url}/gone` });
    const first = await settledPayment(db, partner, 'paid');
    await deliverDue(testWorker(db));
    const row = await onlyRowOf(db, first);
    expect(row.failedAt).not.toBeNull();
    expect(row.lastError).toMatch(/410/);
    const disabled = await db.select().from(webhookDisabledEndpoints);
    expect(disabled).toMatchObject([
      { partnerId: partner.partnerId, url: `${receiver.url}/gone`, statusCode: 410 },
    ]);

    const second = await settledPayment(db, partner, 'paid');
    expect(await deliverDue(testWorker(db))).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect((await onlyRowOf(db, second)).lastError).toMatch(/disabled/);

    receiver.respond = () => ({ status: 200 });
    const again = await redeliver(db, partner.partnerId, (await onlyRowOf(db, second)).eventId);
    expect(again.delivery.status).toBe('pending');
    expect(await db.select().from(webhookDisabledEndpoints)).toEqual([]);
    await deliverDue(testWorker(db));
    expect((await onlyRowOf(db, second)).deliveredAt).not.toBeNull();
    expect(receiver.requests).toHaveLength(2);
  });

  it('honours Retry-After: the row is not due again before it', async () => {
    const { db } = getDatabase();
    receiver.respond = () => ({ status: 429, headers: { 'retry-after': '3' }, body: 'slow down' });
    const partner = await webhookPartner(db, { webhookUrl: receiver.url });
    const paymentId = await settledPayment(db, partner, 'paid');
    await deliverDue(testWorker(db, { schedule: [10] }));
    const [row] = await db
      .select({ wait: sql<number>`extract(epoch from ${outbox.availableAt} - now())::float8` })
      .from(outbox)
      .where(eq(outbox.paymentId, paymentId));
    expect(row?.wait).toBeGreaterThan(2);
    expect(row?.wait).toBeLessThanOrEqual(3);
    // The schedule alone (10 ms) would have made it due by now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await deliverDue(testWorker(db, { schedule: [10] }))).toBe(0);
    expect(receiver.requests).toHaveLength(1);
  });

  it('bounds each attempt by its timeout and keeps only the first kilobyte of an answer', async () => {
    const { db } = getDatabase();
    receiver.respond = (_request, index) => (index === 0 ? 'hang' : { status: 500, body: 'x'.repeat(5000) });
    const partner = await webhookPartner(db, { webhookUrl: receiver.url });
    const paymentId = await settledPayment(db, partner, 'paid');
    const started = Date.now();
    await deliverDue(testWorker(db, { timeoutMs: 300, schedule: [0, 0] }));
    expect(Date.now() - started).toBeLessThan(2000);
    await deliverDue(testWorker(db, { schedule: [0, 0] }));
    const row = await onlyRowOf(db, paymentId);
    const [timedOut, big] = await attemptsOf(db, row.id);
    expect(timedOut).toMatchObject({
      statusCode: null,
      responseBody: null,
      error: 'no answer within 300 ms',
    });
    expect(timedOut?.latencyMs).toBeGreaterThanOrEqual(290);
    expect(big?.statusCode).toBe(500);
    expect(big?.responseBody).toHaveLength(1024);
  });

  it('follows no redirect: a 302 is a failed attempt, and its Location gets nothing', async () => {
    const { db } = getDatabase();
    const elsewhere = await startReceiver();
    try {
      receiver.respond = () => ({ status: 302, headers: { location: `${elsewhere.url}/stolen` } });
      const partner = await webhookPartner(db, { webhookUrl: receiver.url });
      const paymentId = await settledPayment(db, partner, 'paid');
      await deliverDue(testWorker(db));
      const row = await onlyRowOf(db, paymentId);
      expect(row.deliveredAt).toBeNull();
      expect((await attemptsOf(db, row.id)).map((a) => a.statusCode)).toEqual([302]);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('signs with both secrets for 24 h after a rotation, then with the new one only', async () => {
    const { db } = getDatabase();
    const partner = await webhookPartner(db, { webhookUrl: receiver.url });
    const rotated = await rotateSecret(db, partner.partnerId);
    expect(new Date(rotated.previous_secret_valid_until).getTime() - Date.now()).toBeGreaterThan(
      23.9 * 3_600_000,
    );
    await settledPayment(db, partner, 'paid');
    await deliverDue(testWorker(db));
    const [during] = receiver.requests;
    if (!during) throw new Error('no request');
    expect(verifiedBy(during, partner.secret)).toEqual({ seed: true, standard: true });
    expect(verifiedBy(during, rotated.webhook_secret).standard).toBe(true);
    expect(
      verifiedBy(
        {
          ...during,
          headers: { ...during.headers, 'x-kgiton-signature': during.headers['x-kgiton-signature-next'] },
        },
        rotated.webhook_secret,
      ).seed,
    ).toBe(true);

    await db
      .update(partners)
      .set({ webhookSecretPreviousUntil: sql`now() - interval '1 second'` })
      .where(eq(partners.id, partner.partnerId));
    await settledPayment(db, partner, 'paid');
    await deliverDue(testWorker(db));
    const after = receiver.requests[1];
    if (!after) throw new Error('no second request');
    expect(verifiedBy(after, rotated.webhook_secret)).toEqual({ seed: true, standard: true });
    expect(verifiedBy(after, partner.secret)).toEqual({ seed: false, standard: false });
    expect(after.headers['x-kgiton-signature-next']).toBeUndefined();
  });
});
