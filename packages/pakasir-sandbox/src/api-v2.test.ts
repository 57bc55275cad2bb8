import {
  type ErrorResponse,
  Pakasir,
  V2_PATHS,
  type V2CancelResponse,
  type V2FeeResponse,
  type V2StatusResponse,
  type V2Transaction,
} from '@quickcart/pakasir';
import { parse } from '@quickcart/qris';
import { describe, expect, it } from 'vitest';
import { API_KEY, call, manualClock, PROJECT, receiver, SECRET, sandboxPerTest } from '../test/helpers.js';

const start = sandboxPerTest();

const auth = { 'X-Api-Key': API_KEY };

function create(url: string, orderId: string, body: unknown, headers: Record<string, string> = auth) {
  return call<V2Transaction>(`${url}${V2_PATHS.create(PROJECT, orderId)}`, { body, headers });
}

describe('v2 API', () => {
  it('create-transaction: qris with qr_string, fee, total, payment_link, is_sandbox', async () => {
    const { url } = await start();
    const created = await create(url, 'V2-1', { method: 'qris', amount: 99000, metadata: { a: 1 } });
    expect(created.status).toBe(200);
    const txn = created.json;
    expect(txn).toMatchObject({
      project: PROJECT,
      order_id: 'V2-1',
      amount: 99000,
      fee: 1003,
      total_payment: 100003,
      payment_method: 'qris',
      va_number: null,
      is_sandbox: true,
      status: 'pending',
    });
    expect(txn.txn_id).toMatch(/^txn_[a-z0-9]{20}$/);
    expect(txn.payment_link).toBe(`${url}/pay-v2/${txn.txn_id}`);
    expect(parse(txn.qr_string ?? '').fields.amount).toBe('100003.00');
    expect(txn.expired_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  it('create-transaction: a VA method has va_number (retail its payment code), payment_link neither', async () => {
    const { url } = await start();
    const va = (await create(url, 'V2-VA', { method: 'permata_va', amount: 10000 })).json;
    expect(va).toMatchObject({ qr_string: null, fee: 3500, payment_method: 'permata_va' });
    expect(va.va_number).toMatch(/^8528\d{12}$/);
    const retail = (await create(url, 'V2-RETAIL', { method: 'retail', amount: 10000 })).json;
    expect(retail).toMatchObject({ qr_string: null, fee: 5000, va_number: expect.stringMatching(/^PKS/) });
    const link = (await create(url, 'V2-LINK', { method: 'payment_link', amount: 10000 })).json;
    expect(link).toMatchObject({
      qr_string: null,
      va_number: null,
      payment_method: 'payment_link',
      fee: 380,
    });
  });

  it('the same order id and amount returns the same transaction; another amount is 409', async () => {
    const { url } = await start();
    const first = await create(url, 'V2-IDEM', { method: 'qris', amount: 5000 });
    const second = await create(url, 'V2-IDEM', { method: 'qris', amount: 5000 });
    expect(second.json).toEqual(first.json);
    const conflict = await create(url, 'V2-IDEM', { method: 'qris', amount: 5001 });
    expect(conflict.status).toBe(409);
  });

  it('transaction-status: one call per 4 s per transaction, 429 with Retry-After beyond', async () => {
    const clock = manualClock();
    const { url } = await start({ now: clock.now });
    const a = (await create(url, 'V2-RL-A', { method: 'qris', amount: 5000 })).json;
    const b = (await create(url, 'V2-RL-B', { method: 'qris', amount: 5000 })).json;
    const status = (txnId: string) =>
      call<V2StatusResponse & ErrorResponse>(`${url}${V2_PATHS.status(PROJECT, txnId)}`, { headers: auth });
    const first = await status(a.txn_id);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      txn_id: a.txn_id,
      order_id: 'V2-RL-A',
      amount: 5000,
      is_sandbox: true,
      status: 'pending',
      completed_at: null,
    });
    clock.advance(1500);
    const limited = await status(a.txn_id);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.json.error).toMatch(/too many requests/);
    expect((await status(b.txn_id)).status).toBe(200); // per transaction
    clock.advance(2499);
    expect((await status(a.txn_id)).status).toBe(429);
    clock.advance(1);
    expect((await status(a.txn_id)).status).toBe(200);
  });

  it('transaction-status reports completion and expiry', async () => {
    const clock = manualClock();
    const sandboxHandle = await start({ now: clock.now, expiryMs: 60_000 });
    const { url } = sandboxHandle;
    const paid = (await create(url, 'V2-PAID', { method: 'qris', amount: 5000 })).json;
    const late = (await create(url, 'V2-LATE', { method: 'qris', amount: 5000 })).json;
    sandboxHandle.pay('V2-PAID');
    clock.advance(60_000);
    const status = (txnId: string) =>
      call<V2StatusResponse>(`${url}${V2_PATHS.status(PROJECT, txnId)}`, { headers: auth });
    expect((await status(paid.txn_id)).json).toMatchObject({
      status: 'completed',
      completed_at: expect.stringMatching(/\+07:00$/),
    });
    expect((await status(late.txn_id)).json.status).toBe('expired');
  });

  it('cancel-transaction cancels a pending transaction; again is 409', async () => {
    const { url } = await start();
    const txn = (await create(url, 'V2-C', { method: 'qris', amount: 5000 })).json;
    const cancel = () =>
      call<V2CancelResponse & ErrorResponse>(`${url}${V2_PATHS.cancel(PROJECT, txn.txn_id)}`, {
        method: 'POST',
        headers: auth,
      });
    const canceled = await cancel();
    expect(canceled).toMatchObject({ status: 200, json: { txn_id: txn.txn_id, status: 'canceled' } });
    const again = await cancel();
    expect(again.status).toBe(409);
    expect(again.json.error).toContain('canceled');
  });

  it('payment-fee is public and lists every method', async () => {
    const { url } = await start();
    const fees = await call<V2FeeResponse>(`${url}${V2_PATHS.fee(99000)}`);
    expect(fees.json.amount).toBe(99000);
    expect(fees.json.fees).toMatchObject({ qris: 1003, bni_va: 3500, retail: 5000, sampoerna_va: 2000 });
    expect(Object.keys(fees.json.fees)).toHaveLength(11);
    expect(fees.json.fees.qris).toBe(1003);
    expect((await call(`${url}${V2_PATHS.fee(200000)}`)).json).toMatchObject({ fees: { qris: 2000 } });
    expect((await call(`${url}/api/v2/payment-fee/0`)).status).toBe(400);
    expect((await call(`${url}/api/v2/payment-fee/12.5`)).status).toBe(400);
  });

  it('sends the v2 webhook with X-Secret', async () => {
    const hooks = await receiver();
    try {
      const sandboxHandle = await start({ webhookUrl: hooks.url, webhookSecret: SECRET });
      const txn = (await create(sandboxHandle.url, 'V2-HOOK', { method: 'qris', amount: 7000 })).json;
      sandboxHandle.pay(txn.txn_id);
      await hooks.next(1);
      const [hook] = hooks.requests;
      expect(hook?.headers['x-secret']).toBe(SECRET);
      expect(hook?.headers['x-pakasir-signature']).toBeUndefined();
      expect(JSON.parse(hook?.body ?? '')).toEqual({
        txn_id: txn.txn_id,
        order_id: 'V2-HOOK',
        amount: 7000,
        is_sandbox: true,
        status: 'completed',
        completed_at: expect.stringMatching(/\+07:00$/),
      });
    } finally {
      await hooks.close();
    }
  });

  it('works with the @quickcart/pakasir client (v2)', async () => {
    const { url } = await start();
    const client = new Pakasir({
      project: PROJECT,
      apiKey: API_KEY,
      baseUrl: url,
      apiVersion: 'v2',
      mode: 'sandbox',
    });
    const created = await client.createQris({ orderId: 'V2-CLIENT', amount: 99000 });
    expect(created).toMatchObject({ fee: 1003, total_payment: 100003, status: 'pending' });
    expect(created.payment_number).toContain('5409100003.00');
    start.current()?.pay('V2-CLIENT');
    const detail = await client.transactionDetail({ orderId: 'V2-CLIENT', amount: 99000 });
    expect(detail).toMatchObject({ status: 'completed', is_sandbox: true });
    expect(await client.fees(10000)).toMatchObject({ qris: 380 });
  });
});

