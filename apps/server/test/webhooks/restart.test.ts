// A worker process SIGKILLed in the middle of a delivery loses nothing: the outbox rows its
// transitions committed are delivered by the next worker (after a restart, on the same data), the
// row it had claimed once its lease runs out, with the same webhook-id. On PGlite (on disk, the
// dead process's lock taken over) and on PostgreSQL (another process on the same schema).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase, openPostgres } from '../../src/db/connect.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/types.js';
import { startWebhookWorker } from '../../src/webhooks/outbound/worker.js';
import { createTestSchema, testDrivers } from '../databases.js';
import { insertPayment } from '../fixtures.js';
import { startReceiver } from './receiver.js';
import { attemptsOf, eventually, onlyRowOf, testWorker, webhookPartner } from './setup.js';

const CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url));
const LEASE_MS = 1500;

/** Runs worker-child.ts; resolves once it says its transitions are committed. */
function startChild(spec: object): {
  child: ChildProcess;
  committed: Promise<void>;
  exited: Promise<unknown>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const committed = new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"committed"')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) early: ${err}`)));
  });
  return { child, committed, exited };
}

/** Opens the database the way the driver's next process would. */
interface Setup {
  spec: object;
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

async function setUp(driver: 'pglite' | 'postgres'): Promise<Setup> {
  if (driver === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-webhook-restart-'));
    return {
      spec: { driver, dataDir },
      open: () => openDatabase({ dataDir }),
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const url = process.env.TEST_DATABASE_URL ?? '';
  const { schema, drop } = await createTestSchema(url);
  return { spec: { driver, url, schema }, open: () => openPostgres({ url, schema }), dispose: drop };
}

for (const driver of testDrivers()) {
  describe(`outbound webhooks: SIGKILL and restart [${driver}]`, () => {
    it('delivers every committed event after the worker process is killed mid-delivery', {
      timeout: 60_000,
    }, async () => {
      const receiver = await startReceiver((_request, index) => (index === 0 ? 'hang' : { status: 200 }));
      const setup = await setUp(driver);
      let database: Database | undefined = await setup.open();
      let child: ReturnType<typeof startChild> | undefined;
      try {
        await migrateDatabase(database);
        const partner = await webhookPartner(database.db, { webhookUrl: receiver.url });
        const claimed = await insertPayment(database.db, partner);
        const queued = await insertPayment(database.db, partner);
        // PGlite admits one process: hand the data over to the child.
        if (driver === 'pglite') {
          await database.close();
          database = undefined;
        }
        child = startChild({ database: setup.spec, paymentIds: [claimed.id, queued.id], leaseMs: LEASE_MS });
        await child.committed;
        await receiver.waitFor(1, 20_000);
        child.child.kill('SIGKILL');
        expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });

        database ??= await setup.open();
        const { db } = database;
        const dead = await onlyRowOf(db, claimed.id);
        expect(dead).toMatchObject({ attempts: 1, deliveredAt: null, failedAt: null });
        expect(dead.leaseUntil).not.toBeNull();
        expect(await attemptsOf(db, dead.id)).toEqual([]);
        expect((await onlyRowOf(db, queued.id)).attempts).toBe(0);

        const worker = startWebhookWorker(testWorker(db));
        try {
          await eventually(async () => (await onlyRowOf(db, claimed.id)).deliveredAt !== null, 20_000);
          await eventually(async () => (await onlyRowOf(db, queued.id)).deliveredAt !== null, 5000);
        } finally {
          await worker.stop();
        }
        const first = receiver.requests[0];
        const retried = receiver.requests.filter((r) => r.headers['webhook-id'] === dead.eventId);
        expect(retried).toHaveLength(2);
        expect(first?.headers['webhook-id']).toBe(dead.eventId);
        // Not before the dead worker's lease ran out (same machine clock; 50 ms for rounding).
        expect(retried[1]?.at ?? 0).toBeGreaterThanOrEqual((dead.leaseUntil?.getTime() ?? Infinity) - 50);
        const after = await onlyRowOf(db, claimed.id);
        expect(after.attempts).toBe(2);
        expect((await attemptsOf(db, after.id)).map((a) => [a.attempt, a.statusCode])).toEqual([[2, 200]]);
        expect((await onlyRowOf(db, queued.id)).attempts).toBe(1);
        expect(receiver.requests).toHaveLength(3);
      } finally {
        child?.child.kill('SIGKILL');
        await database?.close();
        await receiver.close();
        await setup.dispose();
      }
    });
  });
}
