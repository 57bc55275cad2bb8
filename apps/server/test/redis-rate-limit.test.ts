// Rate limits in Redis (REDIS_URL): instances sharing one Redis share the limits, /health reports
// redis, and Redis failing lets requests through uncounted. Needs the Redis on 127.0.0.1:6379
// (TEST_REDIS_URL to use another): these tests fail, never skip, when it does not answer.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import type { AppConfig } from '../src/http/context.js';
import { connectRedis, type RedisConnection } from '../src/start/redis.js';
import { describeEachDatabase } from './databases.js';
import { auth, type Harness, partnerBody, startHarness, testConfig } from './http-harness.js';
import { startInProcess } from './running-server.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key under `prefix`. */
async function deleteKeys(redis: RedisConnection, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

describeEachDatabase('rate limits in Redis', (getDatabase) => {
  const prefix = `quickcart-test:${randomBytes(6).toString('hex')}:`;
  const connections: RedisConnection[] = [];
  let first: Harness;
  let second: FastifyInstance;
  let config: AppConfig;

  // Set up by the first test that needs it (not in beforeAll): when Redis does not answer, every
  // test fails with the connection error instead of being reported as skipped.
  let setup: Promise<void> | undefined;
  const ready = () => {
    setup ??= (async () => {
      // One connection per instance, as two processes would have.
      const [a, b] = [await connectRedis(REDIS_URL), await connectRedis(REDIS_URL)];
      connections.push(a, b);
      config = testConfig({
        redisUrl: REDIS_URL,
        rateLimits: { createPerWindow: 2, readPerWindow: 3, windowMs: 60_000, redisKeyPrefix: prefix },
      });
      first = await startHarness(getDatabase(), { config, redis: a.client, health: { redis: a.ping } });
      second = await buildApp({
        db: getDatabase().db,
        payments: first.fake,
        config,
        redis: b.client,
        health: { redis: b.ping },
        logger: false,
        env: {},
      });
    })();
    return setup;
  };

  afterAll(async () => {
    await first?.close();
    await second?.close();
    const [cleaner] = connections;
    if (cleaner) await deleteKeys(cleaner, prefix);
    for (const connection of connections) await connection.close();
  });

  it('two instances sharing one Redis share the limit, per bucket and per key', async () => {
    await ready();
    const read = (app: FastifyInstance, key = first.partner) =>
      app.inject({ method: 'GET', url: '/v1/payments/pay_unknown', headers: auth(key) });
    expect((await read(first.app)).statusCode).toBe(404);
    expect((await read(second)).statusCode).toBe(404);
    expect((await read(first.app)).statusCode).toBe(404);
    const limited = await read(second);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 3 } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await read(first.app)).statusCode).toBe(429);

    // Another API key has its own count; the create bucket is not the read bucket.
    expect((await read(second, first.other)).statusCode).toBe(404);
    const create = () =>
      first.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(first.partner),
        payload: partnerBody(first.partner),
      });
    expect((await create()).statusCode).toBe(201);
    expect((await create()).statusCode).toBe(201);
    expect((await create()).statusCode).toBe(429);

    // The counts are in Redis, under the prefix, with the window as TTL; the keys are hashed.
    const [redis] = connections;
    const keys = (await redis?.client.keys(`${prefix}*`)) ?? [];
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(keys.join()).not.toContain(first.partner.apiKey);
    const ttl = await redis?.client.pttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('/health reports redis ok', async () => {
    await ready();
    const health = await second.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'healthy', services: { database: 'ok', redis: 'ok' } });
  });

  it('with Redis gone: /health says degraded, requests pass uncounted instead of failing', async () => {
    await ready();
    const lost = await connectRedis(REDIS_URL);
    const app = await buildApp({
      db: getDatabase().db,
      payments: first.fake,
      config: testConfig({
        redisUrl: REDIS_URL,
        rateLimits: { readPerWindow: 1, redisKeyPrefix: `${prefix}lost:` },
      }),
      redis: lost.client,
      health: { redis: lost.ping },
      logger: false,
      env: {},
    });
    try {
      lost.client.disconnect(); // as when Redis goes away: no reconnect before these requests
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({
        status: 'degraded',
        services: { database: 'ok', redis: 'error' },
      });
      for (let i = 0; i < 3; i++) {
        const answer = await app.inject({
          method: 'GET',
          url: '/v1/payments/pay_unknown',
          headers: auth(first.other),
        });
        expect(answer.statusCode).toBe(404);
      }
    } finally {
      await app.close();
      await lost.close();
    }
  });
});

describe('quickcart start with REDIS_URL', () => {
  it('counts rate limits in Redis and reports it in /health and the banner', async () => {
    const running = await startInProcess({ REDIS_URL });
    try {
      expect(running.banner).toContain('rate limits in Redis (REDIS_URL)');
      const health = await fetch(`${running.url}/health`);
      expect(await health.json()).toMatchObject({ status: 'healthy', services: { redis: 'ok' } });
    } finally {
      await running.close();
    }
  });

  it('without REDIS_URL: in memory, and /health has no redis line', async () => {
    const running = await startInProcess();
    try {
      expect(running.banner).toContain('rate limits in memory');
      const body = (await (await fetch(`${running.url}/health`)).json()) as { services: object };
      expect(body.services).not.toHaveProperty('redis');
    } finally {
      await running.close();
    }
  });

  it('refuses to start when Redis does not answer, naming the URL but not its password', async () => {
    const failed = startInProcess({ REDIS_URL: 'redis://:s3cret@127.0.0.1:1' });
    await expect(failed).rejects.toThrow(/could not connect to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    await expect(failed).rejects.not.toThrow(/s3cret/);
  });
});
