// Part of `npm run bench`: outbound webhook delivery through the durable outbox, on PostgreSQL
// (when one answers; a scratch database) and on PGlite:
// - throughput: OUTBOX_ROWS rows queued by real `paid` transitions (transition() writes them),
//   drained by the real worker (`startWebhookWorker()`, production defaults: claim, SSRF guard,
//   sign, POST, record the attempt) against a plain fetch loop that POSTs the same signed bodies to
//   the same receiver at the same concurrency (the least a delivery must do), samples alternating;
// - latency: payments paid one by one at a steady pace while the worker runs, from just before
//   each transition's transaction to the request's arrival at the receiver.
// The receiver (answers 200 at once) runs in a child process (this file, forked), so it does not
// share an event loop with what is measured. Every loop is bounded; the bench stops by itself.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { openPglite, openPostgres } from '../apps/server/src/db/connect.js';
import { migrateDatabase } from '../apps/server/src/db/migrate.js';
import { type NewPayment, outbox, payments } from '../apps/server/src/db/schema.js';
import type { Database, Db, Driver } from '../apps/server/src/db/types.js';
import { newId } from '../apps/server/src/payments/ids.js';
import { createLicense } from '../apps/server/src/payments/licenses.js';
import { createPartner } from '../apps/server/src/payments/partners.js';
import { transition } from '../apps/server/src/payments/state.js';
import { signedRequest } from '../apps/server/src/webhooks/outbound/signing.js';
import { createTargetGuard } from '../apps/server/src/webhooks/outbound/ssrf.js';
import {
  startWebhookWorker,
  type WebhookWorkerOptions,
} from '../apps/server/src/webhooks/outbound/worker.js';
import { type BenchDriver, median, onEachDatabase, percentile } from './harness.js';
import { environment, writeResults } from './report.js';

/** The worker's default lanes (`concurrency`), so both sides send this many requests at once. */
const CONCURRENCY = 8;
const OUTBOX_ROWS = 400;
const ROUNDS = 5;
const LATENCY_PAYMENTS = 300;
const LATENCY_INTERVAL_MS = 20;
/** Bound on one drain or one latency run, whatever happens. */
const DEADLINE_MS = 60_000;
const RATIO_GOAL = 0.7;
const RECEIVER_ROLE = 'quickcart-bench-outbox-receiver';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The receiver, in a child process

type ToReceiver = { type: 'expect'; count: number } | { type: 'arrivals' } | { type: 'clock'; id: number };
type FromReceiver =
  | { type: 'ready'; url: string }
  | { type: 'reached' }
  | { type: 'arrivals'; arrivals: [string, number][] }
  | { type: 'clock'; id: number; at: number };

/** The child's side: answers 200 at once, notes each `webhook-id` and when it arrived. */
async function runReceiverChild(): Promise<void> {
  const send = (message: FromReceiver) => process.send?.(message);
  let arrivals: [string, number][] = [];
  let expected = Number.POSITIVE_INFINITY;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      arrivals.push([String(request.headers['webhook-id']), now()]);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      if (arrivals.length === expected) send({ type: 'reached' });
    });
  });
  process.on('message', (message: ToReceiver) => {
    if (message.type === 'expect') {
      arrivals = [];
      expected = message.count;
    } else if (message.type === 'arrivals') send({ type: 'arrivals', arrivals });
    else send({ type: 'clock', id: message.id, at: now() });
  });
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  send({
    type: 'ready',
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  });
}

if (process.env.QUICKCART_BENCH_ROLE === RECEIVER_ROLE) await runReceiverChild();