describe('v2 error answers', () => {
  it('401 for a missing or wrong X-Api-Key, 404 for an unknown slug or txn_id', async () => {
    const { url } = await start();
    const txn = (await create(url, 'V2-E', { method: 'qris', amount: 5000 })).json;
    const body = { method: 'qris', amount: 5000 };
    expect((await create(url, 'V2-E2', body, {})).json).toEqual({ error: 'api key is required' });
    expect((await create(url, 'V2-E2', body, { 'X-Api-Key': 'nope' })).status).toBe(401);
    const otherSlug = await call(`${url}${V2_PATHS.create('other', 'V2-E2')}`, { body, headers: auth });
    expect(otherSlug).toMatchObject({ status: 404, json: { error: 'project not found: other' } });
    expect((await call(`${url}${V2_PATHS.status(PROJECT, txn.txn_id)}`)).status).toBe(401);
    expect((await call(`${url}${V2_PATHS.status(PROJECT, 'txn_nope')}`, { headers: auth })).status).toBe(404);
    expect((await call(`${url}${V2_PATHS.status('other', txn.txn_id)}`, { headers: auth })).status).toBe(404);
    const cancelUnknown = await call(`${url}${V2_PATHS.cancel(PROJECT, 'txn_nope')}`, {
      method: 'POST',
      headers: auth,
    });
    expect(cancelUnknown.status).toBe(404);
    expect((await call(`${url}${V2_PATHS.cancel(PROJECT, txn.txn_id)}`, { method: 'POST' })).status).toBe(
      401,
    );
  });

  it('400 for a bad method, amount, order id, metadata or JSON', async () => {
    const { url } = await start();
    const expect400 = async (orderId: string, init: { body?: unknown; raw?: string }, message: RegExp) => {
      const response = await call<ErrorResponse>(`${url}${V2_PATHS.create(PROJECT, orderId)}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        ...init,
      });
      expect(response.status).toBe(400);
      expect(response.json.error).toMatch(message);
    };
    await expect400('B-1', { body: { method: 'gopay', amount: 5000 } }, /unknown payment method/);
    await expect400('B-1', { body: { amount: 5000 } }, /unknown payment method undefined/);
    await expect400('B-1', { body: { method: 'qris', amount: 0 } }, /amount/);
    await expect400('B-1', { body: { method: 'qris', amount: 1.5 } }, /amount/);
    await expect400('B-1', { body: { method: 'qris', amount: '5000' } }, /amount/);
    await expect400('B-1', { body: { method: 'qris', amount: 5000, metadata: 'x' } }, /metadata/);
    await expect400('B-1', { raw: '{"method":' }, /malformed JSON/);
    await expect400('B-1', { raw: '' }, /malformed JSON/);
    await expect400('x'.repeat(65), { body: { method: 'qris', amount: 5000 } }, /at most 64/);
  });
});
