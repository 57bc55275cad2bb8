import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';

/**
 * `GET /health` in seed 003's shape:
 * `{ status, timestamp, services: { database, redis?, pakasir_api } }`.
 * Each service is `ok`, `error` (failed or slower than 2 s) or `unknown` (no check configured);
 * `redis` appears only when REDIS_URL is set. Status `healthy` (200), `degraded` when a dependency
 * other than the database fails (200: payments may still be read), `unhealthy` when the database
 * fails (503, so a load balancer takes the instance out).
 */

export type ServiceHealth = 'ok' | 'error' | 'unknown';

/** Runs a check with a time limit: `ok` when it resolves truthy in time, else `error`. */
export async function runCheck(
  check: (() => Promise<unknown>) | undefined,
  timeoutMs: number,
): Promise<ServiceHealth> {
  if (!check) return 'unknown';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return (await Promise.race([check(), timeout])) ? 'ok' : 'error';
  } catch {
    return 'error';
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoute(app: FastifyInstance, context: RouteContext, timeoutMs = 2000): void {
  const { db, health, config, now } = context;

  app.get('/health', async (_request, reply) => {
    const [database, pakasir, redis] = await Promise.all([
      runCheck(async () => {
        await db.execute(sql`select 1`);
        return true;
      }, timeoutMs),
      runCheck(health.pakasir, timeoutMs),
      config.redisUrl ? runCheck(health.redis, timeoutMs) : Promise.resolve(undefined),
    ]);
    const others = [pakasir, redis];
    const status =
      database !== 'ok' ? 'unhealthy' : others.some((s) => s === 'error') ? 'degraded' : 'healthy';
    return reply.code(status === 'unhealthy' ? 503 : 200).send({
      status,
      timestamp: now().toISOString(),
      services: { database, ...(redis !== undefined && { redis }), pakasir_api: pakasir },
    });
  });
}
