import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { newAdminToken } from '../admin/endpoint-file.js';
import type { LocalAdminOptions } from '../admin/operations.js';
import type { Db, Driver } from '../db/types.js';
import { installErrorHandling } from './errors.js';
import { registerInternalAdminRoutes } from './routes/internal-admin.js';

/**
 * A second, private Fastify listener for the `/_admin/*` routes, bound to 127.0.0.1 on a port of
 * its own: never on the public port, so a reverse proxy on the same host (whose requests all come
 * from loopback) cannot expose it by accident.
 */

/** A listening admin endpoint. */
export interface AdminListener {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  /** The bearer token of its routes (random per start). */
  token: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Options of `startAdminListener()`. */
export interface AdminListenerOptions {
  db: Db;
  driver: Driver;
  /** Request logs (default: none). */
  logger?: FastifyBaseLogger;
  /** Default: a fresh random token. */
  token?: string;
  /** Default 0: any free port. */
  port?: number;
  /** For `quickcart webhooks test | redeliver`: the SSRF guard and the delivery worker's `wake`. */
  webhooks?: LocalAdminOptions['webhooks'];
}

/**
 * Starts the admin listener on 127.0.0.1.
 * @example
 * const admin = await startAdminListener({ db: database.db, driver: database.driver });
 * await writeAdminEndpoint(config.dataDir, admin);
 */
export async function startAdminListener(options: AdminListenerOptions): Promise<AdminListener> {
  const token = options.token ?? newAdminToken();
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: 64 * 1024,
  });
  installErrorHandling(app, { now: () => new Date() });
  registerInternalAdminRoutes(app, {
    db: options.db,
    driver: options.driver,
    token,
    ...(options.webhooks && { webhooks: options.webhooks }),
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, token, app, close: () => app.close() };
}
