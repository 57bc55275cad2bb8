import { createHmac } from 'node:crypto';
import {
  type ErrorResponse,
  Pakasir,
  type V1ActionResponse,
  type V1CreateResponse,
  type V1DetailResponse,
} from '@quickcart/pakasir';
import { parse } from '@quickcart/qris';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  call,
  credentials,
  manualClock,
  PROJECT,
  receiver,
  SECRET,
  sandbox,
  sandboxPerTest,
} from '../test/helpers.js';

const start = sandboxPerTest();

describe('v1 API (seed 001)', () => {
  it("answers the seed's curl examples unchanged: create 99000 → fee 1003, total 100003, a real QRIS", async () => {
    const clock = manualClock(Date.UTC(2025, 8, 19, 0, 18, 49, 678));
    const { url } = await start({ now: clock.now });
    // curl -L '…/api/transactioncreate/qris' -H 'Content-Type: application/json' -d '{…}' (seed 001 §3.2)
    const created = await call<V1CreateResponse>(`${url}/api/transactioncreate/qris`, {
      headers: { 'Content-Type': 'application/json' },
      raw: `{
        "project": "depodomain",
        "order_id": "INV123123",
        "amount": 99000,
        "api_key": "xxx123"
      }`,
    });
    expect(created.status).toBe(200);
    const { payment } = created.json;
    expect(payment).toMatchObject({
      project: 'depodomain',
      order_id: 'INV123123',
      amount: 99000,
      fee: 1003,
      total_payment: 100003,
      payment_method: 'qris',
    });
    expect(Object.keys(payment)).toEqual([
      'project',
      'order_id',
      'amount',
      'fee',
      'total_payment',
      'payment_method',
      'payment_number',
      'expired_at',
    ]);
    // expired_at: now + 60 min, RFC 3339 UTC with nanoseconds, as "2025-09-19T01:18:49.678622564Z"
    expect(payment.expired_at).toMatch(/^2025-09-19T01:18:49\.678\d{6}Z$/);
    // payment_number: a valid dynamic QRIS of the total, "100003.00", with a 19-character reference
    const { fields } = parse(payment.payment_number);
    expect(fields.pointOfInitiation).toBe('dynamic');
    expect(fields.amount).toBe('100003.00');
    expect(fields.merchantName).toBe('QuickCart Sandbox');
    expect(fields.additionalData?.referenceLabel).toMatch(/^[A-Z0-9]{19}$/);
    expect(payment.payment_number).toContain('5409100003.00');

    // curl -L '…/api/paymentsimulation' -H 'Content-Type: application/json' -d '{…}' (seed 001 §3.4)
    const simulated = await call<V1ActionResponse>(`${url}/api/paymentsimulation`, {
      headers: { 'Content-Type': 'application/json' },
      raw: '{\n  "project": "depodomain",\n  "order_id": "INV123123",\n  "amount": 99000,\n  "api_key": "xxx123"\n}',
    });
    expect(simulated).toMatchObject({ status: 200, json: { success: true } });

    // curl '…/api/transactiondetail?project=…&amount=…&order_id=…&api_key=…' (seed 001 §5)
    const detail = await call<V1DetailResponse>(
      `${url}/api/transactiondetail?project=depodomain&amount=99000&order_id=INV123123&api_key=xxx123`,
    );
    expect(detail.json).toEqual({
      transaction: {
        amount: 99000,
        order_id: 'INV123123',
        project: 'depodomain',
        status: 'completed',
        payment_method: 'qris',
        completed_at: '2025-09-19T07:18:49.678+07:00',
      },
    });
  });

  it('reads application/x-www-form-urlencoded bodies, and JSON sent with a form Content-Type', async () => {
    const { url } = await start();
    const form = await call<V1CreateResponse>(`${url}/api/transactioncreate/bni_va`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      raw: new URLSearchParams({
        project: PROJECT,
        order_id: 'FORM-1',
        amount: '50000',
        api_key: API_KEY,
        metadata: '{"telegram_id":12345}',
      }).toString(),
    });
    expect(form.status).toBe(200);
    expect(form.json.payment).toMatchObject({ amount: 50000, fee: 3500, total_payment: 53500 });
    expect(form.json.payment.payment_number).toMatch(/^988\d{13}$/);
    // curl -d '{…}' without -H sends JSON as application/x-www-form-urlencoded
    const curlDefault = await call(`${url}/api/transactioncreate/qris`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      raw: JSON.stringify(credentials('FORM-2', 10000)),
    });
    expect(curlDefault.status).toBe(200);
  });

  it('creates each method with its fee and a plausible, deterministic payment number', async () => {
    const { url } = await start();
    const create = (method: string, orderId: string) =>
      call<V1CreateResponse>(`${url}/api/transactioncreate/${method}`, { body: credentials(orderId, 20000) });
    const retail = (await create('retail', 'R-1')).json.payment;
    expect(retail).toMatchObject({ fee: 5000, total_payment: 25000, payment_method: 'retail' });
    expect(retail.payment_number).toMatch(/^PKS[A-Z0-9]{13}$/);
    const bri = (await create('bri_va', 'B-1')).json.payment;
    expect(bri.payment_number).toMatch(/^12399\d{11}$/);
    const again = await sandbox({ port: 0 });
    try {
      const other = await call<V1CreateResponse>(`${again.url}/api/transactioncreate/bri_va`, {
        body: credentials('B-1', 20000),
      });
      expect(other.json.payment.payment_number).toBe(bri.payment_number);
    } finally {
      await again.close();
    }
  });

  it('creating the same order id and amount again returns the same transaction; another amount is 409', async () => {
    const clock = manualClock();
    const { url } = await start({ now: clock.now });
    const first = await call<V1CreateResponse>(`${url}/api/transactioncreate/qris`, {
      body: credentials('IDEM-1', 15000),
    });
    clock.advance(5000);
    const second = await call<V1CreateResponse>(`${url}/api/transactioncreate/qris`, {
      body: credentials('IDEM-1', 15000),
    });
    expect(second.status).toBe(200);
    expect(second.json).toEqual(first.json);
    const conflict = await call<ErrorResponse>(`${url}/api/transactioncreate/qris`, {
      body: credentials('IDEM-1', 15001),
    });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error).toContain('already exists with amount 15000');
    expect(start.current()?.transactions()).toHaveLength(1);
  });

  it('cancels a pending transaction; cancel or simulate of a non-pending one is 409', async () => {
    const { url } = await start();
    await call(`${url}/api/transactioncreate/qris`, { body: credentials('C-1', 10000) });
    const canceled = await call<V1ActionResponse>(`${url}/api/transactioncancel`, {
      body: credentials('C-1', 10000),
    });
    expect(canceled).toMatchObject({ status: 200, json: { success: true } });
    const detail = await call<V1DetailResponse>(
      `${url}/api/transactiondetail?project=${PROJECT}&amount=10000&order_id=C-1&api_key=${API_KEY}`,
    );
    expect(detail.json.transaction).toMatchObject({ status: 'canceled', completed_at: null });
    for (const path of ['transactioncancel', 'paymentsimulation']) {
      const again = await call<ErrorResponse>(`${url}/api/${path}`, { body: credentials('C-1', 10000) });
      expect(again.status).toBe(409);
      expect(again.json.error).toContain('it is canceled, not pending');
    }
    await call(`${url}/api/transactioncreate/qris`, { body: credentials('C-2', 10000) });
    await call(`${url}/api/paymentsimulation`, { body: credentials('C-2', 10000) });
    expect((await call(`${url}/api/transactioncancel`, { body: credentials('C-2', 10000) })).status).toBe(
      409,
    );
  });

  it('reads a pending transaction past expired_at as expired (sandbox clock), and refuses to pay it', async () => {
    const clock = manualClock();
    const { url } = await start({ now: clock.now, expiryMs: 10 * 60_000 });
    await call(`${url}/api/transactioncreate/qris`, { body: credentials('EXP-1', 10000) });
    const detail = () =>
      call<V1DetailResponse>(
        `${url}/api/transactiondetail?project=${PROJECT}&amount=10000&order_id=EXP-1&api_key=${API_KEY}`,
      );
    clock.advance(10 * 60_000 - 1);
    expect((await detail()).json.transaction.status).toBe('pending');
    clock.advance(1);
    expect((await detail()).json.transaction.status).toBe('expired');
    const pay = await call<ErrorResponse>(`${url}/api/paymentsimulation`, {
      body: credentials('EXP-1', 10000),
    });
    expect(pay.status).toBe(409);
    expect(pay.json.error).toContain('expired');
  });

  it('sends the seed 001 webhook with metadata, signed with X-Pakasir-Signature', async () => {
    const hooks = await receiver();
    try {
      const { url } = await start({ webhookUrl: hooks.url, webhookSecret: SECRET });
      const metadata = { telegram_id: 12345, telegram_username: 'ghost_user' };
      await call(`${url}/api/transactioncreate/qris`, {
        body: { ...credentials('tg12345-250910HDE7C9', 22000), metadata },
      });
      await call(`${url}/api/paymentsimulation`, { body: credentials('tg12345-250910HDE7C9', 22000) });
      await hooks.next(1);
      const [hook] = hooks.requests;
      const signature = createHmac('sha256', SECRET)
        .update(hook?.body ?? '')
        .digest('hex');
      expect(hook?.headers['x-pakasir-signature']).toBe(signature);
      expect(JSON.parse(hook?.body ?? '')).toEqual({
        amount: 22000,
        order_id: 'tg12345-250910HDE7C9',
        project: 'depodomain',
        status: 'completed',
        payment_method: 'qris',
        completed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+07:00$/),
        metadata,
      });
    } finally {
      await hooks.close();
    }
  });

  it('works with the @quickcart/pakasir client (v1)', async () => {
    const { url } = await start();
    const client = new Pakasir({
      project: PROJECT,
      apiKey: API_KEY,
      baseUrl: url,
      apiVersion: 'v1',
      mode: 'sandbox',
    });
    const payment = await client.createQris({ orderId: 'CLIENT-1', amount: 99000 });
    expect(payment).toMatchObject({ fee: 1003, total_payment: 100003 });
    await client.simulatePayment({ orderId: 'CLIENT-1', amount: 99000 });
    const detail = await client.transactionDetail({ orderId: 'CLIENT-1', amount: 99000 });
    expect(detail.status).toBe('completed');
  });
});
