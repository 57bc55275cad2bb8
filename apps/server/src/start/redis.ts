// The Redis connection of `quickcart start` when REDIS_URL is set: shared rate limits, and the
// `redis` line of /health.
import { Redis } from 'ioredis';
import { redactUrl } from '../db/connect.js';
import type { Logger } from '../payments/alerts.js';

/** A connected client, its health check, and how to close it. */
export interface RedisConnection {
  client: Redis;
  /** True when Redis answers PING. */
  ping(): Promise<boolean>;
  /** QUIT, or a hard disconnect when that fails; safe to call twice. */
  close(): Promise<void>;
}

/** Options of `connectRedis()`. */
export interface ConnectRedisOptions {
  /** Connection problems after the start (reconnects are automatic). */
  logger?: Logger;
  /** How long the first connection may take (default 5000 ms). */
  connectTimeoutMs?: number;
}

/**
 * Connects to Redis at `url` and waits until it is ready; throws an error that names the URL
 * (never its password) and the reason when it cannot. Afterwards commands fail fast while the
 * connection is down (no offline queue: a rate-limit check never waits for a reconnect) and
 * ioredis reconnects in the background.
 * @example
 * const redis = await connectRedis(config.redisUrl);
 * const app = await buildApp({ …, redis: redis.client, health: { redis: redis.ping } });
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<RedisConnection> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs ?? 5000,
  });
  let lastError: Error | undefined;
  let reported = false;
  client.on('error', (error: Error) => {
    lastError = error;
    // One line per outage, not one per reconnect attempt.
    if (!reported) {
      reported = true;
      options.logger?.warn(
        { err: error.message, redis: redactUrl(url) },
        'redis: connection lost, reconnecting',
      );
    }
  });
  client.on('ready', () => {
    if (reported) options.logger?.info({ redis: redactUrl(url) }, 'redis: connection restored');
    reported = false;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const reason = lastError?.message ?? (error as Error).message;
    throw new Error(`could not connect to Redis at ${redactUrl(url)} (REDIS_URL): ${reason}`, {
      cause: lastError ?? error,
    });
  }
  let closing: Promise<void> | undefined;
  return {
    client,
    async ping() {
      return (await client.ping()) === 'PONG';
    },
    close() {
      closing ??= client.quit().then(
        () => {},
        () => client.disconnect(),
      );
      return closing;
    },
  };
}
