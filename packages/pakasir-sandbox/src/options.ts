// startSandbox's options, their defaults, and the checks that make a bad configuration fail at
// start instead of at the first request.
import { SandboxError } from './errors.js';
import type { FaultSettings } from './faults.js';
import { assertMerchantQris, DEMO_MERCHANT_QRIS } from './payment-numbers.js';

export interface SandboxOptions {
  /** The project slug the sandbox answers for (others get 404). */
  project: string;
  /** The project's API key (body `api_key` for v1, header X-Api-Key for v2). */
  apiKey: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on, default 127.0.0.1. */
  host?: string;
  /** Base of the URLs the sandbox hands out (v2 payment_link), when it sits behind a proxy. */
  publicUrl?: string;
  /** Where completion webhooks go; without it none are sent. */
  webhookUrl?: string;
  /** Signs v1 webhooks (X-Pakasir-Signature) and is sent as X-Secret with v2 ones. */
  webhookSecret?: string;
  /** Webhook retries after the first attempt, default 3. */
  webhookRetries?: number;
  /** First webhook retry delay, default 1000 ms; doubles each retry. */
  webhookBaseDelayMs?: number;
  /** Per-attempt webhook timeout, default 10 000 ms. */
  webhookTimeoutMs?: number;
  /** JSON file that keeps the transactions across restarts; in memory only without it. */
  statePath?: string;
  /** How long a transaction stays payable, default 60 minutes. */
  expiryMs?: number;
  /** The sandbox clock, epoch ms; default Date.now. Tests pass their own. */
  now?: () => number;
  /** Seed of every random choice (ids, references, jitter, errorRate), default 0x5eed. */
  seed?: number;
  /** Static merchant QRIS the dynamic ones are made from; default a built-in demo merchant. */
  merchantQris?: string;
  /** Faults from the start (see FaultSettings). */
  faults?: Partial<FaultSettings>;
  /** One line per request and webhook attempt; default silent. */
  log?: (line: string) => void;
}

export type ResolvedOptions = Required<
  Omit<SandboxOptions, 'publicUrl' | 'webhookUrl' | 'webhookSecret' | 'statePath'>
> &
  Pick<SandboxOptions, 'publicUrl' | 'webhookUrl' | 'webhookSecret' | 'statePath'>;

export const DEFAULT_EXPIRY_MS = 60 * 60 * 1000;
export const DEFAULT_SEED = 0x5eed;

function wholeNumber(value: number | undefined, name: string, min: number, max: number, fallback: number) {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new SandboxError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  return value;
}

function httpUrl(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SandboxError(`${name} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SandboxError(`${name} must be an http or https URL, got ${JSON.stringify(value)}`);
  return value;
}

/** The options with defaults filled in; throws a SandboxError naming the first bad one. */
export function resolveOptions(options: SandboxOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new SandboxError('options are required');
  if (
    typeof options.project !== 'string' ||
    !/^[\x21-\x7e]+$/.test(options.project) ||
    options.project.includes('/')
  )
    throw new SandboxError('project must be a non-empty slug (printable ASCII, no "/")');
  if (typeof options.apiKey !== 'string' || options.apiKey === '')
    throw new SandboxError('apiKey must be a non-empty string');
  const merchantQris = options.merchantQris ?? DEMO_MERCHANT_QRIS;
  assertMerchantQris(merchantQris);
  const publicUrl = httpUrl(options.publicUrl, 'publicUrl')?.replace(/\/+$/, '');
  const webhookUrl = httpUrl(options.webhookUrl, 'webhookUrl');
  return {
    project: options.project,
    apiKey: options.apiKey,
    port: wholeNumber(options.port, 'port', 0, 65_535, 0),
    host: options.host ?? '127.0.0.1',
    ...(publicUrl !== undefined && { publicUrl }),
    ...(webhookUrl !== undefined && { webhookUrl }),
    ...(options.webhookSecret !== undefined && { webhookSecret: options.webhookSecret }),
    webhookRetries: wholeNumber(options.webhookRetries, 'webhookRetries', 0, 10, 3),
    webhookBaseDelayMs: wholeNumber(options.webhookBaseDelayMs, 'webhookBaseDelayMs', 0, 3_600_000, 1000),
    webhookTimeoutMs: wholeNumber(options.webhookTimeoutMs, 'webhookTimeoutMs', 1, 3_600_000, 10_000),
    ...(options.statePath !== undefined && { statePath: options.statePath }),
    expiryMs: wholeNumber(options.expiryMs, 'expiryMs', 1, Number.MAX_SAFE_INTEGER, DEFAULT_EXPIRY_MS),
    now: options.now ?? Date.now,
    seed: wholeNumber(options.seed, 'seed', 0, 0xffff_ffff, DEFAULT_SEED),
    merchantQris,
    faults: options.faults ?? {},
    log: options.log ?? (() => {}),
  };
}
