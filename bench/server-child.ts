// The server side of bench/server.ts, in a process of its own (forked with `--import tsx
// --expose-gc`), so that its memory is measured alone and it does not share an event loop with
// the load generator: `startQuickCart()` with the embedded sandbox (as `quickcart start` runs it,
// with rate limits raised out of the way), a bare Fastify route beside it (the baseline of
// status reads), and a few commands over IPC: seed pending payments, pay them through the state
// machine, read its memory, stop.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { loadConfig } from '../apps/server/src/config.js';
import { payments } from '../apps/server/src/db/schema.js';
import { newId } from '../apps/server/src/payments/ids.js';
import { createLicense } from '../apps/server/src/payments/licenses.js';
import { createPartner } from '../apps/server/src/payments/partners.js';
import { transition } from '../apps/server/src/payments/state.js';
import { startQuickCart } from '../apps/server/src/start/run.js';
import { freePort } from '../apps/server/test/scratch.js';

/** What the parent sends. */
export type ChildCommand =
  | { id: number; type: 'seed'; count: number }
  | { id: number; type: 'pay'; ids: string[]; batchSize: number; intervalMs: number }
  | { id: number; type: 'memory' }
  | { id: number; type: 'clock' }
  | { id: number; type: 'stop' };

/** What the child answers: `ready` once, then one reply per command id. */
export type ChildMessage =
  | {
      type: 'ready';
      url: string;
      bareUrl: string;
      apiKey: string;
      licenseKey: string;
    }
  | { type: 'reply'; id: number; result: unknown }
  | { type: 'failed'; id: number; error: string };

/** One paid batch: its payment ids and the time its transaction was about to commit. */
export interface PaidBatch {
  ids: string[];
  /** `performance.timeOrigin + performance.now()` just before COMMIT (ms, comparable across processes). */
  at: number;
}

/** A body the size and shape of a status answer, for the bare route. */
export const BARE_BODY = {
  success: true,
  transaction_id: 'pay_2rceiry7xw4jh56cajk3uqbs',
  payment_id: 'pay_2rceiry7xw4jh56cajk3uqbs',
  reference_id: 'BENCH-1',
  status: 'pending',
  amount: 25000,
  payment_type: 'QRIS',
  created_at: '2026-11-25T14:24:20.191Z',
  expires_at: '2026-11-25T14:54:20.191Z',
};

const now = () => performance.timeOrigin + performance.now();
const send = (message: ChildMessage) => process.send?.(message);

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-bench-'));
  const port = await freePort();
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const config = {
    ...loadConfig({
      DATA_DIR: dataDir,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      ...(databaseUrl && { DATABASE_URL: databaseUrl }),
    }),
    rateLimits: { createPerWindow: 1_000_000_000, readPerWindow: 1_000_000_000 },
  };
  const server = await startQuickCart(config, { host: '127.0.0.1', sweepIntervalMs: 3_600_000 });
  const db = server.database.db;
  const bare = Fastify();
  bare.get('/bare', async () => BARE_BODY);
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareAddress = bare.server.address();
  const barePort = typeof bareAddress === 'object' && bareAddress ? bareAddress.port : 0;

  const { partner, apiKey } = await createPartner(db, { name: 'Bench Shop' });
  const { license, key } = await createLicense(db, { partnerId: partner.id, tokens: 1_000_000 });

  async function seed(count: number): Promise<string[]> {
    const ids: string[] = [];
    const expiresAt = new Date(Date.now() + 30 * 60_000);
    for (let start = 0; start < count; start += 500) {
      const rows = Array.from({ length: Math.min(500, count - start) }, (_, i) => {
        const id = newId('payment');
        ids.push(id);
        return {
          id,
          partnerId: partner.id,
          licenseId: license.id,
          transactionId: `SEED-${start + i}-${id}`,
          paymentType: 'QRIS' as const,
          amount: 25_000,
          orderId: id,
          qrContent: `seeded-${id}`,
          expiresAt,
        };
      });
      await db.insert(payments).values(rows);
    }
    return ids;
  }

  async function pay(ids: string[], batchSize: number, intervalMs: number): Promise<PaidBatch[]> {
    const batches: PaidBatch[] = [];
    const started = performance.now();
    for (let start = 0, round = 0; start < ids.length; start += batchSize, round++) {
      const wait = started + round * intervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const batch = ids.slice(start, start + batchSize);
      let at = 0;
      await db.transaction(async (tx) => {
        for (const id of batch) await transition(tx, id, 'paid', { source: 'bench' });
        at = now();
      });
      batches.push({ ids: batch, at });
    }
    return batches;
  }

  async function memory(): Promise<NodeJS.MemoryUsage> {
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return process.memoryUsage();
  }

  process.on('message', (raw) => {
    const command = raw as ChildCommand;
    const run = async (): Promise<unknown> => {
      switch (command.type) {
        case 'seed':
          return seed(command.count);
        case 'pay':
          return pay(command.ids, command.batchSize, command.intervalMs);
        case 'memory':
          return memory();
        case 'clock':
          return now();
        case 'stop':
          await bare.close();
          await server.close();
          await rm(dataDir, { recursive: true, force: true });
          return null;
      }
    };
    run().then(
      (result) => {
        send({ type: 'reply', id: command.id, result });
        if (command.type === 'stop') process.disconnect();
      },
      (error: Error) => send({ type: 'failed', id: command.id, error: error.stack ?? error.message }),
    );
  });
  send({
    type: 'ready',
    url: server.url,
    bareUrl: `http://127.0.0.1:${barePort}/bare`,
    apiKey,
    licenseKey: key,
  });
}

await main();
