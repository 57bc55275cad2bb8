// Two real `quickcart start` processes (the built dist, as users run it) on one PostgreSQL schema,
// each with its own port and embedded sandbox: payments created on either are paid exactly once
// and wake long-polls held by the OTHER process (cross-process LISTEN/NOTIFY); the expiry sweep
// runs on one process at a time (advisory job lock); SIGTERM stops both gracefully.
// PostgreSQL only: with TEST_DATABASE_URL set, an unreachable server fails these tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/db/connect.js';
import { paymentEvents, payments } from '../src/db/schema.js';
import type { PostgresHandle } from '../src/db/types.js';
import { insertPayment, partnerWithLicense } from './fixtures.js';
import { callApi, createScratchDatabase, eventually, freePort, type ScratchDatabase } from './servers.js';

const BIN = fileURLToPath(new URL('../bin/quickcart.js', import.meta.url));
const PER_PROCESS = 6;
const EXPIRED = 48;
/** Latency of every sandbox API call: makes an expiry run last long enough for two to overlap. */
const SANDBOX_LATENCY_MS = 120;
const EXPIRY_WARNING = 'expiry: could not ask the gateway; expiring anyway';

/** One `quickcart start` child process. */
interface ServerProcess {
  name: string;
  url: string;
  sandboxUrl: string;
  child: ChildProcess;
  /** Every line it printed on stdout so far (banner, then pino JSON). */
  lines: string[];
  stderr: string[];
  /** Resolves with its exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  dataDir: string;
}

/** The environment of a child: ours, without anything that would change its mode or database. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(PAKASIR_|TELEGRAM_|DATABASE_URL$|TEST_DATABASE_URL$|REDIS_URL$|ADMIN_)/.test(name))
      delete env[name];
  }
  return { ...env, ...extra };
}

/** Starts `quickcart start` on `databaseUrl` and resolves once its banner names its URL and sandbox. */
async function startProcess(name: string, databaseUrl: string): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), `quickcart-${name}-`));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: dataDir, // no stray .env
    env: childEnv({
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const lines: string[] = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const started = Promise.race([
    eventually(
      `${name} to print its banner`,
      async () => {
        const sandbox = lines.join('\n').match(/embedded Pakasir sandbox at (http:\/\/[^\s)]+)/);
        return lines.some((line) => line.includes(`QuickCart is listening on ${url}`)) && sandbox?.[1];
      },
      { ms: 20_000, everyMs: 20 },
    ),
    exited.then(({ code, signal }) => {
      throw new Error(`${name} exited (${code ?? signal}) before it listened:\n${stderr.join('')}`);
    }),
  ]);
  try {
    // The sandbox's own URL, or its proxy on the service's port (`…/sandbox/pakasir/`).
    const sandboxUrl = (await started).replace(/\/+$/, '');
    return { name, url, sandboxUrl, child, lines, stderr, exited, dataDir };
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The pino JSON lines a process logged. */
function logsOf(server: ServerProcess): Record<string, unknown>[] {
  return server.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

/** Resolves with the exits of `processes`, or rejects when one is still running after `ms`. */
function exitWithin(processes: ServerProcess[], ms: number) {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.all(processes.map((server) => server.exited)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`a server was still running ${ms} ms after SIGTERM`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A GET on a connection of its own that is closed after the answer (no keep-alive). */
function getOnce(url: string, apiKey: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpGet(
      url,
      { agent: false, headers: { authorization: `Bearer ${apiKey}` } },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

/** The open long requests a process reports on /metrics. */
async function openLongRequests(server: ServerProcess): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = text.match(/^quickcart_long_requests_open(?:\{\})? (\d+)$/m);
  return match ? Number(match[1]) : 0;
}

describe.runIf(process.env.TEST_DATABASE_URL)('two quickcart processes on one PostgreSQL schema', () => {
  let scratch: ScratchDatabase | undefined;
  let database: PostgresHandle | undefined;
  const servers: ServerProcess[] = [];
  let owner: Awaited<ReturnType<typeof partnerWithLicense>>;
  const expiredIds: string[] = [];
  const db = () => {
    if (!database) throw new Error('the database is not open');
    return database.db;
  };
  /** Creates a QRIS payment on `server`; returns its id. */
  const createOn = async (server: ServerProcess, transactionId: string, amount = 12_345) => {
    const answer = await callApi<{ payment_id: string }>(`${server.url}/v1/partner/payments`, owner.apiKey, {
      body: { transaction_id: transactionId, amount, license_key: owner.licenseKey, payment_type: 'QRIS' },
    });
    expect(answer.status).toBe(201);
    return answer.body.payment_id;
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL as string);
    // Both start on an empty schema at once: migrations run under their advisory lock.
    const started = await Promise.allSettled([
      startProcess('a', scratch.url),
      startProcess('b', scratch.url),
    ]);
    for (const outcome of started) if (outcome.status === 'fulfilled') servers.push(outcome.value); // afterAll stops them
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    database = await openPostgres({ url: scratch.url, max: 4 });
    owner = await partnerWithLicense(database.db, { tokens: 100 });
    // Payments already past their expiry, with upstream ids no sandbox knows: the first sweep of
    // each process (5 s after it started) finds them due.
    for (let i = 0; i < EXPIRED; i++) {
      const row = await insertPayment(database.db, owner, {
        qrContent: `expired-qr-${i}`,
        upstreamTxnId: `txn_unknown_${i}`,
        expiresAt: new Date(Date.now() - 60_000),
      });
      expiredIds.push(row.id);
    }
    for (const server of servers) {
      const response = await fetch(`${server.sandboxUrl}/sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latencyMs: SANDBOX_LATENCY_MS, webhookDuplicates: 1000 }),
      });
      expect(response.status).toBe(200);
    }
  });

  afterAll(async () => {
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await server.exited;
      await rm(server.dataDir, { recursive: true, force: true });
    }
    await database?.close();
    await scratch?.drop();
  });

  it('pays payments made on either process exactly once, waking long-polls held by the other', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const created: { id: string; maker: ServerProcess; waiter: ServerProcess }[] = [];
    await Promise.all(
      [a, b].flatMap((maker) =>
        Array.from({ length: PER_PROCESS }, async (_, i) => {
          const id = await createOn(maker, `TWO-${maker.name}-${i}`, 10_000 + i);
          created.push({ id, maker, waiter: maker === a ? b : a });
        }),
      ),
    );
    const waits = created.map(async ({ id, waiter }) => {
      const answer = await callApi(`${waiter.url}/v1/payments/${id}/wait?timeout_ms=15000`, owner.apiKey);
      return { ...answer, at: Date.now() };
    });
    // Every long-poll is open (and read `pending`) before anything is paid.
    await eventually('the long-polls to be open on both processes', async () => {
      const open = await Promise.all([a, b].map(openLongRequests));
      return open.every((n) => n >= PER_PROCESS);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const paidFrom = Date.now();
    const simulated = await Promise.all(
      created.map(({ id, maker }) =>
        callApi(`${maker.url}/v1/payments/${id}/simulate`, owner.apiKey, { method: 'POST' }),
      ),
    );
    for (const answer of simulated) expect(answer).toMatchObject({ status: 200, body: { status: 'paid' } });
    for (const answer of await Promise.all(waits)) {
      expect(answer).toMatchObject({ status: 200, body: { status: 'paid', timeout: false } });
      expect(answer.at).toBeGreaterThanOrEqual(paidFrom);
    }

    const ids = created.map((c) => c.id);
    const events = await db()
      .select({
        paymentId: paymentEvents.paymentId,
        from: paymentEvents.fromStatus,
        to: paymentEvents.toStatus,
      })
      .from(paymentEvents)
      .where(inArray(paymentEvents.paymentId, ids))
      .orderBy(asc(paymentEvents.id));
    for (const id of ids) {
      expect(events.filter((e) => e.paymentId === id).map(({ from, to }) => ({ from, to }))).toEqual([
        { from: null, to: 'pending' },
        { from: 'pending', to: 'paid' },
      ]);
    }
    // Each sandbox sent every webhook twice: the second copy changed nothing.
    for (const server of [a, b]) {
      const { deliveries } = (await (await fetch(`${server.sandboxUrl}/sandbox/webhooks`)).json()) as {
        deliveries: { orderId: string; copy: number }[];
      };
      expect(deliveries.filter((d) => d.copy === 2)).toHaveLength(PER_PROCESS);
    }
  });

  it('expires due payments exactly once, never running the sweep on both processes at once', async () => {
    const rows = await eventually(
      'every due payment to expire',
      async () => {
        const rows = await db()
          .select({ id: payments.id, status: payments.status })
          .from(payments)
          .where(inArray(payments.id, expiredIds));
        return rows.every((row) => row.status === 'expired') && rows;
      },
      { ms: 20_000, everyMs: 200 },
    );
    expect(rows).toHaveLength(EXPIRED);
    const events = await db()
      .select({ paymentId: paymentEvents.paymentId, source: paymentEvents.source })
      .from(paymentEvents)
      .where(and(inArray(paymentEvents.paymentId, expiredIds), eq(paymentEvents.toStatus, 'expired')));
    expect(events.map((e) => e.paymentId).sort()).toEqual([...expiredIds].sort());
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['sweeper']));

    // A run asks the gateway about each due payment (unknown there: logged, then expired). Under
    // the job lock one run handles them all; two concurrent runs would both see the rows still
    // pending and log some of them twice.
    const warned = servers.flatMap((server) =>
      logsOf(server)
        .filter((line) => line.msg === EXPIRY_WARNING)
        .map((line) => ({ server: server.name, paymentId: String(line.payment_id) })),
    );
    const times = new Map<string, number>();
    for (const { paymentId } of warned) times.set(paymentId, (times.get(paymentId) ?? 0) + 1);
    expect([...times.keys()].sort()).toEqual([...expiredIds].sort());
    expect([...times.values()].every((n) => n === 1)).toBe(true);
  });

  it('stops both on SIGTERM with exit code 0 within 10 s, answering an open long-poll first', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const id = await createOn(b, 'TWO-SHUTDOWN');
    // A client that closes its connection after the answer (see the next test for one that keeps it).
    const waiting = getOnce(`${b.url}/v1/payments/${id}/wait?timeout_ms=30000`, owner.apiKey);
    await eventually('the long-poll to be open', async () => (await openLongRequests(b)) >= 1);
    for (const server of [a, b]) server.child.kill('SIGTERM');
    expect(await waiting).toMatchObject({ status: 200, body: { status: 'pending', timeout: true } });
    expect(await exitWithin([a, b], 10_000)).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    for (const server of [a, b]) expect(server.stderr.join('')).toContain('quickcart: stopping');
  });

  // Answers sent while closing say `Connection: close`, so a keep-alive client cannot hold the process.
  it('stops within 5 s of SIGTERM while a keep-alive client holds a long-poll', async () => {
    if (!scratch) throw new Error('no scratch database');
    const c = await startProcess('c', scratch.url);
    servers.push(c);
    const id = await createOn(c, 'TWO-KEEPALIVE');
    const waiting = callApi(`${c.url}/v1/payments/${id}/wait?timeout_ms=30000`, owner.apiKey);
    await eventually('the long-poll to be open', async () => (await openLongRequests(c)) >= 1);
    c.child.kill('SIGTERM');
    expect(await waiting).toMatchObject({ status: 200, body: { status: 'pending', timeout: true } });
    expect(await exitWithin([c], 5_000)).toEqual([{ code: 0, signal: null }]);
  });
});
