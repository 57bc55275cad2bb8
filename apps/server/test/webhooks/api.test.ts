// The partner API of outbound webhooks through app.inject on each database, and the SSRF check of
// webhook_url and back_url when a payment is created.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { partners } from '../../src/db/schema.js';
import type { Db } from '../../src/db/types.js';
import type { DeliveryView } from '../../src/webhooks/outbound/deliveries.js';
import { createTargetGuard } from '../../src/webhooks/outbound/ssrf.js';
import { deliverDue } from '../../src/webhooks/outbound/worker.js';
import { describeEachDatabase } from '../databases.js';
import { auth, expectError, type Harness, partnerBody, startHarness, testConfig } from '../http-harness.js';
import { type Receiver, startReceiver, verifiedBy } from './receiver.js';
import { clearOutbox, settledPayment, testWorker } from './setup.js';

async function secretOf(db: Db, partnerId: string): Promise<string> {
  const [row] = await db
    .select({ secret: partners.webhookSecret })
    .from(partners)
    .where(eq(partners.id, partnerId));
  if (!row) throw new Error(`no partner ${partnerId}`);
  return row.secret;
}

describeEachDatabase('outbound webhooks: API', (getDatabase) => {
  let h: Harness;
  let receiver: Receiver;
  let wakes = 0;
  beforeAll(async () => {
    receiver = await startReceiver();
    h = await startHarness(getDatabase(), {
      tokens: 100,
      config: testConfig({ webhookAllowedHosts: '127.0.0.1' }),
      webhooks: { guard: createTargetGuard({ allowedHosts: '127.0.0.1' }), wake: () => wakes++ },
    });
  });
  afterEach(async () => {
    receiver.requests.length = 0;
    await clearOutbox(getDatabase().db);
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it.each([
    ['webhook_url', 'http://169.254.169.254/latest/meta-data/'],
    ['webhook_url', 'http://[::ffff:10.0.0.1]/hook'],
    ['webhook_url', 'http://0x7f000002/hook'],
    ['webhook_url', 'http://localhost:8080/hook'],
    ['back_url', 'http://192.168.1.1/done'],
    ['back_url', 'javascript:alert(1)'],
  ])('refuses a payment whose %s is %s with 400 VALIDATION_ERROR, spending nothing', async (field, url) => {
    const before = h.fake.tokens(h.partner.licenseKey);
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/partner/payments',
      headers: auth(h.partner),
      payload: partnerBody(h.partner, { [field]: url, payment_type: 'CHECKOUT_PAGE' }),
    });
    expect(res.statusCode).toBe(400);
    expectError(res.json(), 'VALIDATION_ERROR');
    expect(res.json().details.field).toBe(field);
    expect(h.fake.tokens(h.partner.licenseKey)).toBe(before);
  });

  it('accepts public URLs, and 127.0.0.1 when WEBHOOK_ALLOWED_HOSTS names it', async () => {
    for (const webhookUrl of ['https://api.partner.example/webhook/payment', `${receiver.url}/hook`]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: partnerBody(h.partner, { webhook_url: webhookUrl, back_url: 'https://myapp.example/done' }),
      });
      expect(res.statusCode).toBe(201);
    }
  });

  it('lists a payment’s deliveries with every attempt, to its owner only, and redelivers with the same webhook-id', async () => {
    const { db } = getDatabase();
    await db.update(partners).set({ webhookUrl: receiver.url }).where(eq(partners.id, h.partner.partnerId));
    const paymentId = await settledPayment(db, { ...h.partner, secret: '' }, 'paid');
    await deliverDue(testWorker(db));

    const list = await h.app.inject({
      method: 'GET',
      url: `/v1/webhooks/deliveries?payment_id=${paymentId}`,
      headers: auth(h.partner),
    });
    expect(list.statusCode).toBe(200);
    const [delivery] = list.json().deliveries as DeliveryView[];
    expect(delivery).toMatchObject({
      id: receiver.requests[0]?.headers['webhook-id'],
      event: 'payment.success',
      payment_id: paymentId,
      url: receiver.url,
      status: 'delivered',
      attempts: 1,
      attempt_log: [{ attempt: 1, status_code: 200, response_body: 'ok', error: null }],
    });
    const foreign = await h.app.inject({
      method: 'GET',
      url: `/v1/webhooks/deliveries?payment_id=${paymentId}`,
      headers: auth(h.other),
    });
    expect(foreign.json().deliveries).toEqual([]);
    const stolen = await h.app.inject({
      method: 'POST',
      url: `/v1/webhooks/deliveries/${delivery?.id}/redeliver`,
      headers: auth(h.other),
    });
    expect(stolen.statusCode).toBe(404);

    const woken = wakes;
    const again = await h.app.inject({
      method: 'POST',
      url: `/v1/webhooks/deliveries/${delivery?.id}/redeliver`,
      headers: auth(h.partner),
    });
    expect(again.statusCode).toBe(202);
    expect(again.json().delivery).toMatchObject({ id: delivery?.id, status: 'pending', attempts: 0 });
    expect(wakes).toBe(woken + 1);
    await deliverDue(testWorker(db));
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([delivery?.id, delivery?.id]);
  });

  it('sends a signed test event, through the SSRF guard', async () => {
    const { db } = getDatabase();
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/webhooks/test',
      headers: auth(h.other),
      payload: { url: `${receiver.url}/test` },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json().delivery).toMatchObject({
      event: 'webhook.test',
      url: `${receiver.url}/test`,
      status: 'pending',
    });
    await deliverDue(testWorker(db));
    const [request] = receiver.requests;
    if (!request) throw new Error('no test event arrived');
    expect(JSON.parse(request.body)).toMatchObject({ event: 'webhook.test' });
    expect(verifiedBy(request, await secretOf(db, h.other.partnerId))).toEqual({
      seed: true,
      standard: true,
    });

    for (const payload of [{ url: 'http://10.0.0.1/hook' }, { url: 'file:///etc/passwd' }, {}]) {
      const refused = await h.app.inject({
        method: 'POST',
        url: '/v1/webhooks/test',
        headers: auth(h.other),
        payload,
      });
      expect(refused.statusCode).toBe(400);
      expectError(refused.json(), 'VALIDATION_ERROR');
    }
  });

  it('rotates the secret (shown once, never logged) and chooses events', async () => {
    const { db } = getDatabase();
    const before = await secretOf(db, h.partner.partnerId);
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/webhooks/secret/rotate',
      headers: auth(h.partner),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const rotated = res.json();
    expect(rotated.webhook_secret).toMatch(/^whsec_/);
    expect(rotated.webhook_secret).not.toBe(before);
    expect(await secretOf(db, h.partner.partnerId)).toBe(rotated.webhook_secret);
    expect(h.logs.join('\n')).not.toContain(rotated.webhook_secret);

    const events = await h.app.inject({
      method: 'PUT',
      url: '/v1/webhooks/events',
      headers: auth(h.partner),
      payload: { events: ['payment.cancelled'] },
    });
    expect(events.json()).toEqual({ success: true, events: ['payment.success', 'payment.cancelled'] });
    const bad = await h.app.inject({
      method: 'PUT',
      url: '/v1/webhooks/events',
      headers: auth(h.partner),
      payload: { events: ['payment.refunded'] },
    });
    expect(bad.statusCode).toBe(400);
    const anonymous = await h.app.inject({ method: 'GET', url: '/v1/webhooks/deliveries' });
    expect(anonymous.statusCode).toBe(401);
  });
});
