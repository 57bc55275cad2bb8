// `quickcart start` end to end on PGlite: demo data, a QRIS payment created over HTTP, paid in the
// embedded sandbox, its webhook back through /webhooks/pakasir, the long-poll woken; then a
// second instance on the same data directory refuses to start.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@quickcart/qris';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { DatabaseLockedError } from '../src/db/lock.js';
import { queryRows } from '../src/db/sql.js';
import type { DemoCredentials } from '../src/start/demo.js';
import { type RunningServer, startQuickCart } from '../src/start/run.js';
import { StockKeyError } from '../src/store/stock-crypto.js';
import { freePort } from './scratch.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<{ server: RunningServer; banner: string }> {
  const config = loadConfig({
    ...env,
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'silent',
  });
  let banner = '';
  const server = await startQuickCart(config, {
    host: '127.0.0.1',
    httpLogs: false,
    sweepIntervalMs: 500,
    print: (text) => (banner += text),
  });
  return { server, banner };
}

describe('quickcart start', () => {
  it('takes a demo payment from creation to paid through the real webhook path', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-start-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const { server, banner } = await start(dataDir, port);
    cleanups.push(() => server.close());

    expect(banner).toContain(`QuickCart is listening on http://127.0.0.1:${port}`);
    expect(banner).toContain('embedded Pakasir sandbox');
    const demo = JSON.parse(
      await readFile(join(dataDir, 'demo-credentials.json'), 'utf8'),
    ) as DemoCredentials;
    expect(banner).toContain(demo.apiKey);

    const headers = { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' };
    const created = await fetch(`${server.url}/v1/partner/payments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        transaction_id: 'DEMO-1',
        amount: 25000,
        license_key: demo.licenseKey,
        payment_type: 'QRIS',
      }),
    });
    expect(created.status).toBe(201);
    const payment = (await created.json()) as {
      payment_id: string;
      qris: { qr_content: string; qr_image_url: string };
    };
    expect(parse(payment.qris.qr_content).fields.pointOfInitiation).toBe('dynamic');
    expect((await fetch(payment.qris.qr_image_url)).headers.get('content-type')).toBe('image/png');

    const waiting = fetch(`${server.url}/v1/payments/${payment.payment_id}/wait?timeout_ms=20000`, {
      headers,
    });
    const simulated = await fetch(`${server.url}/v1/payments/${payment.payment_id}/simulate`, {
      method: 'POST',
      headers,
    });
    expect(simulated.status).toBe(200);
    const waited = (await (await waiting).json()) as { status: string; timeout?: boolean };
    expect(waited).toMatchObject({ status: 'paid' });

    const status = (await (
      await fetch(`${server.url}/v1/payments/${payment.payment_id}`, { headers })
    ).json()) as { status: string; paid_at: string };
    expect(status).toMatchObject({ status: 'paid', paid_at: expect.any(String) });
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  });

  it('refuses a second instance on the same PGlite directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-start-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const { server } = await start(dataDir, await freePort());
    cleanups.push(() => server.close());
    await expect(start(dataDir, await freePort())).rejects.toBeInstanceOf(DatabaseLockedError);
  });

  it('encrypts stock with STOCK_ENCRYPTION_KEY and refuses to start without it or with another', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-start-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const key = randomBytes(32).toString('hex');
    const { server } = await start(dataDir, await freePort(), { STOCK_ENCRYPTION_KEY: key });
    await server.close();
    // The first sandbox start's demo stock is encrypted too.
    const database = await openDatabase({ databaseUrl: undefined, dataDir });
    try {
      const rows = await queryRows<{ content: string }>(
        database.db,
        sql`select content from store_stock_items`,
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.content.startsWith('enc:v1:'))).toBe(true);
    } finally {
      await database.close();
    }
    const without = await start(dataDir, await freePort()).catch((error: unknown) => error);
    expect(without).toBeInstanceOf(StockKeyError);
    expect((without as Error).message).toMatch(/encrypted .*STOCK_ENCRYPTION_KEY is not set/);
    const other = randomBytes(32).toString('hex');
    const wrong = await start(dataDir, await freePort(), { STOCK_ENCRYPTION_KEY: other }).catch(
      (error: unknown) => error,
    );
    expect(wrong).toBeInstanceOf(StockKeyError);
    expect((wrong as Error).message).not.toContain(other);
    // With the key it starts again.
    const again = await start(dataDir, await freePort(), { STOCK_ENCRYPTION_KEY: key });
    await again.server.close();
  }, 60_000);
});
