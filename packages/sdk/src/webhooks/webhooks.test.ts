import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError as SwError, Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { UsageError, WebhookVerificationError } from '../errors.js';
import { Webhooks } from './webhooks.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const OTHER_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const NOW_MS = Date.parse('2026-01-15T10:25:00Z');
const NOW_S = Math.floor(NOW_MS / 1000);
const BODY = JSON.stringify({
  event: 'payment.success',
  payment_id: 'pay_abc',
  transaction_id: 'TRX-2026-001',
  amount: 50000,
  payment_type: 'QRIS',
  paid_at: '2026-01-15T10:25:00.000Z',
  signature: 'ab',
});

/** Seed 004's own verifier, verbatim: what partners already run. */
function verifyWebhook(payload: string, signature: string, secret: string): boolean {
  const expectedSignature = createHmac('sha256', secret).update(payload).digest('hex');
  return timingSafeEqual(Buffer.from(signature), Buffer.from(expectedSignature));
}

const webhooks = new Webhooks({ now: () => NOW_MS });

/** Headers as the standardwebhooks reference library signs them. */
function referenceHeaders(body: string, options: { secret?: string; at?: number; id?: string } = {}) {
  const id = options.id ?? 'msg_1';
  const at = options.at ?? NOW_S;
  const signature = new Webhook(options.secret ?? SECRET).sign(id, new Date(at * 1000), body);
  return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': signature };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as WebhookVerificationError).reason;
};

