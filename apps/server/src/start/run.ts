// `quickcart start`: database, migrations, Redis (REDIS_URL), the gateway (Pakasir, or the
// embedded sandbox when no PAKASIR_API_KEY is set, also served under /sandbox/pakasir/), the
// payments domain with timed upstream calls, the HTTP app, the sweepers and the outbound webhook
// worker, on PGlite the loopback admin endpoint for the CLI (published in DATA_DIR/admin.json),
// demo data, banner.
// close() stops in the reverse order: withdraw the admin endpoint, stop accepting and finish
// in-flight requests, stop the workers, close the sandbox, the notifier, Redis and the database.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { Pakasir } from '@quickcart/pakasir';
import { type SandboxHandle, startSandbox } from '@quickcart/pakasir-sandbox';
import type { FastifyInstance } from 'fastify';
import { writeAdminEndpoint } from '../admin/endpoint-file.js';
import { forwardingAlerts, prepareTelegramWebhook, startTelegramFromConfig } from '../bot/start.js';
import type { Config } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateDatabase } from '../db/migrate.js';
import type { Database } from '../db/types.js';
import { startAdminListener } from '../http/admin-listener.js';
import { buildApp } from '../http/app.js';
import { createAppMetrics } from '../http/metrics.js';
import { SANDBOX_PREFIX } from '../http/routes/sandbox-proxy.js';
import { type Sweepers, startSweepers } from '../jobs/sweepers.js';
import { type Logger, silentLogger } from '../payments/alerts.js';
import { type PaymentNotifier, startNotifier } from '../payments/notifier.js';
import { pakasirProvider, pakasirSimulator } from '../payments/provider.js';
import { createPaymentService } from '../payments/service.js';
import { timedProvider, timedSimulator } from '../payments/timed-provider.js';
import { assertStockReadable } from '../store/stock-check.js';
import { createStockCipher, useStockCipher } from '../store/stock-crypto.js';
import { createTargetGuard, type Resolver } from '../webhooks/outbound/ssrf.js';
import {
  startWebhookWorker,
  type WebhookWorker,
  type WebhookWorkerOptions,
} from '../webhooks/outbound/worker.js';
import { createPakasirWebhookHandler } from '../webhooks/pakasir-inbound.js';
import { formatBanner } from './banner.js';
import { ensureDemoData } from './demo.js';
import { ensureDemoStore } from './demo-store.js';
import { connectRedis } from './redis.js';

export interface StartOptions {
  /** Where the banner goes (default: nowhere). */
  print?: (text: string) => void;
  /** Interface to listen on (default 0.0.0.0; tests use 127.0.0.1). */
  host?: string;
  /** HTTP logging; false for none (tests). */
  httpLogs?: boolean;
  /** Sweeper interval (default 5 s). */
  sweepIntervalMs?: number;
  /**
   * Sandbox mode: the embedded sandbox's API key (default: random per start). Set it to call the
   * sandbox's own API through `/sandbox/pakasir/` (tests, demos).
   */
  sandboxApiKey?: string;
  /** Outbound webhook worker settings (tests: a schedule in milliseconds, a fake resolver…). */
  webhooks?: WebhookStartOptions;
}

/** What tests may change of the webhook worker and its SSRF guard. */
export type WebhookStartOptions = Partial<
  Pick<WebhookWorkerOptions, 'schedule' | 'random' | 'leaseMs' | 'pollMs' | 'timeoutMs' | 'connector'>
> & { resolver?: Resolver };

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  database: Database;
  sandbox: SandboxHandle | undefined;
  close(): Promise<void>;
}

/** A Logger that forwards to whatever `target` points at, so the domain can log through Fastify's pino. */
function forwardingLogger(): { logger: Logger; target: { current: Logger } } {
  const target = { current: silentLogger };
  const logger: Logger = {
    debug: (fields, message) => target.current.debug(fields, message),
    info: (fields, message) => target.current.info(fields, message),
    warn: (fields, message) => target.current.warn(fields, message),
    error: (fields, message) => target.current.error(fields, message),
  };
  return { logger, target };
}

