import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../src/db/schema.js';
import { AUTH_CACHE_TTL_MS, authenticate, presentedKey } from '../../src/http/auth.js';
import { createPartner } from '../../src/payments/partners.js';
import { describeEachDatabase } from '../databases.js';
import { auth, type Harness, partnerBody, startHarness, testConfig } from '../http-harness.js';

describe('presentedKey', () => {
  it('reads a Bearer token first, then x-api-key, and nothing else', () => {
    expect(presentedKey({ authorization: 'Bearer qc_live_abc' })).toBe('qc_live_abc');
    expect(presentedKey({ authorization: 'bearer   qc_live_abc ' })).toBe('qc_live_abc');
    expect(presentedKey({ 'x-api-key': 'qc_live_xyz' })).toBe('qc_live_xyz');
    expect(presentedKey({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'k' })).toBe('k');
    expect(presentedKey({ authorization: 'Basic dXNlcjpwYXNz' })).toBeNull();
    expect(presentedKey({ authorization: 'Bearer' })).toBeNull();
    expect(presentedKey({ 'x-api-key': ['a', 'b'] as unknown as string })).toBeNull();
    expect(presentedKey({ 'x-api-key': 'k'.repeat(257) })).toBeNull();
  });
});

describeEachDatabase('authentication and rate limits', (getDatabase) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(getDatabase(), {
      tokens: 100,
      config: testConfig({
        rateLimits: { createPerWindow: 3, readPerWindow: 5 },
        adminApiKey: 'admin-secret',
      }),
    });
  });
  afterAll(() => h.close());

  const partnerRoutes = [
    { method: 'POST' as const, url: '/v1/partner/payments' },
    { method: 'POST' as const, url: '/v1/payments/qris' },
    { method: 'GET' as const, url: '/v1/payments/pay_x' },
    { method: 'GET' as const, url: '/v1/payments/pay_x/wait' },
    { method: 'GET' as const, url: '/v1/payments/pay_x/events' },
    { method: 'POST' as const, url: '/v1/payments/pay_x/cancel' },
    { method: 'POST' as const, url: '/v1/payments/pay_x/simulate' },
  ];

  it('answers 401 UNAUTHORIZED on every partner route without a valid key', async () => {
    const headerSets = [
      {},
      { authorization: 'Bearer qc_live_unknownkey' },
      { 'x-api-key': 'nope' },
      { authorization: `Basic ${Buffer.from(`x:${h.partner.apiKey}`).toString('base64')}` },
    ];
    let n = 0;
    for (const headers of headerSets) {
      for (const route of partnerRoutes) {
        // One address per request: keyless requests are rate limited per IP.
        const res = await h.app.inject({ ...route, headers, remoteAddress: `198.51.100.${++n}` });
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(res.json()).toMatchObject({
          success: false,
          code: 'UNAUTHORIZED',
          request_id: res.headers['x-request-id'],
        });
      }
    }
    expect(h.fake.calls).toHaveLength(0);
  });

  it('refuses a revoked key once the partner cache (AUTH_CACHE_TTL_MS) has let go of it', async () => {
    const { partner, apiKey } = await createPartner(getDatabase().db, { name: 'Revoked' });
    let clock = 0;
    const hook = authenticate(getDatabase().db, () => clock);
    const request = { headers: { 'x-api-key': apiKey }, partner: null } as unknown as FastifyRequest;
    await hook(request);
    expect(request.partner?.id).toBe(partner.id);
    await getDatabase()
      .db.update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.partnerId, partner.id));
    await hook(request); // still cached
    clock += AUTH_CACHE_TTL_MS + 1;
    await expect(hook(request)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const res = await h.app.inject({ url: '/v1/payments/pay_x', headers: { 'x-api-key': apiKey } });
    expect(res.statusCode).toBe(401); // never seen by this app: looked up, refused
  });

  it('limits creates per API key and answers 429 RATE_LIMITED with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: partnerBody(h.partner),
      });
      statuses.push(res.statusCode);
    }
    // The seed 002 route shares the create bucket.
    const limited = await h.app.inject({
      method: 'POST',
      url: '/v1/payments/qris',
      headers: auth(h.partner),
      payload: { license_key: h.partner.licenseKey, amount: 5000 },
    });
    expect(statuses).toEqual([201, 201, 201]);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-request-id']).toBeDefined();
    expect(limited.json()).toMatchObject({
      success: false,
      code: 'RATE_LIMITED',
      details: { limit: 3, retry_after_seconds: expect.any(Number) },
      request_id: limited.headers['x-request-id'],
    });

    // Reads have their own bucket, and another key its own limits.
    expect((await h.app.inject({ url: '/v1/payments/pay_x', headers: auth(h.partner) })).statusCode).toBe(
      404,
    );
    const theirs = await h.app.inject({
      method: 'POST',
      url: '/v1/partner/payments',
      headers: auth(h.other),
      payload: partnerBody(h.other),
    });
    expect(theirs.statusCode).toBe(201);
  });

  it('limits status reads per API key', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await h.app.inject({ url: '/v1/payments/pay_y', headers: auth(h.other) })).statusCode);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429]);
  });

  it('counts requests without a key per IP, before touching the database', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await h.app.inject({ url: '/v1/payments/pay_z', remoteAddress: '203.0.113.9' })).statusCode,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  describe('GET /admin/stats', () => {
    it('answers 401 without the admin key, or with a partner key', async () => {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, auth(h.partner)]) {
        const res = await h.app.inject({ url: '/admin/stats', headers });
        expect(res.statusCode).toBe(401);
        expect(res.json().code).toBe('UNAUTHORIZED');
      }
    });

    it('answers the statistics with the admin key (Bearer or x-admin-key)', async () => {
      for (const headers of [{ authorization: 'Bearer admin-secret' }, { 'x-admin-key': 'admin-secret' }]) {
        const res = await h.app.inject({ url: '/admin/stats', headers });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          success: true,
          total_partners: expect.any(Number),
          total_transactions: expect.any(Number),
          active_orders: expect.any(Number),
          revenue_today: expect.any(Number),
          payments_by_status: { pending: expect.any(Number), paid: expect.any(Number) },
          top_partners: expect.any(Array),
        });
      }
    });
  });
});
