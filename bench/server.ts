// Part of `npm run bench`: the QuickCart server (apps/server) against its floors, on PostgreSQL
// (when one answers) and on PGlite:
// - creating a QRIS payment over HTTP (embedded sandbox) against the same SQL (payment insert,
//   token debit with its ledger row, creation event) run directly through `pg` / PGlite;
// - status reads (GET /v1/payments/:id) against a bare Fastify route answering a constant body;
// - 5,000 concurrent long-poll waiters (one per pending payment): the memory they add to the
//   server process, and the time from each paid transition to its waiter's answer.
// The server runs in a child process (bench/server-child.ts), the load and the floors here; both
// sides of a ratio use the same client, concurrency and sampling (alternating order).
import { type ChildProcess, execSync, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type pg from 'pg';
import { openPostgres } from '../apps/server/src/db/connect.js';
import { defaultMigrationsFolder } from '../apps/server/src/db/migrate.js';
import { tables } from '../apps/server/src/db/schema.js';
import type { Db, Driver } from '../apps/server/src/db/types.js';
import { INSERT_PAYMENT, insertPaymentValues } from '../apps/server/src/payments/create-statements.js';
import { newId } from '../apps/server/src/payments/ids.js';
import { createLicense, DEBIT_TOKEN } from '../apps/server/src/payments/licenses.js';
import { createPartner } from '../apps/server/src/payments/partners.js';
import { createScratchDatabase, type ScratchDatabase } from '../apps/server/test/scratch.js';
import { median } from './harness.js';
import { environment, writeResults } from './report.js';
import type { ChildCommand, ChildMessage, PaidBatch } from './server-child.js';

const CONCURRENCY = 8;
const WARMUP_MS = 2000;
const ROUNDS = 5;
const SAMPLE_MS = 800;
/** Hard cap per sample, whatever the clock says. */
const MAX_OPS_PER_SAMPLE = 100_000;
const WAITERS = 5000;
const PAY_BATCH = 50;
const PAY_INTERVAL_MS = 50;
/** How many connections may be connecting at once while the waiters open. */
const OPEN_WAVE = 250;
const CREATE_GOAL = 0.5;
const READ_GOAL = 0.6;
const MEMORY_GOAL_MB = 150;
const P99_GOAL_MS = 100;
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => bytes / (1024 * 1024);

// ---------------------------------------------------------------------------------------------
// The server child

/** A command before it gets its id (distributed over the union). */
type CommandWithoutId = ChildCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

interface Ready {
  url: string;
  bareUrl: string;
  apiKey: string;
  licenseKey: string;
}

/** bench/server-child.ts in its own process, driven over IPC. */
class ServerChild {
  #next = 1;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly output: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly ready: Ready,
  ) {
    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'ready') return;
      const waiter = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.type === 'reply') waiter?.resolve(message.result);
      else waiter?.reject(new Error(`server child: ${message.error}`));
    });
  }

  static async start(databaseUrl: string | undefined): Promise<ServerChild> {
    const child = fork(fileURLToPath(new URL('./server-child.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, BENCH_DATABASE_URL: databaseUrl ?? '' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const output: string[] = [];
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    const ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server child did not start within 30 s')), 30_000);
      child.on('message', (raw) => {
        const message = raw as ChildMessage;
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server child exited (${code}) before it was ready:\n${output.join('')}`));
      });
    });
    const handle = new ServerChild(child, ready);
    handle.output.push(...output);
    child.stdout?.on('data', (chunk: string) => handle.output.push(chunk));
    child.stderr?.on('data', (chunk: string) => handle.output.push(chunk));
    return handle;
  }

  call<T>(command: CommandWithoutId, timeoutMs = 60_000): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`server child: ${command.type} took over ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ ...command, id } as ChildCommand);
    });
  }

  /** Stops the server (graceful close), or kills it when that takes over 10 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.call({ type: 'stop' }, 10_000).catch(() => this.child.kill('SIGKILL'));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Offset of the child's clock against ours (child − parent, ms), from the fastest of 20 pings. */
  async clockOffset(): Promise<number> {
    let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
    for (let i = 0; i < 20; i++) {
      const sent = now();
      const theirs = await this.call<number>({ type: 'clock' });
      const back = now();
      if (back - sent < best.rtt) best = { rtt: back - sent, offset: theirs - (sent + back) / 2 };
    }
    return best.offset;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP client and closed-loop load

interface Target {
  host: string;
  port: number;
  path: string;
}

function target(url: string): Target {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port), path: `${parsed.pathname}${parsed.search}` };
}

