import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseStockKey, type StockKey } from './store/stock-crypto.js';
import { parseAllowedHosts } from './webhooks/outbound/ssrf.js';

/** pino's levels, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Pakasir settings common to both modes. */
interface PakasirCommon {
  /** Pakasir's API root (default https://app.pakasir.com). */
  baseUrl: string;
  /** Protocol version: v2 by default, v1 as the seeds document it. */
  apiVersion: 'v1' | 'v2';
  /** Custom payment domain (PAKASIR_PAYMENT_CUSTOM_DOMAIN, or PAKASIR_PUBLIC_DOMAIN). */
  publicDomain: string | undefined;
  /** Secret for the X-Pakasir-Signature of inbound webhooks; unset means signatures are not checked. */
  webhookSecret: string | undefined;
}

/** Real Pakasir (PAKASIR_API_KEY set) or the embedded sandbox (no key). */
export type PakasirConfig =
  | (PakasirCommon & { mode: 'live'; apiKey: string; projectSlug: string })
  | (PakasirCommon & { mode: 'sandbox'; apiKey: undefined; projectSlug: string | undefined });

/** QuickCart's configuration, from the environment. */
export interface Config {
  port: number;
  /** The service's public base URL, without a trailing slash (default http://localhost:PORT). */
  publicUrl: string;
  /** PostgreSQL URL; undefined means PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  /** Absolute path of the data directory (PGlite lives in `${dataDir}/pglite`). */
  dataDir: string;
  /** Redis URL for shared rate limits; undefined means in memory. */
  redisUrl: string | undefined;
  logLevel: LogLevel;
  pakasir: PakasirConfig;
  /**
   * WEBHOOK_ALLOWED_HOSTS: hosts, addresses or CIDRs that webhooks and back URLs may reach although
   * the SSRF guard refuses them otherwise (loopback, private ranges): local development and tests.
   */
  webhookAllowedHosts: string | undefined;
  /**
   * STOCK_ENCRYPTION_KEY (32 bytes, 64 hex digits or base64): store stock is encrypted at rest with
   * it (AES-256-GCM). A `StockKey` never prints; undefined means clear-text stock.
   */
  stockEncryptionKey: StockKey | undefined;
  telegram: {
    botToken: string | undefined;
    /** Bot API root (tests point it at a fake server). */
    apiRoot: string | undefined;
    adminIds: readonly number[];
    /** TELEGRAM_WELCOME_STICKER: the /start sticker's file id, `none`, or unset for seed 003's. */
    welcomeSticker: string | undefined;
    /**
     * TELEGRAM_WEBHOOK: 1 for webhook mode, 0 for long polling; unset means webhook mode when
     * PUBLIC_URL is https (Telegram requires it), else long polling.
     */
    webhook: boolean | undefined;
  };
}

