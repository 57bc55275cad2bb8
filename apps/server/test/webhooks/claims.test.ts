// The outbox's claim protocol on each database: two workers never deliver the same row at once,
// an expired lease hands the row to another worker (same webhook-id), a worker that lost its lease
// cannot record over the new owner, and the SSRF guard refuses targets at delivery time without a
// single connection leaving (an injected connector records every attempt).
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { claimDue, recordAttempt, recordAttempts } from '../../src/webhooks/outbound/claim.js';
import { redeliver } from '../../src/webhooks/outbound/deliveries.js';
import { createTargetGuard, type Resolver } from '../../src/webhooks/outbound/ssrf.js';
import type { Connector, ConnectRequest } from '../../src/webhooks/outbound/transport.js';
import { deliverDue } from '../../src/webhooks/outbound/worker.js';
import { describeEachDatabase } from '../databases.js';
import type { Receiver } from './receiver.js';
import {
  attemptsOf,
  onlyRowOf,
  receiverForSuite,
  settledPayment,
  testWorker,
  webhookPartner,
} from './setup.js';

/** A connector that records what it was asked to connect to and answers 200 without any network. */
function recordingConnector(): Connector & { calls: ConnectRequest[] } {
  const calls: ConnectRequest[] = [];
  const connector: Connector = async (request) => {
    calls.push(request);
    return { status: 200, retryAfter: undefined, body: 'recorded' };
  };
  return Object.assign(connector, { calls });
}

