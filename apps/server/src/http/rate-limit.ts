import { hash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { QuickCartError } from '../payments/errors.js';
import { presentedKey } from './auth.js';

/**
 * Rate limits per API key (@fastify/rate-limit): one bucket for creating payments, one for
 * everything else a partner calls (status reads, long-polls, event streams, cancel, simulate).
 * Requests without a key are counted per IP. Over the limit: 429 RATE_LIMITED in the error
 * format, with `Retry-After` in seconds. Counted in memory, or in Redis when a client is given
 * (REDIS_URL), where every instance sharing that Redis shares the limits. Redis failing does not
 * fail requests: they pass uncounted (`/health` reports redis `error` meanwhile).
 */

/** Limits per API key per window. */
export interface RateLimitConfig {
  /** Payment creations per window (default 100). */
  createPerWindow?: number;
  /** Status reads and other partner calls per window (default 1000). */
  readPerWindow?: number;
  /** Window length in milliseconds (default 60 000). */
  windowMs?: number;
  /** Prefix of the Redis keys (default `quickcart:rate-limit:`); tests use one per run. */
  redisKeyPrefix?: string;
}

/** The default prefix of rate-limit keys in Redis. */
export const REDIS_KEY_PREFIX = 'quickcart:rate-limit:';

/** An onRequest hook that counts the request in its bucket and throws RATE_LIMITED over the limit. */
export type RateLimitHook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The bucket a request is counted in: a hash of its API key (keys are not kept in memory), else its IP. */
export function rateLimitKey(request: FastifyRequest): string {
  const key = presentedKey(request.headers);
  return key === null ? `ip:${request.ip}` : `key:${hash('sha256', key, 'base64url')}`;
}

/**
 * Registers the plugin and returns the two buckets' hooks; with `redis` (a connected ioredis
 * client) the counts live in Redis under `config.redisKeyPrefix`.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  config: RateLimitConfig = {},
  redis?: Redis,
): Promise<{ create: RateLimitHook; read: RateLimitHook }> {
  await app.register(rateLimit, {
    global: false,
    ...(redis && {
      redis,
      nameSpace: config.redisKeyPrefix ?? REDIS_KEY_PREFIX,
      // Availability first: when Redis fails, requests pass uncounted instead of failing.
      skipOnError: true,
    }),
    errorResponseBuilder: (_request, context) =>
      new QuickCartError('RATE_LIMITED', {
        message: `rate limit of ${context.max} requests per window exceeded; retry in ${context.after}`,
        details: { limit: context.max, retry_after_seconds: Math.ceil(context.ttl / 1000) },
      }),
  });
  const timeWindow = config.windowMs ?? 60_000;
  // The bucket is part of the key: a shared store (Redis) must not add one bucket's counts to the other's.
  const hook = (bucket: 'create' | 'read', max: number): RateLimitHook => {
    const limiter = app.rateLimit({
      max,
      timeWindow,
      keyGenerator: (request) => `${bucket}:${rateLimitKey(request)}`,
    });
    return (request, reply) => limiter.call(app, request, reply);
  };
  return {
    create: hook('create', config.createPerWindow ?? 100),
    read: hook('read', config.readPerWindow ?? 1000),
  };
}
