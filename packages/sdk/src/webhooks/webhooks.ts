// Verifying QuickCart's webhooks: raw body, both signature schemes, constant-time comparison,
// timestamp tolerance (Standard Webhooks), and signed test requests for users' own tests.
import { WebhookVerificationError } from '../errors.js';
import { fromBase64, fromHex, timingSafeEqual, utf8 } from './encoding.js';
import type { WebhookEvent } from './events.js';
import {
  checkSecret,
  hmacSha256,
  KGITON_SIGNATURE_HEADER,
  KGITON_SIGNATURE_NEXT_HEADER,
  kgitonKey,
  signKgiton,
  signStandard,
  standardSignedContent,
  standardWebhooksKey,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './signing.js';

/** The request body exactly as received: a string, a Buffer, any Uint8Array or an ArrayBuffer. */
export type RawBody = string | Uint8Array | ArrayBuffer;

/** Request headers: a fetch `Headers`, or Node's `req.headers` (any case, arrays allowed). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** Which signature to check. `auto`: Standard Webhooks when its headers are there, else `x-kgiton-signature`. */
export type SignatureScheme = 'auto' | 'standard-webhooks' | 'x-kgiton-signature';

/** Options of `verify()` and `constructEvent()`. */
export interface VerifyOptions {
  /** Default `auto`. Require `standard-webhooks` to refuse replays: only it signs a timestamp. */
  scheme?: SignatureScheme | undefined;
  /** Largest accepted difference between `webhook-timestamp` and now, in seconds (default 300). */
  toleranceSeconds?: number | undefined;
}

/** What a verified webhook was signed with. */
export interface VerifiedWebhook {
  scheme: Exclude<SignatureScheme, 'auto'>;
  /** `webhook-id` (the same for every attempt of one event: dedupe on it), or null. */
  id: string | null;
  /** `webhook-timestamp` in seconds, or null. */
  timestamp: number | null;
}

/** Options of `generateTestHeaders()`. */
export interface TestHeadersOptions {
  /** The exact body you will send. */
  payload: string;
  secret: string;
  /** Default: a random `msg_…`. */
  id?: string | undefined;
  /** Seconds since the epoch (default: now). */
  timestamp?: number | undefined;
}

/** Options of `new Webhooks()`. */
export interface WebhooksOptions {
  /** Default for `toleranceSeconds` (300). */
  toleranceSeconds?: number | undefined;
  /** The clock in ms (tests). */
  now?: (() => number) | undefined;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

const fail = (reason: WebhookVerificationError['reason'], message: string): never => {
  throw new WebhookVerificationError(reason, message);
};

/** The bytes of the raw body; refuses parsed objects, whose bytes are gone. */
function bodyBytes(raw: unknown): Uint8Array<ArrayBuffer> {
  if (typeof raw === 'string') return utf8(raw);
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw.slice(0));
  if (ArrayBuffer.isView(raw))
    return new Uint8Array(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
  return fail(
    'PARSED_BODY',
    `the body must be the raw request body (string, Buffer, Uint8Array or ArrayBuffer), got ${raw === null ? 'null' : typeof raw}: the signature covers the exact bytes, so pass them before any JSON parsing (Express: express.raw({ type: 'application/json' }))`,
  );
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? record[Object.keys(record).find((k) => k.toLowerCase() === name) ?? ''];
  return Array.isArray(value) ? value[0] : value;
}

async function verifyKgiton(body: Uint8Array<ArrayBuffer>, headers: WebhookHeaders, secret: string) {
  const given = [KGITON_SIGNATURE_HEADER, KGITON_SIGNATURE_NEXT_HEADER]
    .map((name) => header(headers, name)?.trim())
    .filter((value): value is string => value !== undefined && value !== '');
  if (given.length === 0) fail('MISSING_SIGNATURE', `no ${KGITON_SIGNATURE_HEADER} header`);
  const expected = await hmacSha256(kgitonKey(secret), body);
  let matched = false;
  for (const signature of given)
    matched = timingSafeEqual(fromHex(signature) ?? new Uint8Array(), expected) || matched;
  if (!matched) fail('INVALID_SIGNATURE', `${KGITON_SIGNATURE_HEADER} does not match the body and secret`);
}

async function verifyStandard(
  body: Uint8Array<ArrayBuffer>,
  headers: WebhookHeaders,
  secret: string,
  tolerance: { seconds: number; nowMs: number },
): Promise<{ id: string; timestamp: number }> {
  const key = standardWebhooksKey(secret);
  const id = header(headers, WEBHOOK_ID_HEADER);
  const timestamp = header(headers, WEBHOOK_TIMESTAMP_HEADER);
  const signatures = header(headers, WEBHOOK_SIGNATURE_HEADER);
  if (!id || !timestamp || !signatures) {
    return fail(
      'MISSING_SIGNATURE',
      `${WEBHOOK_ID_HEADER}, ${WEBHOOK_TIMESTAMP_HEADER} and ${WEBHOOK_SIGNATURE_HEADER} are all required`,
    );
  }
  const expected = await hmacSha256(key, standardSignedContent(id, timestamp, body));
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || signature === undefined) continue;
    matched = timingSafeEqual(fromBase64(signature) ?? new Uint8Array(), expected) || matched;
  }
  if (!matched)
    fail('INVALID_SIGNATURE', `no v1 signature in ${WEBHOOK_SIGNATURE_HEADER} matches the body and secret`);
  if (!/^\d{1,12}$/.test(timestamp))
    fail('INVALID_TIMESTAMP', `${WEBHOOK_TIMESTAMP_HEADER} is not whole seconds`);
  const seconds = Number(timestamp);
  const skew = Math.floor(tolerance.nowMs / 1000) - seconds;
  if (skew > tolerance.seconds) {
    fail(
      'TIMESTAMP_TOO_OLD',
      `signed ${skew} s ago, more than the tolerance of ${tolerance.seconds} s (a replay?)`,
    );
  }
  if (-skew > tolerance.seconds) {
    fail(
      'TIMESTAMP_TOO_NEW',
      `signed ${-skew} s in the future, more than the tolerance of ${tolerance.seconds} s`,
    );
  }
  return { id, timestamp: seconds };
}