/** One environment variable that is wrong, and why; never its value. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown by `loadConfig()`: lists every bad variable by name, never a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'INVALID_CONFIG';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} environment variable${problems.length > 1 ? 's' : ''}):\n` +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
  }
}

/** An optional variable: an empty string counts as unset, as it does in most .env files. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

function url(protocols: readonly string[], example: string) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL such as ${example}` },
  );
}

const envSchema = z.object({
  PORT: optional(
    z
      .string()
      .regex(/^\d{1,5}$/, { error: 'must be a port number from 0 to 65535' })
      .transform(Number)
      .refine((port) => port <= 65535, { error: 'must be a port number from 0 to 65535' }),
  ),
  PUBLIC_URL: optional(url(['http:', 'https:'], 'https://pay.example.com')),
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/quickcart')),
  DATA_DIR: optional(z.string()),
  REDIS_URL: optional(url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379')),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
  PAKASIR_API_KEY: optional(z.string()),
  PAKASIR_PROJECT_SLUG: optional(z.string().regex(/^[\w.-]+$/, { error: 'must be a Pakasir project slug' })),
  PAKASIR_BASE_URL: optional(url(['http:', 'https:'], 'https://app.pakasir.com')),
  PAKASIR_API_VERSION: optional(z.enum(['v1', 'v2'], { error: 'must be v1 or v2' })),
  PAKASIR_PAYMENT_CUSTOM_DOMAIN: optional(url(['http:', 'https:'], 'https://pay.example.com')),
  PAKASIR_PUBLIC_DOMAIN: optional(url(['http:', 'https:'], 'https://pay.example.com')),
  PAKASIR_WEBHOOK_SECRET: optional(z.string()),
  TELEGRAM_BOT_TOKEN: optional(z.string().regex(/^\d+:[\w-]+$/, { error: 'must look like 123456:ABC-DEF…' })),
  TELEGRAM_API_ROOT: optional(url(['http:', 'https:'], 'https://api.telegram.org')),
  TELEGRAM_WEBHOOK: optional(z.enum(['0', '1'], { error: 'must be 1 (webhook) or 0 (long polling)' })),
  TELEGRAM_WELCOME_STICKER: optional(
    z.string().regex(/^[\w-]{1,200}$/, { error: 'must be a Telegram file id or none' }),
  ),
  WEBHOOK_ALLOWED_HOSTS: optional(
    z.string().refine(
      (value) => {
        try {
          parseAllowedHosts(value);
          return true;
        } catch {
          return false;
        }
      },
      { error: 'must be host names, IP addresses or CIDR ranges separated by commas, e.g. 127.0.0.1,::1' },
    ),
  ),
  STOCK_ENCRYPTION_KEY: optional(
    z.string().transform((value, ctx) => {
      try {
        return parseStockKey(value);
      } catch {
        ctx.issues.push({
          code: 'custom',
          input: '',
          message: 'must be 32 bytes: 64 hex digits or base64 (e.g. openssl rand -base64 32)',
        });
        return z.NEVER;
      }
    }),
  ),
  ADMIN_TELEGRAM_IDS: optional(
    z
      .string()
      .regex(/^\s*-?\d+\s*(,\s*-?\d+\s*)*$/, { error: 'must be Telegram user ids separated by commas' }),
  ),
});

const withoutTrailingSlash = (value: string): string => value.replace(/\/+$/, '');

/**
 * Reads QuickCart's configuration from `env` (default `process.env`). Call it once at start and
 * pass the result down; nothing else reads the environment. Throws a `ConfigError` naming every
 * bad variable. No PAKASIR_API_KEY means the embedded sandbox (`pakasir.mode === 'sandbox'`).
 * @example
 * const config = loadConfig({ PORT: '8080', PAKASIR_API_KEY: 'k', PAKASIR_PROJECT_SLUG: 'shop' });
 * config.pakasir.mode; // 'live'
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems = new Map<string, string>();
  for (const issue of parsed.error?.issues ?? []) {
    const variable = String(issue.path[0] ?? '(environment)');
    if (!problems.has(variable)) problems.set(variable, issue.message);
  }
  if (env.PAKASIR_API_KEY && !env.PAKASIR_PROJECT_SLUG && !problems.has('PAKASIR_PROJECT_SLUG')) {
    problems.set('PAKASIR_PROJECT_SLUG', 'is required when PAKASIR_API_KEY is set');
  }
  if (!parsed.success || problems.size > 0) {
    throw new ConfigError([...problems].map(([variable, message]) => ({ variable, message })));
  }
  const e = parsed.data;
  const port = e.PORT ?? 3000;
  const common: PakasirCommon = {
    baseUrl: withoutTrailingSlash(e.PAKASIR_BASE_URL ?? 'https://app.pakasir.com'),
    apiVersion: e.PAKASIR_API_VERSION ?? 'v2',
    publicDomain: e.PAKASIR_PAYMENT_CUSTOM_DOMAIN ?? e.PAKASIR_PUBLIC_DOMAIN,
    webhookSecret: e.PAKASIR_WEBHOOK_SECRET,
  };
  return {
    port,
    publicUrl: withoutTrailingSlash(e.PUBLIC_URL ?? `http://localhost:${port}`),
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.DATA_DIR ?? './data'),
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL ?? 'info',
    pakasir:
      e.PAKASIR_API_KEY && e.PAKASIR_PROJECT_SLUG
        ? { ...common, mode: 'live', apiKey: e.PAKASIR_API_KEY, projectSlug: e.PAKASIR_PROJECT_SLUG }
        : { ...common, mode: 'sandbox', apiKey: undefined, projectSlug: e.PAKASIR_PROJECT_SLUG },
    webhookAllowedHosts: e.WEBHOOK_ALLOWED_HOSTS,
    stockEncryptionKey: e.STOCK_ENCRYPTION_KEY,
    telegram: {
      botToken: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT && withoutTrailingSlash(e.TELEGRAM_API_ROOT),
      adminIds: e.ADMIN_TELEGRAM_IDS ? e.ADMIN_TELEGRAM_IDS.split(',').map((id) => Number(id.trim())) : [],
      welcomeSticker: e.TELEGRAM_WELCOME_STICKER,
      webhook: e.TELEGRAM_WEBHOOK === undefined ? undefined : e.TELEGRAM_WEBHOOK === '1',
    },
  };
}

/**
 * Loads `path` (default `.env` in the working directory) into `process.env` when the file exists;
 * variables already set win. Returns whether a file was read.
 */
export function loadEnvFile(path = '.env'): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}
