import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.js';
import { installErrorHandling } from '../errors.js';
import { isLoopback, registerInternalAdminRoutes } from './internal-admin.js';

describe('isLoopback', () => {
  it('knows IPv4, IPv6 and IPv4-mapped loopback', () => {
    for (const address of ['127.0.0.1', '127.3.4.5', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopback(address)).toBe(true);
    }
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', '192.168.1.127', 'fe80::1', undefined]) {
      expect(isLoopback(address)).toBe(false);
    }
  });
});

describeEachDatabase('the /_admin routes', (getDatabase) => {
  const token = 'test-admin-token';
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    installErrorHandling(app, { now: () => new Date() });
    registerInternalAdminRoutes(app, { db: getDatabase().db, driver: getDatabase().driver, token });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (url: string, payload: object, remoteAddress = '127.0.0.1', bearer = token) =>
    app.inject({
      method: 'POST',
      url,
      payload,
      remoteAddress,
      headers: { authorization: `Bearer ${bearer}` },
    });

  it('create a partner and its license, then top it up', async () => {
    const partner = await post('/_admin/partners', {
      name: 'Toko',
      webhook_url: 'https://toko.example/hook',
    });
    expect(partner.statusCode).toBe(201);
    expect(partner.headers['cache-control']).toBe('no-store');
    const { id } = partner.json() as { id: string };
    const license = await post('/_admin/licenses', { partner_id: id, tokens: 5, expires_at: null });
    expect(license.statusCode).toBe(201);
    const { license_key } = license.json() as { license_key: string };
    const topup = await post('/_admin/licenses/topup', { license_key, tokens: 10 });
    expect(topup.statusCode).toBe(200);
    expect(topup.json()).toMatchObject({ tokens: 15 });
    const status = await app.inject({
      method: 'GET',
      url: '/_admin/status',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.json()).toEqual({ migrated: true, driver: getDatabase().driver });
  });

  it('refuse other addresses than loopback (403) and wrong tokens (401)', async () => {
    const remote = await post('/_admin/partners', { name: 'X' }, '10.1.2.3');
    expect(remote.statusCode).toBe(403);
    expect(remote.json()).toMatchObject({ code: 'FORBIDDEN' });
    const wrong = await post('/_admin/partners', { name: 'X' }, '127.0.0.1', 'not-the-token');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('answer domain errors with their codes', async () => {
    const missing = await post('/_admin/licenses', { partner_id: 'ptn_missing', tokens: 1 });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND', error: 'no partner ptn_missing' });
    const unknown = await post('/_admin/licenses/topup', { license_key: 'AAAAA-BBBBB', tokens: 1 });
    expect(unknown.json()).toMatchObject({ code: 'INVALID_LICENSE' });
    const noName = await post('/_admin/partners', { name: '' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json()).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'name' } });
  });
});