/**
 * Webhook verification, usable without a client (`new Webhooks()`) or as `qc.webhooks`.
 * @example
 * // node:http / Express with express.raw({ type: 'application/json' }): pass the raw bytes
 * const event = await qc.webhooks.constructEvent(rawBody, req.headers, process.env.QUICKCART_WEBHOOK_SECRET!);
 * if (event.event === 'payment.success') await markPaid(event.transaction_id);
 */
export class Webhooks {
  readonly #toleranceSeconds: number;
  readonly #now: () => number;

  constructor(options: WebhooksOptions = {}) {
    this.#toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    this.#now = options.now ?? (() => Date.now());
  }

  /**
   * Checks the webhook's signature over the raw body, in constant time; throws
   * `WebhookVerificationError` (answer 400) when it is not QuickCart's, or too old.
   * @example await qc.webhooks.verify(rawBody, req.headers, secret); // then act on it
   */
  async verify(
    rawBody: RawBody,
    headers: WebhookHeaders,
    secret: string,
    options: VerifyOptions = {},
  ): Promise<VerifiedWebhook> {
    const body = bodyBytes(rawBody);
    checkSecret(secret);
    const scheme = options.scheme ?? 'auto';
    const standard =
      scheme === 'standard-webhooks' ||
      (scheme === 'auto' && header(headers, WEBHOOK_SIGNATURE_HEADER) !== undefined);
    if (standard) {
      const tolerance = { seconds: options.toleranceSeconds ?? this.#toleranceSeconds, nowMs: this.#now() };
      return { scheme: 'standard-webhooks', ...(await verifyStandard(body, headers, secret, tolerance)) };
    }
    await verifyKgiton(body, headers, secret);
    return { scheme: 'x-kgiton-signature', id: header(headers, WEBHOOK_ID_HEADER) ?? null, timestamp: null };
  }

  /**
   * `verify()`, then the parsed event.
   * @example
   * const event = await qc.webhooks.constructEvent(rawBody, req.headers, secret);
   * switch (event.event) { case 'payment.success': …; }
   */
  async constructEvent(
    rawBody: RawBody,
    headers: WebhookHeaders,
    secret: string,
    options: VerifyOptions = {},
  ): Promise<WebhookEvent> {
    await this.verify(rawBody, headers, secret, options);
    const text = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(bodyBytes(rawBody));
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      return fail('INVALID_PAYLOAD', 'the body is not JSON');
    }
    if (
      typeof event !== 'object' ||
      event === null ||
      typeof (event as { event?: unknown }).event !== 'string'
    ) {
      return fail('INVALID_PAYLOAD', 'the body is not a JSON object with an `event` name');
    }
    return event as WebhookEvent;
  }

  /**
   * The headers QuickCart would send with `payload`, both schemes, for your own tests.
   * @example
   * const payload = JSON.stringify({ event: 'payment.success', payment_id: 'pay_1', transaction_id: 'TRX-1', amount: 50000, payment_type: 'QRIS', paid_at: new Date().toISOString() });
   * const headers = await qc.webhooks.generateTestHeaders({ payload, secret });
   * await fetch('http://localhost:3000/api/webhook/payment', { method: 'POST', headers, body: payload });
   */
  async generateTestHeaders(options: TestHeadersOptions): Promise<Record<string, string>> {
    checkSecret(options.secret);
    const body = utf8(options.payload);
    const id = options.id ?? `msg_${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
    const timestamp = String(options.timestamp ?? Math.floor(this.#now() / 1000));
    return {
      'content-type': 'application/json',
      [KGITON_SIGNATURE_HEADER]: await signKgiton(body, options.secret),
      [WEBHOOK_ID_HEADER]: id,
      [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
      [WEBHOOK_SIGNATURE_HEADER]: await signStandard(id, timestamp, body, options.secret),
    };
  }
}
