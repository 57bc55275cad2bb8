import { createHmac } from 'node:crypto';

/**
 * The bytes of a partner webhook and their signatures. Two schemes over the same raw body:
 * - `x-kgiton-signature`: hex HMAC-SHA256 of the body, keyed with the partner's webhook secret
 *   string as is (what seed 004's `verifyWebhook(payload, signature, secret)` checks);
 * - Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`,
 *   keyed with the base64-decoded part of `whsec_…` (what the `standardwebhooks` package checks).
 * While a rotated-out secret is still valid (24 h), `x-kgiton-signature` keeps using it, so a
 * receiver running the seed snippet with the old secret keeps working, `x-kgiton-signature-next`
 * carries the new one, and `webhook-signature` lists both (new first): receivers switch whenever.
 */

/** The secrets a delivery is signed with: the current one, and the previous one while valid. */
export interface SigningSecrets {
  current: string;
  previous?: string | null | undefined;
}

/** Field order of the body (jsonb does not keep key order): seed 004's order, `signature` last. */
const FIELD_ORDER = [
  'event',
  'payment_id',
  'transaction_id',
  'amount',
  'payment_type',
  'paid_at',
  'expired_at',
  'cancelled_at',
  'message',
  'sent_at',
] as const;

/** Hex HMAC-SHA256 of `body` keyed with `secret` (seed 004's scheme). */
export function kgitonSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** The HMAC key of a Standard Webhooks secret: the base64 after `whsec_`. */
function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/** One Standard Webhooks signature, `v1,<base64>`. */
export function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', standardKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8');
  return `v1,${mac.digest('base64')}`;
}

/**
 * The raw body of an event: its fields in seed 004's order, then `signature`, the hex HMAC of the
 * same JSON without `signature` (for receivers that only see parsed JSON; verify the header over
 * the raw body when you can). Keyed like `x-kgiton-signature`.
 * @example
 * webhookBody({ event: 'payment.success', payment_id: 'pay_1', amount: 50000 }, 'whsec_…')
 * // '{"event":"payment.success","payment_id":"pay_1","amount":50000,"signature":"9f…"}'
 */
export function webhookBody(payload: Record<string, unknown>, secret: string): string {
  const ordered: Record<string, unknown> = {};
  for (const field of FIELD_ORDER) if (field in payload) ordered[field] = payload[field];
  for (const [field, value] of Object.entries(payload)) if (!(field in ordered)) ordered[field] = value;
  delete ordered.signature;
  const unsigned = JSON.stringify(ordered);
  return JSON.stringify({ ...ordered, signature: kgitonSignature(secret, unsigned) });
}

/** Options of `signedRequest()`. */
export interface SignOptions {
  payload: Record<string, unknown>;
  secrets: SigningSecrets;
  /** The `webhook-id`: the same for every attempt of one event. */
  id: string;
  /** When this attempt is sent. */
  at: Date;
}

/** The body and headers of one attempt. */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/**
 * The body and headers of one delivery attempt (a fresh timestamp each attempt, the same id).
 * @example
 * const { body, headers } = signedRequest({ payload, secrets: { current: secret }, id: 'msg_…', at: new Date() });
 */
export function signedRequest(options: SignOptions): SignedRequest {
  const { secrets, id } = options;
  const legacy = secrets.previous ?? secrets.current;
  const body = webhookBody(options.payload, legacy);
  const timestamp = Math.floor(options.at.getTime() / 1000);
  const signatures = [secrets.current, ...(secrets.previous ? [secrets.previous] : [])].map((secret) =>
    standardSignature(secret, id, timestamp, body),
  );
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'QuickCart-Webhooks/1',
      'x-kgiton-signature': kgitonSignature(legacy, body),
      ...(secrets.previous && { 'x-kgiton-signature-next': kgitonSignature(secrets.current, body) }),
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatures.join(' '),
    },
  };
}