/**
 * How long a partner's create may wait on the gateway: 8 s per attempt and one retry (where the
 * client deems it safe), about 17 s at worst instead of the client's default 46 s.
 */
const GATEWAY_LIMITS = { timeoutMs: 8000, maxRetries: 1 } as const;

/** The gateway: real Pakasir, or an embedded sandbox whose webhooks come back to this server. */
async function startGateway(config: Config, selfUrl: string, sandboxApiKey: string | undefined) {
  if (config.pakasir.mode === 'live') {
    const pakasir = new Pakasir({
      project: config.pakasir.projectSlug,
      apiKey: config.pakasir.apiKey,
      baseUrl: config.pakasir.baseUrl,
      apiVersion: config.pakasir.apiVersion,
      ...GATEWAY_LIMITS,
      ...(config.pakasir.publicDomain && { publicDomain: config.pakasir.publicDomain }),
      ...(config.pakasir.webhookSecret && { webhookSecret: config.pakasir.webhookSecret }),
    });
    return { pakasir, sandbox: undefined, webhookSecret: config.pakasir.webhookSecret };
  }
  const project = config.pakasir.projectSlug ?? 'quickcart-demo';
  const apiKey = sandboxApiKey ?? randomBytes(16).toString('hex');
  const webhookSecret = config.pakasir.webhookSecret ?? randomBytes(24).toString('base64url');
  const sandbox = await startSandbox({
    project,
    apiKey,
    webhookUrl: `${selfUrl}/webhooks/pakasir`,
    webhookSecret,
  });
  // The embedded sandbox answers the client in process (same routes and faults, no socket, no
  // WHATWG Response): the gateway call of every create is a function call, not a loopback round trip.
  const pakasir = new Pakasir({
    project,
    apiKey,
    baseUrl: sandbox.url,
    apiVersion: config.pakasir.apiVersion,
    mode: 'sandbox',
    fetch: sandbox.lightFetch,
    ...GATEWAY_LIMITS,
  });
  return { pakasir, sandbox, webhookSecret };
}