describeEachDatabase('outbound webhooks: claims and the SSRF guard', (getDatabase) => {
  let receiver: Receiver;
  receiverForSuite(getDatabase, (started) => {
    receiver = started;
  });

  it('two workers draining one outbox at once deliver each event exactly once', async () => {
    const { db } = getDatabase();
    // A slow receiver keeps both workers' claims open at the same time.
    receiver.respond = () => ({ status: 200, delayMs: 15 });
    const partner = await webhookPartner(db, { webhookUrl: receiver.url });
    const count = 24;
    for (let i = 0; i < count; i++) await settledPayment(db, partner, 'paid');
    const drain = async () => {
      let claimed = 0;
      for (let n = -1; n !== 0; ) {
        n = await deliverDue(testWorker(db, { batchSize: 3, concurrency: 3 }));
        claimed += n;
      }
      return claimed;
    };
    const [a, b] = await Promise.all([drain(), drain()]);
    expect(a + b).toBe(count);
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
    const rows = await db.select().from(outbox).where(eq(outbox.partnerId, partner.partnerId));
    expect(rows.every((row) => row.deliveredAt !== null && row.attempts === 1)).toBe(true);
  });

  it('two claims at the same moment never share a row (FOR UPDATE SKIP LOCKED)', async () => {
    const { db } = getDatabase();
    const partner = await webhookPartner(db, { webhookUrl: receiver.url });
    const count = 40;
    for (let i = 0; i < count; i++) await settledPayment(db, partner, 'paid');
    for (let round = 0; round < 3; round++) {
      const claims = await Promise.all([1, 2, 3].map(() => claimDue(db, { limit: count, leaseMs: 60_000 })));
      const ids = claims.flat().map((row) => row.eventId);
      expect(ids).toHaveLength(count);
      expect(new Set(ids).size).toBe(count);
      // Every lease ends at once, for the next round.
      await db.update(outbox).set({ leaseUntil: null, leaseToken: null });
    }
  });

  it('a row claimed by a worker that died is retried once its lease expires, with the same webhook-id', async () => {
    const { db } = getDatabase();
    const partner = await webhookPartner(db, { webhookUrl: receiver.url });
    const paymentId = await settledPayment(db, partner, 'paid');
    // The "dead" worker claims and never records anything.
    const [dead] = await claimDue(db, { limit: 10, leaseMs: 60_000 });
    expect(dead?.eventId).toBe((await onlyRowOf(db, paymentId)).eventId);
    expect(await deliverDue(testWorker(db))).toBe(0);
    // The lease runs out (restart.test.ts waits for a real one, after a real SIGKILL).
    await db.update(outbox).set({ leaseUntil: sql`now() - interval '1 millisecond'` });
    expect(await deliverDue(testWorker(db))).toBe(1);
    const row = await onlyRowOf(db, paymentId);
    expect(row.deliveredAt).not.toBeNull();
    expect(row.attempts).toBe(2);
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([dead?.eventId]);
    // Delivered: never claimed again.
    expect(await claimDue(db, { limit: 10, leaseMs: 5000 })).toEqual([]);
  });

  it('a worker that outlived its lease cannot record over the worker that took the row over', async () => {
    const { db } = getDatabase();
    const partner = await webhookPartner(db, { webhookUrl: receiver.url });
    const paymentId = await settledPayment(db, partner, 'paid');
    const [stale] = await claimDue(db, { limit: 10, leaseMs: 50 });
    if (!stale) throw new Error('nothing claimed');
    await new Promise((resolve) => setTimeout(resolve, 80));
    const [fresh] = await claimDue(db, { limit: 10, leaseMs: 5000 });
    expect(fresh?.eventId).toBe(stale.eventId);
    expect(fresh?.attempt).toBe(2);
    const result = {
      outcome: { kind: 'network' } as const,
      statusCode: null,
      latencyMs: 1,
      responseBody: null,
      error: 'x',
    };
    expect(await recordAttempt(db, stale, result, { action: 'give_up', reason: 'stale' })).toBe(false);
    await expect(redeliver(db, partner.partnerId, stale.eventId)).rejects.toMatchObject({ code: 'CONFLICT' });
    if (!fresh) throw new Error('nothing claimed');
    expect(
      await recordAttempt(
        db,
        fresh,
        { ...result, statusCode: 200, outcome: { kind: 'response', status: 200, retryAfterMs: null } },
        { action: 'delivered' },
      ),
    ).toBe(true);
    const row = await onlyRowOf(db, paymentId);
    expect(row.deliveredAt).not.toBeNull();
    expect(row.failedAt).toBeNull();
    expect((await attemptsOf(db, row.id)).map((a) => a.attempt)).toEqual([2]);
  });

  it('records a group of attempts in one call: only the rows whose lease is still its own, each as decided', async () => {
    const { db } = getDatabase();
    const partner = await webhookPartner(db, { webhookUrl: `${receiver.url}/group` });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await settledPayment(db, partner, 'paid'));
    const claimed = await claimDue(db, { limit: 10, leaseMs: 60_000 });
    const byPayment = new Map(claimed.map((row) => [row.payload.payment_id, row]));
    const [delivered, retried, gone, taken] = ids.map((id) => byPayment.get(id));
    if (!delivered || !retried || !gone || !taken) throw new Error('not every row was claimed');
    const answer = (status: number) => ({
      outcome: { kind: 'response', status, retryAfterMs: null } as const,
      statusCode: status,
      latencyMs: 3,
      responseBody: `answered ${status}`,
      error: null,
    });
    const recorded = await recordAttempts(db, [
      { row: delivered, result: answer(200), decision: { action: 'delivered' } },
      { row: retried, result: answer(503), decision: { action: 'retry', delayMs: 60_000 } },
      {
        row: gone,
        result: answer(410),
        decision: { action: 'disable', reason: 'the endpoint answered 410 Gone' },
      },
      // Another worker's token: nothing of it may be recorded.
      {
        row: { ...taken, leaseToken: 'someone-else' },
        result: answer(200),
        decision: { action: 'delivered' },
      },
    ]);
    expect(recorded).toEqual([true, true, true, false]);
    const rows = await Promise.all(ids.map((id) => onlyRowOf(db, id)));
    expect(rows.map((row) => [row.deliveredAt !== null, row.failedAt !== null, row.leaseToken])).toEqual([
      [true, false, null],
      [false, false, null],
      [false, true, null],
      [false, false, taken.leaseToken],
    ]);
    expect(rows[1]?.availableAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(rows[1]?.lastError).toBe('retry');
    expect(rows[2]?.lastError).toBe('the endpoint answered 410 Gone');
    const attempts = await Promise.all(rows.map((row) => attemptsOf(db, row.id)));
    expect(attempts.map((list) => list.map((a) => a.statusCode))).toEqual([[200], [503], [410], []]);
    const disabled = await db.execute(sql`select url from webhook_disabled_endpoints`);
    expect((disabled as unknown as { rows: { url: string }[] }).rows).toEqual([
      { url: `${receiver.url}/group` },
    ]);
    expect(await recordAttempts(db, [])).toEqual([]);
  });

  it('refuses private targets at delivery time, after DNS, without opening a connection', async () => {
    const { db } = getDatabase();
    const connector = recordingConnector();
    const resolver: Resolver = async (host) =>
      host === 'public.example'
        ? [{ address: '93.184.216.34', family: 4 }]
        : host === 'rebind.example'
          ? [{ address: '169.254.169.254', family: 4 }]
          : [{ address: '10.1.2.3', family: 4 }];
    const guard = createTargetGuard({ resolver });
    const targets = [
      'http://internal.example/hook', // resolves to 10.1.2.3
      'http://rebind.example/hook', // resolves to the metadata address
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:127.0.0.1]:8080/',
      'http://2130706433/',
      `${receiver.url}/not-allowed-here`, // 127.0.0.1, with no WEBHOOK_ALLOWED_HOSTS
    ];
    const partner = await webhookPartner(db, { webhookUrl: null });
    const ids: string[] = [];
    for (const url of targets) ids.push(await settledPayment(db, partner, 'paid', { webhookUrl: url }));
    expect(await deliverDue(testWorker(db, { guard, connector }))).toBe(targets.length);
    expect(connector.calls).toEqual([]);
    expect(receiver.requests).toEqual([]);
    for (const paymentId of ids) {
      const row = await onlyRowOf(db, paymentId);
      expect(row.failedAt).not.toBeNull();
      const [attempt] = await attemptsOf(db, row.id);
      expect(attempt?.statusCode).toBeNull();
      expect(attempt?.error).toMatch(/^refused: /);
    }

    // The same guard lets a public name through, to the address it checked.
    const ok = await settledPayment(db, partner, 'paid', { webhookUrl: 'https://public.example/hook' });
    expect(await deliverDue(testWorker(db, { guard, connector }))).toBe(1);
    expect(connector.calls.map((c) => [c.url.href, c.address.address])).toEqual([
      ['https://public.example/hook', '93.184.216.34'],
    ]);
    expect((await onlyRowOf(db, ok)).deliveredAt).not.toBeNull();
  });

  it('tries the next checked address of a host when one refuses the connection', async () => {
    const { db } = getDatabase();
    const tried: string[] = [];
    const connector: Connector = async (request) => {
      tried.push(request.address.address);
      if (request.address.address === '2001:4860::1')
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return { status: 200, retryAfter: undefined, body: '' };
    };
    const resolver: Resolver = async () => [
      { address: '2001:4860::1', family: 6 },
      { address: '93.184.216.34', family: 4 },
    ];
    const partner = await webhookPartner(db, { webhookUrl: 'https://twice.example/hook' });
    const paymentId = await settledPayment(db, partner, 'paid');
    await deliverDue(testWorker(db, { guard: createTargetGuard({ resolver }), connector }));
    expect(tried).toEqual(['2001:4860::1', '93.184.216.34']);
    expect((await onlyRowOf(db, paymentId)).deliveredAt).not.toBeNull();
  });
});
