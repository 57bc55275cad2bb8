import type { RouteShorthandOptions } from 'fastify';
import type { LogLevel } from '../config.js';
import type { Db } from '../db/types.js';
import type { PaymentService } from '../payments/contract.js';
import type { IdempotencyHooks } from './idempotency.js';
import type { LongRequests } from './long-requests.js';
import type { AppMetrics } from './metrics.js';
import type { RateLimitConfig, RateLimitHook } from './rate-limit.js';

/**
 * What the routes share: the configuration the HTTP layer reads, the services it calls, and the
 * hooks that guard partner routes.
 */

/** The part of `Config` the HTTP layer reads (a whole `Config` fits), plus its own settings. */
export interface AppConfig {
  /** Base of the links in answers (QR image, checkout page), without a trailing slash. */
  publicUrl: string;
  /** Default log level (default info). */
  logLevel?: LogLevel;
  /** When set, /health reports `redis`. */
  redisUrl?: string | undefined;
  /** `sandbox` enables `POST /v1/payments/:id/simulate`. */
  pakasir: { mode: 'live' | 'sandbox' };
  /** Key of the operator routes (`/admin/*`); default: the ADMIN_API_KEY environment variable. */
  adminApiKey?: string | undefined;
  rateLimits?: RateLimitConfig;
  /** WEBHOOK_ALLOWED_HOSTS: SSRF guard exemptions for webhook and back URLs (local development). */
  webhookAllowedHosts?: string | undefined;
  /**
   * Fastify's `trustProxy`: set it behind a reverse proxy (for example `'127.0.0.1'`), so that
   * keyless requests are rate limited per client IP from X-Forwarded-For, not per proxy.
   */
  trustProxy?: boolean | string | string[];
}

/** Health checks of the services QuickCart depends on: resolve truthy when healthy. */
export interface HealthChecks {
  /** Whether the payment gateway answers (Pakasir, or the embedded sandbox). */
  pakasir?: () => Promise<boolean>;
  /** Whether Redis answers (reported only when REDIS_URL is set). */
  redis?: () => Promise<boolean>;
}

/** Everything a route module needs. */
export interface RouteContext {
  db: Db;
  payments: PaymentService;
  config: AppConfig;
  now: () => Date;
  metrics: AppMetrics;
  health: HealthChecks;
  longRequests: LongRequests;
  /** Interval of SSE heartbeat comments. */
  heartbeatMs: number;
  hooks: {
    authenticate: NonNullable<RouteShorthandOptions['onRequest']>;
    authenticateAdmin: NonNullable<RouteShorthandOptions['onRequest']>;
    limits: { create: RateLimitHook; read: RateLimitHook };
    idempotency: IdempotencyHooks;
  };
}

/**
 * The hooks of a partner route: its rate-limit bucket, then authentication (both before the body
 * is read), and for POST routes the Idempotency-Key handling.
 */
export function partnerRoute(
  context: RouteContext,
  bucket: 'create' | 'read',
  options: { idempotent?: boolean } = {},
): RouteShorthandOptions {
  const { hooks } = context;
  const guards: RouteShorthandOptions = { onRequest: [hooks.limits[bucket], hooks.authenticate].flat() };
  if (!options.idempotent) return guards;
  return {
    ...guards,
    preHandler: hooks.idempotency.preHandler,
    onSend: hooks.idempotency.onSend,
    onResponse: hooks.idempotency.onResponse,
  };
}
