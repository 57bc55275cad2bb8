import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys } from '../../src/db/schema.js';
import { canonicalJson } from '../../src/http/idempotency.js';
import { describeEachDatabase } from '../databases.js';
import { auth, type Harness, partnerBody, startHarness } from '../http-harness.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describeEachDatabase('Idempotency-Key', (getDatabase) => {
  let h: Harness;
  let clock = Date.parse('2026-01-15T03:00:00Z');
  beforeAll(async () => {
    h = await startHarness(getDatabase(), { tokens: 100, now: () => new Date(clock) });
  });
  afterAll(() => h.close());

  const post = (
    key: string | undefined,
    payload: unknown,
    partner = h.partner,
    url = '/v1/partner/payments',
  ) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: auth(partner, key === undefined ? {} : { 'idempotency-key': key }),
      payload: payload as Record<string, unknown>,
    });

  it('replays the first answer for the same key and body, spending one token', async () => {
    const body = partnerBody(h.partner);
    const tokens = h.fake.tokens(h.partner.licenseKey);
    const first = await post('key-replay', body);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await post('key-replay', reordered);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(h.fake.tokens(h.partner.licenseKey)).toBe(tokens - 1);
    expect(
      h.fake.calls.filter(
        (c) =>
          c.method === 'create' && (c.arg as { transactionId: string }).transactionId === body.transaction_id,
      ),
    ).toHaveLength(1);

    const [row] = await getDatabase()
      .db.select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.partnerId, h.partner.partnerId), eq(idempotencyKeys.key, 'key-replay')));
    expect(row?.statusCode).toBe(201);
    expect(row?.response).toEqual(first.json());
  });

  it('answers 409 IDEMPOTENCY_KEY_REUSED for another body or another route', async () => {
    const body = partnerBody(h.partner);
    expect((await post('key-reused', body)).statusCode).toBe(201);
    const other = await post('key-reused', { ...body, amount: 60_000 });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ success: false, code: 'IDEMPOTENCY_KEY_REUSED' });
    const elsewhere = await post(
      'key-reused',
      { license_key: h.partner.licenseKey, amount: 5000 },
      h.partner,
      '/v1/payments/qris',
    );
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('scopes keys per partner', async () => {
    expect((await post('key-shared', partnerBody(h.partner))).statusCode).toBe(201);
    const theirs = await post('key-shared', partnerBody(h.other), h.other);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('answers 409 while the first request with the key still runs, then replays it', async () => {
    let release = () => {};
    h.fake.createGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const body = partnerBody(h.partner);
    const first = post('key-concurrent', body);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const concurrent = await post('key-concurrent', body);
    expect(concurrent.statusCode).toBe(409);
    expect(concurrent.json()).toMatchObject({ code: 'CONFLICT', details: { in_progress: true } });
    h.fake.createGate = undefined;
    release();
    const done = await first;
    expect(done.statusCode).toBe(201);
    const replay = await post('key-concurrent', body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(done.json());
  });

  it('does not keep a 5xx answer: a retry after a gateway failure runs again', async () => {
    const body = partnerBody(h.partner);
    h.fake.failNextCreate = true;
    const failed = await post('key-502', body);
    expect(failed.statusCode).toBe(502);
    const retried = await post('key-502', body);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });

  it('replays a 4xx answer like any other', async () => {
    const body = partnerBody(h.partner, { amount: 10 });
    const first = await post('key-400', body);
    expect(first.statusCode).toBe(400);
    const second = await post('key-400', body);
    expect(second.statusCode).toBe(400);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
  });

  it('forgets a key after 24 hours', async () => {
    expect((await post('key-old', partnerBody(h.partner))).statusCode).toBe(201);
    clock += 24 * 60 * 60 * 1000 + 1000;
    const fresh = await post('key-old', partnerBody(h.partner));
    expect(fresh.statusCode).toBe(201);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
  });

  it('takes over a claim abandoned by a crashed request', async () => {
    await getDatabase()
      .db.insert(idempotencyKeys)
      .values({
        partnerId: h.partner.partnerId,
        key: 'key-abandoned',
        requestHash: 'whatever',
        createdAt: new Date(clock - 10 * 60_000),
      });
    expect((await post('key-abandoned', partnerBody(h.partner))).statusCode).toBe(201);
  });

  it('refuses a malformed key with 400 VALIDATION_ERROR', async () => {
    const res = await post('x'.repeat(256), partnerBody(h.partner));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_ERROR');
  });

  it('works on the other POST routes (cancel)', async () => {
    const created = (await post(undefined, partnerBody(h.partner))).json();
    const url = `/v1/payments/${created.payment_id}/cancel`;
    const first = await post('key-cancel', undefined, h.partner, url);
    expect(first.statusCode).toBe(200);
    const second = await post('key-cancel', undefined, h.partner, url);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
  });

  it('logged no errors along the way', () => {
    const errors = h.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  });
});