/** The parent's handle on the receiver child. */
class ReceiverChild {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<ReceiverChild> {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, QUICKCART_BENCH_ROLE: RECEIVER_ROLE },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the receiver child did not start within 30 s')),
        30_000,
      );
      child.on('message', (message: FromReceiver) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve(message.url);
      });
      child.once('exit', (code) => reject(new Error(`the receiver child exited with ${code}`)));
    });
    return new ReceiverChild(child, url);
  }

  #next<T extends FromReceiver['type']>(
    type: T,
    timeoutMs = DEADLINE_MS,
  ): Promise<Extract<FromReceiver, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.off('message', listener);
        reject(new Error(`the receiver sent no ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (message: FromReceiver) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        this.child.off('message', listener);
        resolve(message as Extract<FromReceiver, { type: T }>);
      };
      this.child.on('message', listener);
    });
  }

  /** Forgets earlier arrivals; the promise resolves once `count` more requests have arrived. */
  async expect(count: number): Promise<{ reached: Promise<unknown> }> {
    const reached = this.#next('reached');
    reached.catch(() => {}); // awaited by the caller; no unhandled rejection meanwhile
    this.child.send({ type: 'expect', count } satisfies ToReceiver);
    // One round trip, so the reset has happened before anything is sent.
    await this.clock();
    return { reached };
  }

  async arrivals(): Promise<[string, number][]> {
    const answer = this.#next('arrivals');
    this.child.send({ type: 'arrivals' } satisfies ToReceiver);
    return (await answer).arrivals;
  }

  async clock(): Promise<number> {
    const answer = this.#next('clock');
    this.child.send({ type: 'clock', id: 0 } satisfies ToReceiver);
    return (await answer).at;
  }

  /** The child's clock minus ours (ms), from the fastest of 20 round trips. */
  async clockOffset(): Promise<number> {
    let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
    for (let i = 0; i < 20; i++) {
      const sent = now();
      const theirs = await this.clock();
      const back = now();
      if (back - sent < best.rtt) best = { rtt: back - sent, offset: theirs - (sent + back) / 2 };
    }
    return best.offset;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// The two contenders

interface Shop {
  partnerId: string;
  licenseId: string;
  secret: string;
}

/** A partner whose default webhook URL is the receiver. */
async function shop(db: Db, url: string): Promise<Shop> {
  const { partner, webhookSecret } = await createPartner(db, {
    name: 'Bench Shop',
    webhookUrl: `${url}/hook`,
  });
  const { license } = await createLicense(db, { partnerId: partner.id, tokens: 10 });
  return { partnerId: partner.id, licenseId: license.id, secret: webhookSecret };
}

/** `count` pending payments of `owner`, inserted in bulk (setup, never timed); their ids. */
async function pendingPayments(db: Db, owner: Shop, count: number): Promise<string[]> {
  const rows: NewPayment[] = Array.from({ length: count }, () => {
    const id = newId('payment');
    return {
      id,
      partnerId: owner.partnerId,
      licenseId: owner.licenseId,
      transactionId: `BENCH-${id}`,
      paymentType: 'QRIS',
      amount: 50_000,
      orderId: id,
      expiresAt: new Date(Date.now() + 30 * 60_000),
    };
  });
  for (let i = 0; i < rows.length; i += 100) await db.insert(payments).values(rows.slice(i, i + 100));
  return rows.map((row) => row.id as string);
}

/** Pays one payment as the Pakasir webhook path does: its own transaction, which queues the webhook. */
async function pay(db: Db, paymentId: string): Promise<void> {
  const made = await db.transaction((tx) => transition(tx, paymentId, 'paid', { source: 'webhook' }));
  if (!made) throw new Error(`the paid transition of ${paymentId} did not happen`);
}

/** The worker as `quickcart start` runs it (production defaults), allowed to reach 127.0.0.1. */
function workerOptions(db: Db): WebhookWorkerOptions {
  return { db, guard: createTargetGuard({ allowedHosts: '127.0.0.1' }) };
}

/** Throws unless every row of these payments is delivered after exactly one attempt. */
async function checkDelivered(db: Db, paymentIds: string[]): Promise<void> {
  let delivered = 0;
  for (let i = 0; i < paymentIds.length; i += 500) {
    const rows = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(
        and(
          inArray(outbox.paymentId, paymentIds.slice(i, i + 500)),
          isNotNull(outbox.deliveredAt),
          eq(outbox.attempts, 1),
        ),
      );
    delivered += rows[0]?.n ?? 0;
  }
  if (delivered !== paymentIds.length) {
    throw new Error(`${delivered} of ${paymentIds.length} outbox rows were delivered after one attempt`);
  }
}

/** Ours: OUTBOX_ROWS paid transitions (untimed), then the worker drains them; rows per second. */
async function outboxSample(db: Db, owner: Shop, receiver: ReceiverChild): Promise<number> {
  const ids = await pendingPayments(db, owner, OUTBOX_ROWS);
  for (const id of ids) await pay(db, id);
  const { reached } = await receiver.expect(OUTBOX_ROWS);
  const started = performance.now();
  const worker = startWebhookWorker(workerOptions(db));
  try {
    await reached;
  } finally {
    await worker.stop(); // waits for the batch in flight: every attempt recorded
  }
  const ms = performance.now() - started;
  await checkDelivered(db, ids);
  return (OUTBOX_ROWS * 1000) / ms;
}

/** The baseline: CONCURRENCY fetch loops POST OUTBOX_ROWS signed bodies; rows per second. */
async function fetchSample(owner: Shop, receiver: ReceiverChild): Promise<number> {
  const { reached } = await receiver.expect(OUTBOX_ROWS);
  const url = `${receiver.url}/hook`;
  const paidAt = new Date().toISOString();
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < OUTBOX_ROWS) {
      const n = next++;
      const { body, headers } = signedRequest({
        payload: {
          event: 'payment.success',
          payment_id: `pay_bench${n}`,
          transaction_id: `BENCH-${n}`,
          amount: 50_000,
          payment_type: 'QRIS',
          paid_at: paidAt,
        },
        secrets: { current: owner.secret },
        id: `msg_bench${n}`,
        at: new Date(),
      });
      const response = await fetch(url, { method: 'POST', headers, body });
      await response.text();
      if (response.status !== 200) throw new Error(`the receiver answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const ms = performance.now() - started;
  await reached;
  return (OUTBOX_ROWS * 1000) / ms;
}

interface Throughput {
  outbox: { medianRowsPerSec: number; samples: number[] };
  fetch: { medianRowsPerSec: number; samples: number[] };
  ratio: number;
}

/** One warm-up each, then ROUNDS samples per side in alternating order. */
async function measureThroughput(db: Db, owner: Shop, receiver: ReceiverChild): Promise<Throughput> {
  await outboxSample(db, owner, receiver);
  await fetchSample(owner, receiver);
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      ours.push(await outboxSample(db, owner, receiver));
      baseline.push(await fetchSample(owner, receiver));
    } else {
      baseline.push(await fetchSample(owner, receiver));
      ours.push(await outboxSample(db, owner, receiver));
    }
  }
  const outboxMedian = median(ours);
  const fetchMedian = median(baseline);
  return {
    outbox: { medianRowsPerSec: outboxMedian, samples: ours },
    fetch: { medianRowsPerSec: fetchMedian, samples: baseline },
    ratio: outboxMedian / fetchMedian,
  };
}

