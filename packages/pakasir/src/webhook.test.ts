import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PakasirWebhookError } from './errors.js';
import { parseWebhook, signV1Webhook, timingSafeEqual } from './webhook.js';

const SECRET = 'whsec_test_123';
const v1Body = JSON.stringify({
  amount: 22000,
  order_id: 'tg12345-250910HDE7C9',
  project: 'depodomain',
  status: 'completed',
  payment_method: 'qris',
  completed_at: '2025-09-10T08:07:02.819+07:00',
  metadata: { telegram_id: 12345, telegram_username: 'ghost_user' },
});
const v2Body = JSON.stringify({
  txn_id: 'txn_abc',
  order_id: 'INV-9',
  amount: 50000,
  is_sandbox: true,
  status: 'completed',
  completed_at: '2026-01-01T00:00:00Z',
});
const hmac = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');

describe('parseWebhook', () => {
  it('types a v1 webhook (seed 001 payload with metadata) and checks its signature', async () => {
    const event = await parseWebhook(v1Body, { 'X-Pakasir-Signature': hmac(v1Body) }, { secret: SECRET });
    expect(event).toMatchObject({
      version: 'v1',
      orderId: 'tg12345-250910HDE7C9',
      amount: 22000,
      status: 'completed',
      project: 'depodomain',
      paymentMethod: 'qris',
      metadata: { telegram_id: 12345 },
    });
  });

  it('accepts the sha256= prefix, Buffers, Uint8Arrays and Headers objects', async () => {
    const headers = new Headers({ 'x-pakasir-signature': `sha256=${hmac(v1Body)}` });
    await expect(parseWebhook(Buffer.from(v1Body), headers, { secret: SECRET })).resolves.toMatchObject({
      version: 'v1',
    });
    await expect(
      parseWebhook(new TextEncoder().encode(v1Body), headers, { secret: SECRET }),
    ).resolves.toMatchObject({ version: 'v1' });
  });

  it('refuses a forged or missing signature, and a body changed after signing', async () => {
    await expect(
      parseWebhook(v1Body, { 'x-pakasir-signature': '00'.repeat(32) }, { secret: SECRET }),
    ).rejects.toThrow(/signature does not match/);
    await expect(parseWebhook(v1Body, {}, { secret: SECRET })).rejects.toThrow(
      /no x-pakasir-signature header/,
    );
    const tampered = v1Body.replace('22000', '2200');
    await expect(
      parseWebhook(tampered, { 'x-pakasir-signature': hmac(v1Body) }, { secret: SECRET }),
    ).rejects.toThrow(PakasirWebhookError);
  });

  it('checks the v2 X-Secret header in constant time', async () => {
    await expect(parseWebhook(v2Body, { 'x-secret': SECRET }, { secret: SECRET })).resolves.toMatchObject({
      version: 'v2',
      txnId: 'txn_abc',
      isSandbox: true,
    });
    await expect(parseWebhook(v2Body, { 'x-secret': 'wrong' }, { secret: SECRET })).rejects.toThrow(
      /does not match/,
    );
  });

  it('refuses a parsed object, non-JSON and malformed payloads with a clear message', async () => {
    await expect(parseWebhook(JSON.parse(v1Body), {})).rejects.toThrow(/raw request body/);
    await expect(parseWebhook('not json', {})).rejects.toThrow(/not JSON/);
    await expect(parseWebhook('{"order_id":"A","amount":-5,"status":"completed"}', {})).rejects.toThrow(
      /amount/,
    );
    await expect(parseWebhook('{"order_id":"A","amount":5,"status":"paid"}', {})).rejects.toThrow(
      /unknown status/,
    );
  });

  it('signs like node:crypto', async () => {
    expect(await signV1Webhook(v1Body, SECRET)).toBe(hmac(v1Body));
  });
});

describe('timingSafeEqual', () => {
  it('compares contents and lengths', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'abcd')).toBe(false);
    expect(timingSafeEqual('', 'a')).toBe(false);
    expect(timingSafeEqual('', '')).toBe(true);
  });
});
