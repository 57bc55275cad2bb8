import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { acceptedBySeed } from '../../../test/webhooks/seed-verify.js';
import { generateWebhookSecret } from '../../payments/keys.js';
import { kgitonSignature, signedRequest, webhookBody } from './signing.js';

const payload = {
  // jsonb hands keys back in its own order: the body must not depend on it.
  paid_at: '2026-01-15T10:25:00.000Z',
  amount: 50000,
  event: 'payment.success',
  payment_type: 'QRIS',
  transaction_id: 'TRX-2026-001',
  payment_id: 'pay_abc',
};

function standardAccepts(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

describe('webhook signatures', () => {
  it('writes seed 004’s payload in its order, with a signature of the rest', () => {
    const secret = 'whsec_dGVzdA==';
    const body = webhookBody(payload, secret);
    expect(Object.keys(JSON.parse(body))).toEqual([
      'event',
      'payment_id',
      'transaction_id',
      'amount',
      'payment_type',
      'paid_at',
      'signature',
    ]);
    const { signature, ...rest } = JSON.parse(body) as Record<string, unknown>;
    expect(signature).toBe(kgitonSignature(secret, JSON.stringify(rest)));
    // A known vector: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    expect(kgitonSignature('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('is accepted by seed 004’s verifyWebhook and by the standardwebhooks package, and by nothing else', () => {
    const secret = generateWebhookSecret();
    const { body, headers } = signedRequest({
      payload,
      secrets: { current: secret },
      id: 'msg_1',
      at: new Date(),
    });
    expect(acceptedBySeed(body, headers['x-kgiton-signature'], secret)).toBe(true);
    expect(standardAccepts(secret, body, headers)).toBe(true);
    expect(headers['x-kgiton-signature-next']).toBeUndefined();

    const other = generateWebhookSecret();
    expect(acceptedBySeed(body, headers['x-kgiton-signature'], other)).toBe(false);
    expect(standardAccepts(other, body, headers)).toBe(false);
    const tampered = body.replace('50000', '50001');
    expect(acceptedBySeed(tampered, headers['x-kgiton-signature'], secret)).toBe(false);
    expect(standardAccepts(secret, tampered, headers)).toBe(false);
    expect(standardAccepts(secret, body, { ...headers, 'webhook-id': 'msg_2' })).toBe(false);
  });

  it('keeps the previous secret valid beside the new one while a rotation is in its grace period', () => {
    const previous = generateWebhookSecret();
    const current = generateWebhookSecret();
    const { body, headers } = signedRequest({
      payload,
      secrets: { current, previous },
      id: 'msg_1',
      at: new Date(),
    });
    // The seed snippet with the old secret keeps working; the new secret signs the -next header.
    expect(acceptedBySeed(body, headers['x-kgiton-signature'], previous)).toBe(true);
    expect(acceptedBySeed(body, headers['x-kgiton-signature-next'], current)).toBe(true);
    expect(standardAccepts(previous, body, headers)).toBe(true);
    expect(standardAccepts(current, body, headers)).toBe(true);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
  });

  it('signs each attempt with its own timestamp, which standardwebhooks checks', () => {
    const secret = generateWebhookSecret();
    const old = signedRequest({
      payload,
      secrets: { current: secret },
      id: 'msg_1',
      at: new Date(Date.now() - 10 * 60_000),
    });
    expect(standardAccepts(secret, old.body, old.headers)).toBe(false);
    expect(acceptedBySeed(old.body, old.headers['x-kgiton-signature'], secret)).toBe(true);
  });
});