interface Latency {
  payments: number;
  p50: number;
  p99: number;
  max: number;
}

/** Paid transitions every LATENCY_INTERVAL_MS while the worker runs: transition → arrival. */
async function measureLatency(db: Db, owner: Shop, receiver: ReceiverChild): Promise<Latency> {
  const ids = await pendingPayments(db, owner, LATENCY_PAYMENTS);
  const offset = await receiver.clockOffset();
  const { reached } = await receiver.expect(LATENCY_PAYMENTS);
  const paidAt = new Map<string, number>();
  const worker = startWebhookWorker(workerOptions(db));
  try {
    const until = performance.now() + DEADLINE_MS;
    for (const id of ids) {
      if (performance.now() > until) throw new Error('the paced transitions ran past the deadline');
      const at = performance.now();
      paidAt.set(id, now());
      await pay(db, id);
      await sleep(Math.max(0, LATENCY_INTERVAL_MS - (performance.now() - at)));
    }
    await reached;
  } finally {
    await worker.stop();
  }
  await checkDelivered(db, ids);
  const byEvent = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .select({ eventId: outbox.eventId, paymentId: outbox.paymentId })
      .from(outbox)
      .where(inArray(outbox.paymentId, ids.slice(i, i + 500)));
    for (const row of rows) if (row.paymentId) byEvent.set(row.eventId, row.paymentId);
  }
  const delays: number[] = [];
  for (const [eventId, arrived] of await receiver.arrivals()) {
    const paymentId = byEvent.get(eventId);
    const start = paymentId === undefined ? undefined : paidAt.get(paymentId);
    if (start !== undefined) delays.push(arrived - offset - start);
  }
  if (delays.length !== LATENCY_PAYMENTS) {
    throw new Error(`${delays.length} of ${LATENCY_PAYMENTS} arrivals matched a paid payment`);
  }
  delays.sort((a, b) => a - b);
  return {
    payments: delays.length,
    p50: percentile(delays, 50),
    p99: percentile(delays, 99),
    max: delays[delays.length - 1] ?? Number.NaN,
  };
}