/** Starts QuickCart and resolves once it listens. */
export async function startQuickCart(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const cleanups: (() => Promise<void>)[] = [() => database.close()];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    await migrateDatabase(database);
    // Encrypted stock and no (or the wrong) STOCK_ENCRYPTION_KEY: refuse to start (StockKeyError).
    const stockCipher = createStockCipher(config.stockEncryptionKey);
    await assertStockReadable(database.db, stockCipher);
    useStockCipher(database.db, stockCipher);
    const { logger, target } = forwardingLogger();
    const redis = config.redisUrl ? await connectRedis(config.redisUrl, { logger }) : undefined;
    if (redis) cleanups.push(() => redis.close());
    // The sandbox must know where to send webhooks before the app listens: use the configured port.
    const host = options.host ?? '0.0.0.0';
    const selfUrl = `http://127.0.0.1:${config.port}`;
    const { pakasir, sandbox, webhookSecret } = await startGateway(config, selfUrl, options.sandboxApiKey);
    if (sandbox) cleanups.push(() => sandbox.close());
    const notifier: PaymentNotifier = await startNotifier(database, { logger });
    cleanups.push(() => notifier.close());
    const metrics = createAppMetrics();
    const provider = timedProvider(pakasirProvider(pakasir), metrics.observeUpstream);
    // Alerts are logged, and told to the store bot's admins once it runs.
    const alerts = forwardingAlerts(logger);
    const payments = createPaymentService({
      db: database.db,
      provider,
      notifier,
      publicUrl: config.publicUrl,
      logger,
      alerts: alerts.sink,
      ...(sandbox && { simulate: timedSimulator(pakasirSimulator(pakasir), metrics.observeUpstream) }),
    });
    cleanups.push(async () => payments.close());
    const handlePakasirWebhook = createPakasirWebhookHandler({
      db: database.db,
      pakasir,
      secret: webhookSecret,
      logger,
      alerts: alerts.sink,
    });
    const { resolver, ...workerOptions } = options.webhooks ?? {};
    const guard = createTargetGuard({
      allowedHosts: config.webhookAllowedHosts,
      ...(resolver && { resolver }),
    });
    let webhookWorker: WebhookWorker | undefined;
    // Webhook mode of the store bot: its update route is registered with the others.
    let telegramWebhook: ReturnType<typeof prepareTelegramWebhook>;
    const app = await buildApp({
      register: (instance) => {
        telegramWebhook = prepareTelegramWebhook(instance, config);
      },
      db: database.db,
      payments,
      config,
      handlePakasirWebhook,
      webhooks: { guard, wake: () => webhookWorker?.wake() },
      metrics,
      health: {
        pakasir: async () => (await pakasir.healthCheck({ timeoutMs: 3000 })).ok,
        ...(redis && { redis: redis.ping }),
      },
      ...(redis && { redis: redis.client }),
      ...(sandbox && { sandboxUrl: sandbox.url }),
      ...(options.httpLogs === false && { logger: false as const }),
    });
    target.current = app.log;
    await app.listen({ port: config.port, host });
    const sweepers: Sweepers = startSweepers({
      database,
      provider,
      logger,
      alerts: alerts.sink,
      intervalMs: options.sweepIntervalMs ?? 5000,
    });
    cleanups.push(() => sweepers.stop());
    webhookWorker = startWebhookWorker({ db: database.db, guard, logger, ...workerOptions });
    const stopWebhooks = webhookWorker.stop;
    cleanups.push(() => stopWebhooks());
    // Closed first: stop accepting, let in-flight requests finish, then the workers and the rest.
    cleanups.push(() => app.close());
    await mkdir(config.dataDir, { recursive: true });
    const demo = await ensureDemoData(database.db, config.dataDir);
    // First start in sandbox mode: demo products with demo stock, so the store sells at once.
    const demoStore =
      demo?.created && config.pakasir.mode === 'sandbox' ? await ensureDemoStore(database.db) : null;
    // PGlite admits one process: the CLI administers through this server while it runs (published
    // after the demo data, which is created only on an empty database).
    let adminUrl: string | undefined;
    if (database.driver === 'pglite') {
      const admin = await startAdminListener({
        db: database.db,
        driver: database.driver,
        webhooks: { guard, wake: () => webhookWorker?.wake() },
        ...(options.httpLogs !== false && { logger: app.log.child({ listener: 'admin' }) }),
      });
      cleanups.push(() => admin.close());
      const withdraw = await writeAdminEndpoint(config.dataDir, admin);
      cleanups.push(withdraw);
      adminUrl = admin.url;
    }
    // The Telegram store (TELEGRAM_BOT_TOKEN): started last so that it is stopped first.
    if (config.telegram.botToken) {
      const telegram = await startTelegramFromConfig(config, {
        database,
        payments,
        pakasir,
        logger,
        sweepIntervalMs: options.sweepIntervalMs,
        webhook: telegramWebhook,
      });
      alerts.forwardTo(telegram.alerts);
      cleanups.push(() => telegram.stop());
    }
    options.print?.(
      formatBanner({
        url: config.publicUrl,
        driver: database.driver,
        dataDir: config.dataDir,
        sandboxUrl: sandbox && `${config.publicUrl}${SANDBOX_PREFIX}/`,
        rateLimits: redis ? 'redis' : 'memory',
        adminUrl,
        webhookAllowedHosts: config.webhookAllowedHosts,
        demo,
        demoStore,
        telegram: config.telegram.botToken !== undefined,
      }),
    );
    return { url: config.publicUrl, app, database, sandbox, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