/** One request on `agent`; resolves with the status and the body text. */
function call(
  agent: Agent,
  to: Target,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        agent,
        host: to.host,
        port: to.port,
        path: to.path,
        method: options.method ?? 'GET',
        headers: {
          ...options.headers,
          ...(options.body !== undefined && {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(options.body)),
          }),
        },
      },
      (response: IncomingMessage) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** A contender: one operation, true when its answer was the expected one. */
interface Contender {
  name: string;
  op: () => Promise<boolean>;
}

interface Sampled {
  name: string;
  medianOpsPerSec: number;
  samples: number[];
  ops: number;
  wrong: number;
}

/** Runs `op` from CONCURRENCY loops for `ms` (and at most `max` operations). */
async function closedLoop(op: Contender['op'], ms: number, max: number) {
  const deadline = performance.now() + ms;
  const started = performance.now();
  let ops = 0;
  let wrong = 0;
  const worker = async () => {
    while (performance.now() < deadline && ops < max) {
      ops++;
      if (!(await op().catch(() => false))) wrong++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = performance.now() - started;
  return { ops, wrong, opsPerSec: (ops * 1000) / elapsed };
}

/** Warms both up, then samples them in turn (A B, B A, …) ROUNDS times; medians of ops/s. */
async function compare(a: Contender, b: Contender): Promise<[Sampled, Sampled]> {
  for (const c of [a, b]) await closedLoop(c.op, WARMUP_MS, MAX_OPS_PER_SAMPLE);
  const results = new Map<Contender, Sampled>(
    [a, b].map((c) => [c, { name: c.name, medianOpsPerSec: 0, samples: [], ops: 0, wrong: 0 }]),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of round % 2 === 0 ? [a, b] : [b, a]) {
      const run = await closedLoop(c.op, SAMPLE_MS, MAX_OPS_PER_SAMPLE);
      const sampled = results.get(c) as Sampled;
      sampled.samples.push(run.opsPerSec);
      sampled.ops += run.ops;
      sampled.wrong += run.wrong;
    }
  }
  for (const sampled of results.values()) sampled.medianOpsPerSec = median(sampled.samples);
  return [results.get(a) as Sampled, results.get(b) as Sampled];
}

// ---------------------------------------------------------------------------------------------
// Floors: the create transaction's SQL, straight to the database

let floorSequence = 0;

/** The values of one floor transaction: what `insertAndDebit()` (src/payments/service.ts) sends for the load's body. */
function floorValues(owner: { partnerId: string; licenseId: string }) {
  const id = newId('payment');
  const createdAt = new Date();
  const input = { transactionId: `FLOOR-${floorSequence++}`, amount: 25_000, paymentType: 'QRIS' as const };
  return {
    insert: insertPaymentValues(id, owner, input, {
      createdAt,
      reconcileAfter: new Date(createdAt.getTime() + 15_000),
    }),
    debit: [owner.licenseId, id],
  };
}

/**
 * The floor's database: the server's PostgreSQL through a pool of its own, or a PGlite of its own
 * in this process, called directly (the server's runs in a worker thread; the floor skips that hop).
 */
type Floor = { db: Db; close(): Promise<void> } & (
  | { driver: 'postgres'; pool: pg.Pool }
  | { driver: 'pglite'; pglite: PGlite }
);

async function openFloor(databaseUrl: string | undefined, pgliteDir: string): Promise<Floor> {
  if (databaseUrl) {
    const database = await openPostgres({ url: databaseUrl, max: 10 });
    return { driver: 'postgres', db: database.db, pool: database.client, close: () => database.close() };
  }
  const pglite = await PGlite.create(pgliteDir);
  const db = drizzlePglite({ client: pglite, schema: tables });
  await migratePglite(db, { migrationsFolder: defaultMigrationsFolder() });
  return { driver: 'pglite', db, pglite, close: () => pglite.close() };
}

/** A partner with a license for the floor, on the floor's own database handle. */
async function floorOwner(floor: Floor): Promise<{ partnerId: string; licenseId: string }> {
  const { partner } = await createPartner(floor.db, { name: 'Floor Shop' });
  const { license } = await createLicense(floor.db, { partnerId: partner.id, tokens: 1_000_000 });
  return { partnerId: partner.id, licenseId: license.id };
}

/**
 * The floor's operation on `database`: the service's create transaction, its two statements with
 * the same text (prepared per connection on PostgreSQL, as the service does), straight to the driver.
 */
function floorOp(floor: Floor, owner: { partnerId: string; licenseId: string }): Contender['op'] {
  if (floor.driver === 'postgres') {
    const { pool } = floor;
    return async () => {
      const v = floorValues(owner);
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query({ ...INSERT_PAYMENT, values: v.insert });
        const debited = await client.query({ ...DEBIT_TOKEN, values: v.debit });
        await client.query('commit');
        return debited.rowCount === 1;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    };
  }
  const { pglite } = floor;
  return async () => {
    const v = floorValues(owner);
    return pglite.transaction(async (tx) => {
      await tx.query(INSERT_PAYMENT.text, v.insert);
      const debited = await tx.query(DEBIT_TOKEN.text, v.debit);
      return debited.rows.length === 1;
    });
  };
}

// ---------------------------------------------------------------------------------------------
// The three measurements

interface Throughput {
  ours: Sampled;
  baseline: Sampled;
  ratio: number;
}

async function measureCreates(server: ServerChild, floor: Floor): Promise<Throughput & { ids: string[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const to = target(`${server.ready.url}/v1/partner/payments`);
  const headers = { authorization: `Bearer ${server.ready.apiKey}` };
  const ids: string[] = [];
  let sequence = 0;
  const http: Contender = {
    name: 'POST /v1/partner/payments',
    op: async () => {
      const body = JSON.stringify({
        transaction_id: `BENCH-${sequence++}`,
        amount: 25_000,
        license_key: server.ready.licenseKey,
        payment_type: 'QRIS',
      });
      const answer = await call(agent, to, { method: 'POST', headers, body });
      if (answer.status !== 201) return false;
      if (ids.length < 200) ids.push((JSON.parse(answer.text) as { payment_id: string }).payment_id);
      return true;
    },
  };
  const direct: Contender = {
    name: `same SQL through ${floor.driver === 'postgres' ? 'pg' : 'PGlite'} (floor)`,
    op: floorOp(floor, await floorOwner(floor)),
  };
  try {
    const [ours, baseline] = await compare(http, direct);
    return { ours, baseline, ratio: ours.medianOpsPerSec / baseline.medianOpsPerSec, ids };
  } finally {
    agent.destroy();
  }
}

async function measureReads(server: ServerChild, ids: string[]): Promise<Throughput> {
  if (ids.length === 0) throw new Error('no payment was created: nothing to read');
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const headers = { authorization: `Bearer ${server.ready.apiKey}` };
  const targets = ids.map((id) => target(`${server.ready.url}/v1/payments/${id}`));
  const bare = target(server.ready.bareUrl);
  let next = 0;
  const status: Contender = {
    name: 'GET /v1/payments/:id',
    op: async () =>
      (await call(agent, targets[next++ % targets.length] as Target, { headers })).status === 200,
  };
  const constant: Contender = {
    name: 'bare Fastify route, constant JSON',
    op: async () => (await call(agent, bare)).status === 200,
  };
  try {
    const [ours, baseline] = await compare(status, constant);
    return { ours, baseline, ratio: ours.medianOpsPerSec / baseline.medianOpsPerSec };
  } finally {
    agent.destroy();
  }
}

interface WaiterResult {
  waiters: number;
  opened: number;
  answered: number;
  wrong: number;
  errors: number;
  memoryMb: { rss: number; heapUsed: number; external: number };
  latencyMs: { p50: number; p99: number; max: number };
  clockOffsetMs: number;
  openSeconds: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** The open long requests the server reports on /metrics. */
async function openLongRequests(server: ServerChild): Promise<number> {
  const agent = new Agent({ keepAlive: false });
  try {
    const { text } = await call(agent, target(`${server.ready.url}/metrics`));
    const match = text.match(/^quickcart_long_requests_open(?:\{\})? (\d+)$/m);
    return match ? Number(match[1]) : 0;
  } finally {
    agent.destroy();
  }
}

/**
 * WAITERS long-polls, one per pending payment, on a fresh server process: its memory before and
 * with them open (after GC), then the payments are paid PAY_BATCH per transaction every
 * PAY_INTERVAL_MS and each answer's delay after its transaction is timed.
 */
async function measureWaiters(databaseUrl: string | undefined): Promise<WaiterResult> {
  const server = await ServerChild.start(databaseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: WAITERS + 100, maxFreeSockets: WAITERS + 100 });
  try {
    const ids = await server.call<string[]>({ type: 'seed', count: WAITERS });
    const offset = await server.clockOffset();
    const headers = { authorization: `Bearer ${server.ready.apiKey}` };
    // Warm the wait path (JIT, pool) with immediate answers, then measure the idle server.
    const warm = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    let w = 0;
    await closedLoop(
      async () =>
        (
          await call(warm, target(`${server.ready.url}/v1/payments/${ids[w++ % 100]}/wait?timeout_ms=0`), {
            headers,
          })
        ).status === 200,
      1000,
      2000,
    );
    warm.destroy();
    const before = await server.call<NodeJS.MemoryUsage>({ type: 'memory' });

    const answeredAt = new Map<string, number>();
    let wrong = 0;
    let errors = 0;
    const openStarted = performance.now();
    const answers: Promise<void>[] = [];
    for (let start = 0; start < ids.length; start += OPEN_WAVE) {
      const connected: Promise<void>[] = [];
      for (const id of ids.slice(start, start + OPEN_WAVE)) {
        let onConnect: () => void = () => {};
        connected.push(new Promise<void>((resolve) => (onConnect = resolve)));
        answers.push(
          new Promise<void>((resolve) => {
            const request = httpRequest(
              { agent, ...target(`${server.ready.url}/v1/payments/${id}/wait?timeout_ms=60000`), headers },
              (response) => {
                let text = '';
                response.setEncoding('utf8');
                response.on('data', (chunk: string) => {
                  text += chunk;
                });
                response.on('end', () => {
                  answeredAt.set(id, now());
                  const body = JSON.parse(text) as { status?: string; timeout?: boolean };
                  if (response.statusCode !== 200 || body.status !== 'paid' || body.timeout !== false)
                    wrong++;
                  resolve();
                });
              },
            );
            request.on('socket', (socket) => {
              if (socket.connecting) socket.once('connect', onConnect);
              else onConnect();
            });
            request.on('error', () => {
              errors++;
              onConnect();
              resolve();
            });
            request.end();
          }),
        );
      }
      await Promise.all(connected);
    }
    const deadline = Date.now() + 60_000;
    let opened = await openLongRequests(server);
    // Every waiter whose request did not fail must be registered before the payments start;
    // failed requests (reported as `errors`) are not waited for.
    while (opened < WAITERS - errors && Date.now() < deadline) {
      await sleep(200);
      opened = await openLongRequests(server);
    }
    const openSeconds = (performance.now() - openStarted) / 1000;
    await sleep(500);
    const during = await server.call<NodeJS.MemoryUsage>({ type: 'memory' });

    const batches = await server.call<PaidBatch[]>(
      { type: 'pay', ids, batchSize: PAY_BATCH, intervalMs: PAY_INTERVAL_MS },
      120_000,
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(answers),
      new Promise((resolve) => (timer = setTimeout(resolve, 30_000))),
    ]);
    clearTimeout(timer);
    const latencies: number[] = [];
    for (const batch of batches) {
      const paidAt = batch.at - offset; // in our clock
      for (const id of batch.ids) {
        const at = answeredAt.get(id);
        if (at !== undefined) latencies.push(at - paidAt);
      }
    }
    latencies.sort((x, y) => x - y);
    return {
      waiters: WAITERS,
      opened,
      answered: answeredAt.size,
      wrong,
      errors,
      memoryMb: {
        rss: mb(during.rss - before.rss),
        heapUsed: mb(during.heapUsed - before.heapUsed),
        external: mb(during.external - before.external),
      },
      latencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? Number.NaN,
      },
      clockOffsetMs: offset,
      openSeconds,
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// One driver, and the whole bench

interface DriverResult {
  driver: Driver;
  creates: Throughput;
  reads: Throughput;
  waiters: WaiterResult;
}

async function runDriver(driver: Driver, databaseUrl: string | undefined): Promise<DriverResult> {
  console.log(`${driver}: creates and status reads…`);
  const server = await ServerChild.start(databaseUrl);
  const floorDir = await mkdtemp(join(tmpdir(), 'quickcart-bench-floor-'));
  let floor: Floor | undefined;
  try {
    // The server has migrated; the floor works on the same PostgreSQL database, or on its own PGlite.
    floor = await openFloor(databaseUrl, floorDir);
    const { ids, ...creates } = await measureCreates(server, floor);
    const reads = await measureReads(server, ids);
    await server.stop();
    console.log(`${driver}: ${WAITERS} long-poll waiters…`);
    const waiters = await measureWaiters(databaseUrl);
    return { driver, creates, reads, waiters };
  } finally {
    await server.stop();
    await floor?.close();
    await rm(floorDir, { recursive: true, force: true });
  }
}

/** A PostgreSQL scratch database for the bench, or why there is none. */
async function postgresScratch(): Promise<ScratchDatabase | string> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? DEFAULT_PG_URL;
  try {
    return await createScratchDatabase(url);
  } catch (error) {
    return `PostgreSQL rows skipped: ${(error as Error).message}`;
  }
}

const ops = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

function tableRows(result: DriverResult): string[] {
  const name = result.driver === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const { creates, reads, waiters } = result;
  const wrong = (s: Sampled) => (s.wrong > 0 ? ` (${s.wrong} wrong answers)` : '');
  return [
    `| create QRIS payment, ${name}, ${CONCURRENCY} concurrent | ${creates.ours.name} (HTTP, embedded sandbox) | ${ops(creates.ours.medianOpsPerSec)} | ${creates.ratio.toFixed(2)}x the floor (goal ≥ ${CREATE_GOAL}: ${verdict(creates.ratio >= CREATE_GOAL)})${wrong(creates.ours)} |`,
    `| create QRIS payment, ${name}, ${CONCURRENCY} concurrent | ${creates.baseline.name} | ${ops(creates.baseline.medianOpsPerSec)} | baseline${wrong(creates.baseline)} |`,
    `| status read, ${name}, ${CONCURRENCY} concurrent | ${reads.ours.name} | ${ops(reads.ours.medianOpsPerSec)} | ${reads.ratio.toFixed(2)}x the bare route (goal ≥ ${READ_GOAL}: ${verdict(reads.ratio >= READ_GOAL)})${wrong(reads.ours)} |`,
    `| status read, ${name}, ${CONCURRENCY} concurrent | ${reads.baseline.name} | ${ops(reads.baseline.medianOpsPerSec)} | baseline${wrong(reads.baseline)} |`,
    `| ${ops(waiters.waiters)} long-poll waiters, ${name} | memory they add to the server process | — | RSS +${waiters.memoryMb.rss.toFixed(1)} MB, heap +${waiters.memoryMb.heapUsed.toFixed(1)} MB (goal < ${MEMORY_GOAL_MB} MB: ${verdict(waiters.memoryMb.rss < MEMORY_GOAL_MB)}) |`,
    `| ${ops(waiters.waiters)} long-poll waiters, ${name} | paid transition → answer | — | p50 ${waiters.latencyMs.p50.toFixed(1)} ms, p99 ${waiters.latencyMs.p99.toFixed(1)} ms, max ${waiters.latencyMs.max.toFixed(1)} ms (goal p99 < ${P99_GOAL_MS} ms: ${verdict(waiters.latencyMs.p99 < P99_GOAL_MS)}); ${waiters.answered}/${waiters.waiters} answered${waiters.wrong + waiters.errors > 0 ? `, ${waiters.wrong} wrong, ${waiters.errors} errors` : ''} |`,
  ];
}

/** Throws when this process may not open enough files for the waiters and their server. */
function checkFileLimit(): void {
  const limit = Number(execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim());
  if (Number.isFinite(limit) && limit < WAITERS + 1000) {
    throw new Error(
      `the open-file limit is ${limit}: ${WAITERS} long-polls need at least ${WAITERS + 1000} here and in the server child; run \`ulimit -n ${2 * WAITERS}\` first`,
    );
  }
}

/** The server bench: prints its table and writes bench/results/server-*.json. */
export async function runServerBench(): Promise<void> {
  checkFileLimit();
  const results: DriverResult[] = [];
  const notes: string[] = [];
  const scratch = await postgresScratch();
  if (typeof scratch === 'string') notes.push(scratch);
  else {
    try {
      results.push(await runDriver('postgres', scratch.url));
    } finally {
      await scratch.drop();
    }
  }
  results.push(await runDriver('pglite', undefined));

  const table = [
    '| case | implementation | ops/s (median) | ratio / result |',
    '|---|---|--:|---|',
    ...results.flatMap(tableRows),
  ].join('\n');
  console.log(`\n${table}\n`);
  console.log(
    [
      `Throughput: ${CONCURRENCY} closed loops over keep-alive node:http, ${ROUNDS} samples of ${SAMPLE_MS} ms per side in alternating order after ${WARMUP_MS} ms of warm-up; the server runs in a child process, the client and the floors in this one.`,
      `Creates on both sides debit one license (one row lock), as one shop's payments do. Waiters: ${WAITERS} pending payments with one long-poll each, paid ${PAY_BATCH} per transaction every ${PAY_INTERVAL_MS} ms; the delay runs from just before each COMMIT (server clock, corrected by IPC ping) to the answer's last byte here; memory is the server process's after GC, with the waiters open minus before.`,
      ...notes,
    ].join('\n'),
  );
  const result = { ...environment(), concurrency: CONCURRENCY, results, notes, table };
  console.log(`wrote ${writeResults('server', result).join(' and ')}`);
}
