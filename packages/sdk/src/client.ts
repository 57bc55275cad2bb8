// `new QuickCart({ baseUrl, apiKey })`: the client, its options and its three parts.
import { UsageError } from './errors.js';
import { type FetchLike, Transport } from './http.js';
import { PartnerPaymentResource } from './partner-payment.js';
import { PaymentResource } from './payment.js';
import { Webhooks } from './webhooks/webhooks.js';

/** Options of `new QuickCart()`. */
export interface QuickCartOptions {
  /** Where your QuickCart server answers, e.g. `https://pay.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** The partner API key (`qc_live_…` or `qc_test_…`). Sent as `Authorization: Bearer`, never shown in errors. */
  apiKey: string;
  /** Per-attempt timeout in ms (default 30 000); each call can override it. */
  timeoutMs?: number | undefined;
  /** Automatic retries after the first attempt (default 2). */
  maxRetries?: number | undefined;
  /** Default: `globalThis.fetch`, looked up at each request. */
  fetch?: FetchLike | undefined;
  /** Webhook timestamp tolerance in seconds (default 300). */
  webhookToleranceSeconds?: number | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 2;

function checkBaseUrl(baseUrl: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof baseUrl === 'string' ? new URL(baseUrl) : undefined;
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new UsageError(
      `baseUrl must be an http(s) URL without query or fragment, got ${JSON.stringify(baseUrl)}`,
    );
  }
  return (baseUrl as string).replace(/\/+$/, '');
}

/** The key travels in a header: printable ASCII only (the key itself is never echoed). */
function checkApiKey(apiKey: unknown): string {
  if (typeof apiKey !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(apiKey)) {
    throw new UsageError(
      'apiKey must be the API key QuickCart gave you: 1 to 256 printable ASCII characters',
    );
  }
  return apiKey;
}

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${name} must be a whole number >= ${min}, got ${value}`);
  }
  return value;
}

/**
 * The QuickCart API client. Zero dependencies: fetch and WebCrypto, on Node ≥ 20, Deno, Bun,
 * Cloudflare Workers and browsers.
 * @example
 * import { QuickCart } from '@quickcart/sdk';
 * const qc = new QuickCart({ baseUrl: process.env.QUICKCART_URL!, apiKey: process.env.QUICKCART_API_KEY! });
 * const qris = await qc.payment.generateQRIS({ license_key, amount: 50000 });
 * const result = await qc.payment.waitForPayment(qris.transaction_id, { timeout: 120_000 });
 */
export class QuickCart {
  /** Seed 002: generateQRIS, checkPaymentStatus, waitForPayment, cancelPayment (+ simulatePayment). */
  readonly payment: PaymentResource;
  /** Seed 004: generateQris, generateCheckoutPage, generate. */
  readonly partnerPayment: PartnerPaymentResource;
  /** Webhook verification: verify, constructEvent, generateTestHeaders. */
  readonly webhooks: Webhooks;

  constructor(options: QuickCartOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new UsageError('new QuickCart({ baseUrl, apiKey }) needs an options object');
    }
    const transport = new Transport({
      baseUrl: checkBaseUrl(options.baseUrl),
      apiKey: checkApiKey(options.apiKey),
      timeoutMs: checkCount('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1),
      maxRetries: checkCount('maxRetries', options.maxRetries ?? DEFAULT_MAX_RETRIES, 0),
      fetch: options.fetch,
    });
    this.payment = new PaymentResource(transport);
    this.partnerPayment = new PartnerPaymentResource(transport);
    this.webhooks = new Webhooks({ toleranceSeconds: options.webhookToleranceSeconds });
  }
}