// ---------------------------------------------------------------------------------------------
// One driver, and the whole bench

interface DriverResult {
  driver: Driver;
  throughput: Throughput;
  latencyMs: Latency;
}

async function runDriver({ driver, url: databaseUrl }: BenchDriver): Promise<DriverResult> {
  console.log(`${driver}: outbox throughput and latency…`);
  const receiver = await ReceiverChild.start();
  let dir: string | undefined;
  let database: Database | undefined;
  try {
    if (databaseUrl) database = await openPostgres({ url: databaseUrl, max: 10 });
    else {
      dir = await mkdtemp(join(tmpdir(), 'quickcart-bench-outbox-'));
      database = await openPglite({ dataDir: dir });
    }
    await migrateDatabase(database);
    const owner = await shop(database.db, receiver.url);
    const throughput = await measureThroughput(database.db, owner, receiver);
    const latencyMs = await measureLatency(database.db, owner, receiver);
    return { driver, throughput, latencyMs };
  } finally {
    await database?.close();
    await receiver.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

function tableRows(result: DriverResult): string[] {
  const name = result.driver === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const { throughput, latencyMs } = result;
  const met = throughput.ratio >= RATIO_GOAL ? 'met' : 'NOT met';
  return [
    `| deliver ${OUTBOX_ROWS} webhooks, ${name}, ${CONCURRENCY} at once | outbox worker (claim, guard, sign, POST, record) | ${rate(throughput.outbox.medianRowsPerSec)} | ${throughput.ratio.toFixed(2)}x the fetch loop (goal ≥ ${RATIO_GOAL}: ${met}) |`,
    `| deliver ${OUTBOX_ROWS} webhooks, ${name}, ${CONCURRENCY} at once | fetch loop (sign, POST) | ${rate(throughput.fetch.medianRowsPerSec)} | baseline |`,
    `| paid transition → delivery, ${name} | outbox worker, ${LATENCY_PAYMENTS} payments every ${LATENCY_INTERVAL_MS} ms | — | p50 ${latencyMs.p50.toFixed(1)} ms, p99 ${latencyMs.p99.toFixed(1)} ms, max ${latencyMs.max.toFixed(1)} ms |`,
  ];
}

/** The outbox bench: prints its table and writes bench/results/outbox-*.json. */
export async function runOutboxBench(): Promise<void> {
  const { results, notes } = await onEachDatabase(runDriver);

  const table = [
    '| case | implementation | webhooks/s (median) | ratio / result |',
    '|---|---|--:|---|',
    ...results.flatMap(tableRows),
  ].join('\n');
  console.log(`\n${table}\n`);
  console.log(
    [
      `Throughput: ${OUTBOX_ROWS} rows per sample, queued by real paid transitions before the clock starts; the clock runs from starting the worker (production defaults) until the receiver got them all and the worker stopped with every attempt recorded. The fetch loop signs the same kind of body and POSTs it with the same headers from ${CONCURRENCY} loops (keep-alive, Node's fetch). ${ROUNDS} samples per side in alternating order after one warm-up each.`,
      `Latency: from just before each paid transition's transaction (this process) to the request's arrival at the receiver (child clock, corrected by IPC ping). The receiver runs in a child process and answers 200 at once.`,
      ...notes,
    ].join('\n'),
  );
  const result = { ...environment(), concurrency: CONCURRENCY, rows: OUTBOX_ROWS, results, notes, table };
  console.log(`wrote ${writeResults('outbox', result).join(' and ')}`);
}