describe('Standard Webhooks', () => {
  it('accepts what the reference library signs, as string, Buffer, Uint8Array and ArrayBuffer', async () => {
    const headers = referenceHeaders(BODY);
    const bytes = new TextEncoder().encode(BODY);
    for (const raw of [BODY, Buffer.from(BODY), bytes, bytes.buffer]) {
      expect(await webhooks.verify(raw, headers, SECRET)).toEqual({
        scheme: 'standard-webhooks',
        id: 'msg_1',
        timestamp: NOW_S,
      });
    }
    // A Uint8Array that is a window on a larger buffer: only its own bytes count.
    const padded = Buffer.concat([Buffer.from('xx'), Buffer.from(BODY), Buffer.from('yy')]);
    expect((await webhooks.verify(padded.subarray(2, padded.length - 2), headers, SECRET)).scheme).toBe(
      'standard-webhooks',
    );
  });

  it('signs what the reference library accepts (generateTestHeaders)', async () => {
    const realNow = new Webhooks();
    const headers = await realNow.generateTestHeaders({ payload: BODY, secret: SECRET, id: 'msg_test' });
    expect(new Webhook(SECRET).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    expect(headers['webhook-id']).toBe('msg_test');
    expect(verifyWebhook(BODY, headers['x-kgiton-signature'] as string, SECRET)).toBe(true);
    expect(() => new Webhook(OTHER_SECRET).verify(BODY, headers)).toThrow(SwError);
  });

  it('refuses a tampered body, a wrong secret, a changed id and a forged signature', async () => {
    const headers = referenceHeaders(BODY);
    expect(await refusal(webhooks.verify(BODY.replace('50000', '90000'), headers, SECRET))).toBe(
      'INVALID_SIGNATURE',
    );
    expect(await refusal(webhooks.verify(BODY, headers, OTHER_SECRET))).toBe('INVALID_SIGNATURE');
    expect(await refusal(webhooks.verify(BODY, { ...headers, 'webhook-id': 'msg_2' }, SECRET))).toBe(
      'INVALID_SIGNATURE',
    );
    const forged = { ...headers, 'webhook-signature': `v1,${randomBytes(32).toString('base64')}` };
    expect(await refusal(webhooks.verify(BODY, forged, SECRET))).toBe('INVALID_SIGNATURE');
    const otherVersion = {
      ...headers,
      'webhook-signature': headers['webhook-signature'].replace('v1,', 'v2,'),
    };
    expect(await refusal(webhooks.verify(BODY, otherVersion, SECRET))).toBe('INVALID_SIGNATURE');
  });

  it('refuses old and future timestamps beyond the tolerance, and accepts within it', async () => {
    const old = referenceHeaders(BODY, { at: NOW_S - 301 });
    expect(await refusal(webhooks.verify(BODY, old, SECRET))).toBe('TIMESTAMP_TOO_OLD');
    const future = referenceHeaders(BODY, { at: NOW_S + 301 });
    expect(await refusal(webhooks.verify(BODY, future, SECRET))).toBe('TIMESTAMP_TOO_NEW');
    expect((await webhooks.verify(BODY, referenceHeaders(BODY, { at: NOW_S - 299 }), SECRET)).timestamp).toBe(
      NOW_S - 299,
    );
    // Old ones pass when the caller widens the tolerance (e.g. replaying from a log on purpose).
    expect((await webhooks.verify(BODY, old, SECRET, { toleranceSeconds: 3600 })).scheme).toBe(
      'standard-webhooks',
    );
    const garbage = { ...referenceHeaders(BODY), 'webhook-timestamp': 'yesterday' };
    expect(await refusal(webhooks.verify(BODY, garbage, SECRET))).toBe('INVALID_SIGNATURE');
  });

  it('accepts any of several signatures (secret rotation) and reads Headers and array values', async () => {
    const headers = referenceHeaders(BODY);
    const rotated = new Webhook(OTHER_SECRET).sign('msg_1', new Date(NOW_MS), BODY);
    const both = `${rotated} ${headers['webhook-signature']}`;
    expect(
      (await webhooks.verify(BODY, new Headers({ ...headers, 'webhook-signature': both }), SECRET)).id,
    ).toBe('msg_1');
    const nodeStyle = {
      'Webhook-Id': ['msg_1'],
      'WEBHOOK-TIMESTAMP': String(NOW_S),
      'webhook-signature': [both],
    };
    expect((await webhooks.verify(BODY, nodeStyle, SECRET)).id).toBe('msg_1');
  });

  it('requires all three headers when asked for the scheme', async () => {
    const { 'webhook-timestamp': _dropped, ...headers } = referenceHeaders(BODY);
    expect(await refusal(webhooks.verify(BODY, headers, SECRET))).toBe('MISSING_SIGNATURE');
    const kgiton = { 'x-kgiton-signature': createHmac('sha256', SECRET).update(BODY).digest('hex') };
    expect(await refusal(webhooks.verify(BODY, kgiton, SECRET, { scheme: 'standard-webhooks' }))).toBe(
      'MISSING_SIGNATURE',
    );
  });
});

describe('x-kgiton-signature', () => {
  const signature = createHmac('sha256', SECRET).update(BODY).digest('hex');

  it('accepts the hex HMAC of seed 004, in either case', async () => {
    for (const value of [signature, signature.toUpperCase()]) {
      expect(await webhooks.verify(BODY, { 'x-kgiton-signature': value }, SECRET)).toEqual({
        scheme: 'x-kgiton-signature',
        id: null,
        timestamp: null,
      });
    }
  });

  it('accepts x-kgiton-signature-next while the secret rotates', async () => {
    const headers = {
      'x-kgiton-signature': createHmac('sha256', OTHER_SECRET).update(BODY).digest('hex'),
      'x-kgiton-signature-next': signature,
    };
    expect((await webhooks.verify(BODY, headers, SECRET)).scheme).toBe('x-kgiton-signature');
  });

  it('refuses tampered bodies, wrong secrets, non-hex and missing signatures', async () => {
    expect(await refusal(webhooks.verify(`${BODY} `, { 'x-kgiton-signature': signature }, SECRET))).toBe(
      'INVALID_SIGNATURE',
    );
    expect(await refusal(webhooks.verify(BODY, { 'x-kgiton-signature': signature }, OTHER_SECRET))).toBe(
      'INVALID_SIGNATURE',
    );
    expect(await refusal(webhooks.verify(BODY, { 'x-kgiton-signature': 'zz' }, SECRET))).toBe(
      'INVALID_SIGNATURE',
    );
    expect(await refusal(webhooks.verify(BODY, { 'x-kgiton-signature': signature.slice(2) }, SECRET))).toBe(
      'INVALID_SIGNATURE',
    );
    expect(await refusal(webhooks.verify(BODY, {}, SECRET))).toBe('MISSING_SIGNATURE');
  });

  it('works with any secret string, as seed 004 keys it', async () => {
    const plain = 'your_webhook_secret';
    const headers = { 'x-kgiton-signature': createHmac('sha256', plain).update(BODY).digest('hex') };
    expect((await webhooks.verify(BODY, headers, plain)).scheme).toBe('x-kgiton-signature');
  });
});

describe('misuse', () => {
  it('refuses an already parsed body with a message that says what to do', async () => {
    const headers = referenceHeaders(BODY);
    const error = await webhooks.verify(JSON.parse(BODY), headers, SECRET).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ reason: 'PARSED_BODY' });
    expect((error as Error).message).toMatch(/raw request body.*express\.raw/);
    for (const bad of [null, undefined, 42]) {
      expect(await refusal(webhooks.verify(bad as unknown as string, headers, SECRET))).toBe('PARSED_BODY');
    }
  });

  it('says so when the secret is missing or not a Standard Webhooks secret, without echoing it', async () => {
    const headers = referenceHeaders(BODY);
    await expect(webhooks.verify(BODY, headers, '')).rejects.toBeInstanceOf(UsageError);
    const error = await webhooks.verify(BODY, headers, 'not base64 at all!').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain('not base64 at all!');
  });
});

describe('constructEvent', () => {
  it('returns the typed event of a verified body', async () => {
    const event = await webhooks.constructEvent(Buffer.from(BODY), referenceHeaders(BODY), SECRET);
    expect(event.event).toBe('payment.success');
    if (event.event !== 'payment.success') throw new Error('narrowing');
    expect(event.paid_at).toBe('2026-01-15T10:25:00.000Z');
    expect(event.transaction_id).toBe('TRX-2026-001');
  });

  it('refuses a verified body that is not a JSON event', async () => {
    for (const body of ['not json', '[1,2]', '{"no_event":true}']) {
      expect(await refusal(webhooks.constructEvent(body, referenceHeaders(body), SECRET))).toBe(
        'INVALID_PAYLOAD',
      );
    }
  });

  it('does not parse an unverified body', async () => {
    const headers = referenceHeaders(BODY, { secret: OTHER_SECRET });
    expect(await refusal(webhooks.constructEvent(BODY, headers, SECRET))).toBe('INVALID_SIGNATURE');
  });
});
