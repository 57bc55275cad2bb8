// Inbound Pakasir webhooks: parse, authenticate (v1 HMAC signature or v2 shared secret), type.
// WebCrypto only, so it runs on Node, Deno, Bun and edge runtimes.
import { PakasirWebhookError } from './errors.js';
import {
  type Metadata,
  PAYMENT_METHODS,
  type PaymentMethod,
  TRANSACTION_STATUSES,
  type TransactionStatus,
  V1_SIGNATURE_HEADER,
  type V1WebhookPayload,
  V2_SECRET_HEADER,
  type V2WebhookPayload,
} from './protocol.js';

/** A webhook, typed, with the fields both versions share lifted out. */
export type WebhookEvent =
  | ({ version: 'v1'; payload: V1WebhookPayload } & WebhookSummary)
  | ({ version: 'v2'; payload: V2WebhookPayload } & WebhookSummary);

export interface WebhookSummary {
  orderId: string;
  amount: number;
  status: TransactionStatus;
  completedAt: string | null;
  /** v2 only. */
  txnId?: string;
  /** v2 only: true for a sandbox project's payment, which must never count as paid in live mode. */
  isSandbox?: boolean;
  /** v1: whatever metadata the transaction was created with. */
  metadata?: Metadata;
  /** v1: the project slug in the body. */
  project?: string;
  paymentMethod?: PaymentMethod;
}

export type RawBody = string | Uint8Array | ArrayBuffer;
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

const encoder = new TextEncoder();

function bodyText(raw: RawBody): string {
  if (typeof raw === 'string') return raw;
  if (raw instanceof Uint8Array || raw instanceof ArrayBuffer) return new TextDecoder().decode(raw);
  throw new PakasirWebhookError(
    'webhook body must be the raw request body (string, Buffer, Uint8Array or ArrayBuffer), not a parsed object: the signature covers the exact bytes',
  );
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Compares two strings in time that depends only on their lengths. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let difference = left.length ^ right.length;
  for (let i = 0; i < left.length; i++) difference |= (left[i] as number) ^ (right[i % right.length] ?? 0);
  return difference === 0;
}

/** Hex HMAC-SHA256 of `body` with `secret`: the v1 `X-Pakasir-Signature`. */
export async function signV1Webhook(body: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fail(reason: string): never {
  throw new PakasirWebhookError(`Pakasir webhook refused: ${reason}`);
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail('the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('the body is not a JSON object');
  return value as Record<string, unknown>;
}

function summarize(body: Record<string, unknown>): WebhookSummary {
  const { order_id, amount, status, completed_at } = body;
  if (typeof order_id !== 'string' || order_id === '') fail('order_id is missing');
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0)
    fail('amount is not a positive whole number');
  if (!TRANSACTION_STATUSES.includes(status as TransactionStatus))
    fail(`unknown status ${JSON.stringify(status)}`);
  const summary: WebhookSummary = {
    orderId: order_id,
    amount,
    status: status as TransactionStatus,
    completedAt: typeof completed_at === 'string' ? completed_at : null,
  };
  if (typeof body.txn_id === 'string') summary.txnId = body.txn_id;
  if (typeof body.is_sandbox === 'boolean') summary.isSandbox = body.is_sandbox;
  if (typeof body.project === 'string') summary.project = body.project;
  if (PAYMENT_METHODS.includes(body.payment_method as PaymentMethod))
    summary.paymentMethod = body.payment_method as PaymentMethod;
  if (typeof body.metadata === 'object' && body.metadata !== null)
    summary.metadata = body.metadata as Metadata;
  return summary;
}

/**
 * Parses a Pakasir webhook from the raw body. With a `secret`, a v1 webhook must carry a valid
 * `X-Pakasir-Signature` (hex HMAC-SHA256 of the raw body, "sha256=" prefix allowed) and a v2 webhook
 * an `X-Secret` equal to the secret; both compared in constant time. The body alone proves nothing
 * about payment: call `Pakasir#confirmWebhook` before delivering goods.
 */
export async function parseWebhook(
  rawBody: RawBody,
  headers: WebhookHeaders,
  options: { secret?: string } = {},
): Promise<WebhookEvent> {
  const text = bodyText(rawBody);
  const body = parseJson(text);
  const summary = summarize(body);
  const version = typeof body.txn_id === 'string' ? 'v2' : 'v1';
  if (options.secret) {
    if (version === 'v1') {
      const given = header(headers, V1_SIGNATURE_HEADER)
        ?.trim()
        .replace(/^sha256=/i, '')
        .toLowerCase();
      if (!given) fail(`no ${V1_SIGNATURE_HEADER} header, and a webhook secret is configured`);
      if (!timingSafeEqual(given, await signV1Webhook(text, options.secret)))
        fail('the signature does not match the body');
    } else {
      const given = header(headers, V2_SECRET_HEADER);
      if (given === undefined) fail(`no ${V2_SECRET_HEADER} header, and a webhook secret is configured`);
      if (!timingSafeEqual(given, options.secret))
        fail(`the ${V2_SECRET_HEADER} header does not match the webhook secret`);
    }
  }
  return version === 'v1'
    ? { version, payload: body as unknown as V1WebhookPayload, ...summary }
    : { version, payload: body as unknown as V2WebhookPayload, ...summary };
}
