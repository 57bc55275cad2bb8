import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Redis } from 'ioredis';
import type { Db } from '../db/types.js';
import type { PaymentService } from '../payments/contract.js';
import { QuickCartError } from '../payments/errors.js';
import { registerCheckoutRoutes } from '../web/routes.js';
import { authenticate, authenticateAdmin, decorateAuth } from './auth.js';
import type { AppConfig, HealthChecks, RouteContext } from './context.js';
import { installErrorHandling, sendError } from './errors.js';
import { idempotency } from './idempotency.js';
import {
  fastifyLoggerOptions,
  type HttpLoggerOptions,
  lazyChildLogger,
  REQUEST_ID_HEADER,
  requestIdOf,
} from './logging.js';
import { LongRequests } from './long-requests.js';
import { type AppMetrics, createAppMetrics } from './metrics.js';
import { registerRateLimits } from './rate-limit.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerCreateRoutes } from './routes/create-payments.js';
import { registerEventsRoute } from './routes/events.js';
import { registerHealthRoute } from './routes/health.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { type PartnerWebhookRoutesOptions, registerPartnerWebhookRoutes } from './routes/partner-webhooks.js';
import { registerPaymentRoutes } from './routes/payments.js';
import { registerQrRoutes } from './routes/qr.js';
import { registerSandboxProxy } from './routes/sandbox-proxy.js';
import { registerWaitRoute } from './routes/wait.js';
import { type PakasirWebhookHandler, registerWebhookRoutes } from './routes/webhooks.js';

/** Options of `buildApp()`. Only `db`, `payments` and `config` are required. */
export interface BuildAppOptions {
  db: Db;
  payments: PaymentService;
  config: AppConfig;
  /** Log level and destination; `false`: no logging. Default: the config's level, on stdout. */
  logger?: HttpLoggerOptions | false;
  /** The inbound Pakasir webhook handler; without it `POST /webhooks/pakasir` is not served. */
  handlePakasirWebhook?: PakasirWebhookHandler;
  /** The clock of error timestamps, Idempotency-Key ages, QR expiry and statistics. */
  now?: () => Date;
  /** Checks behind `/health` (Pakasir, Redis). */
  health?: HealthChecks;
  /** A connected ioredis client (REDIS_URL): rate limits are counted there, shared by every instance. */
  redis?: Redis;
  /**
   * The embedded sandbox's URL (sandbox mode): served under `/sandbox/pakasir/` on this app's
   * port (`routes/sandbox-proxy.ts`). Ignored in live mode.
   */
  sandboxUrl?: string;
  /** Shared metrics, so the payment provider can feed `observeUpstream` (default: new ones). */
  metrics?: AppMetrics;
  /** Where ADMIN_API_KEY is read when `config.adminApiKey` is unset (default: process.env). */
  env?: Record<string, string | undefined>;
  /** SSE heartbeat interval (default 15 s). */
  heartbeatMs?: number;
  /** Outbound webhooks: the SSRF guard (default: from the config) and the delivery worker's `wake`. */
  webhooks?: PartnerWebhookRoutesOptions;
  /** Idempotency-Key retention (default 24 h) and abandoned-claim timeout (default 5 min). */
  idempotency?: { ttlMs?: number; inFlightTimeoutMs?: number };
  /** Registers more routes before the app is ready (the Telegram store's webhook route). */
  register?: (app: FastifyInstance) => void;
}

/** Largest JSON body of the partner API. */
export const BODY_LIMIT = 256 * 1024;

/**
 * The QuickCart HTTP app: partner API, QR images, Pakasir webhooks, health, metrics and admin
 * routes (in sandbox mode, given `sandboxUrl`, also the sandbox under `/sandbox/pakasir/`), ready
 * for `app.inject()` in tests or `app.listen()` in `quickcart start`. Every answer carries
 * `x-request-id`; every error is in the ARCHITECTURE.md format. `app.close()` ends open
 * long-polls, event streams and proxied sandbox requests at once.
 * @example
 * const app = await buildApp({ db, payments, config });
 * await app.listen({ port: config.port, host: '0.0.0.0' });
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { db, payments, config } = options;
  const now = options.now ?? (() => new Date());
  const app: FastifyInstance = Fastify({
    logger:
      options.logger === false
        ? false
        : fastifyLoggerOptions({ level: config.logLevel ?? 'info' }, options.logger),
    genReqId: requestIdOf,
    childLoggerFactory: lazyChildLogger,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy ?? false,
    // Requests that arrive while the app closes get our 503 (hook below), not Fastify's own body.
    return503OnClosing: false,
    // Transaction ids travel in paths and may be 255 characters long.
    routerOptions: { maxParamLength: 300 },
    // Malformed URLs are refused by the router before any hook runs: answer them in our format too.
    frameworkErrors: (error, request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      sendError(error, request, reply, now);
    },
  });

  installErrorHandling(app, { now });
  decorateAuth(app);
  acceptEmptyJsonBodies(app);

  const metrics = options.metrics ?? createAppMetrics();
  const longRequests = new LongRequests();
  let closing = false;
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    if (closing) {
      reply.header('connection', 'close');
      throw new QuickCartError('SERVICE_UNAVAILABLE', { message: 'the server is shutting down; retry' });
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.addHook('preClose', async () => {
    closing = true;
    longRequests.abortAll();
  });
  // Answers sent while closing (the aborted long-polls among them) end their connection, so that a
  // keep-alive client does not hold the server open until its keep-alive timeout.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  const limits = await registerRateLimits(app, config.rateLimits, options.redis);
  const context: RouteContext = {
    db,
    payments,
    config,
    now,
    metrics,
    health: options.health ?? {},
    longRequests,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    hooks: {
      authenticate: authenticate(db, () => now().getTime()),
      authenticateAdmin: authenticateAdmin(config.adminApiKey ?? (options.env ?? process.env).ADMIN_API_KEY),
      limits,
      idempotency: idempotency({ db, now, ...options.idempotency }),
    },
  };
  registerCreateRoutes(app, context);
  registerPaymentRoutes(app, context);
  registerWaitRoute(app, context);
  registerEventsRoute(app, context);
  registerQrRoutes(app, context);
  registerCheckoutRoutes(app, context);
  registerWebhookRoutes(app, options.handlePakasirWebhook);
  registerPartnerWebhookRoutes(app, context, options.webhooks);
  registerHealthRoute(app, context);
  registerMetricsRoute(app, context);
  registerAdminRoutes(app, context);
  if (options.sandboxUrl && config.pakasir.mode === 'sandbox') {
    await registerSandboxProxy(app, { target: options.sandboxUrl, longRequests });
  }
  options.register?.(app);
  await app.ready();
  return app;
}

/**
 * JSON bodies as Fastify parses them (prototype-poisoning checks included), except that an empty
 * body reads as absent: `POST /v1/payments/:id/cancel` with `Content-Type: application/json` and
 * no body is a normal request.
 */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
