// Part of `npm run bench`: the overhead of @quickcart/sdk over a raw fetch of the same endpoint of a
// real QuickCart server (bench/server-child.ts: `startQuickCart()` with the embedded sandbox, in a
// process of its own so it does not share the event loop with what is measured):
// - status reads (GET /v1/payments/:id), paired calls in alternating order, ratio of medians;
// - creates (POST /v1/payments/qris, same headers: bearer, content type, Idempotency-Key), paired;
// - the SDK's own cost per call without a network, through a fetch stub.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { QuickCart } from '@quickcart/sdk';
import { microsPerCall, pairedLatencies } from './harness.js';
import { environment, writeResults } from './report.js';
import type { ChildMessage } from './server-child.js';

const OVERHEAD_GOAL = 1.1;
const READ_ROUNDS = 3000;
const CREATE_ROUNDS = 300;

interface Ready {
  url: string;
  apiKey: string;
  licenseKey: string;
}

/** bench/server-child.ts in its own process; resolves once it listens. */
async function startServer(): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(fileURLToPath(new URL('./server-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DATABASE_URL: '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server child did not start within 60 s')), 60_000);
    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => reject(new Error(`the server child exited with ${code}`)));
  });
  return { child, ready };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.send({ id: 1, type: 'stop' });
  const timer = setTimeout(() => child.kill(), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The SDK's own cost per status read, through a fetch stub that answers at once, against the stub alone. */
async function inProcessMicros(): Promise<{ sdk: number; raw: number }> {
  const body = JSON.stringify({ success: true, transaction_id: 'pay_1', status: 'pending', amount: 25000 });
  const stub = async (_url: string, _init?: RequestInit) =>
    new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  const qc = new QuickCart({ baseUrl: 'http://stub', apiKey: 'qc_test_bench', fetch: stub });
  const headers = { authorization: 'Bearer qc_test_bench' };
  return {
    sdk: await microsPerCall(() => qc.payment.checkPaymentStatus('pay_1')),
    raw: await microsPerCall(async () => (await stub('http://stub/v1/payments/pay_1', { headers })).json()),
  };
}

const verdict = (ratio: number) =>
  `${ratio.toFixed(3)}x (goal ≤ ${OVERHEAD_GOAL}x: ${ratio <= OVERHEAD_GOAL ? 'met' : 'NOT met'})`;

/** The SDK bench: prints its table and writes bench/results/sdk-*.json. */
export async function runSdkBench(): Promise<void> {
  const { child, ready } = await startServer();
  try {
    const qc = new QuickCart({ baseUrl: ready.url, apiKey: ready.apiKey });
    const created = await qc.payment.generateQRIS({ license_key: ready.licenseKey, amount: 25000 });
    const statusUrl = `${ready.url}/v1/payments/${created.transaction_id}`;
    const auth = { authorization: `Bearer ${ready.apiKey}` };
    const reads = await pairedLatencies(
      () => qc.payment.checkPaymentStatus(created.transaction_id),
      async () => (await fetch(statusUrl, { headers: auth })).json(),
      READ_ROUNDS,
    );
    const body = JSON.stringify({ license_key: ready.licenseKey, amount: 25000 });
    const creates = await pairedLatencies(
      () => qc.payment.generateQRIS({ license_key: ready.licenseKey, amount: 25000 }),
      async () => {
        const response = await fetch(`${ready.url}/v1/payments/qris`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
          body,
        });
        if (response.status !== 201) throw new Error(`create answered ${response.status}`);
        return response.json();
      },
      CREATE_ROUNDS,
    );
    const inProcess = await inProcessMicros();
    const readRatio = reads.a / reads.b;
    const createRatio = creates.a / creates.b;
    const table = [
      '| case | @quickcart/sdk (median ms) | raw fetch (median ms) | time ratio |',
      '|---|--:|--:|---|',
      `| status read, GET /v1/payments/:id (${READ_ROUNDS} pairs) | ${reads.a.toFixed(3)} | ${reads.b.toFixed(3)} | ${verdict(readRatio)} |`,
      `| create, POST /v1/payments/qris (${CREATE_ROUNDS} pairs) | ${creates.a.toFixed(3)} | ${creates.b.toFixed(3)} | ${verdict(createRatio)} |`,
      `| status read through a fetch stub (no network) | ${(inProcess.sdk / 1000).toFixed(4)} | ${(inProcess.raw / 1000).toFixed(4)} | ${(inProcess.sdk - inProcess.raw).toFixed(1)} µs added per call |`,
    ].join('\n');
    console.log(`\n${table}\n`);
    const result = {
      ...environment(),
      statusRead: {
        medianMs: { sdk: reads.a, rawFetch: reads.b },
        rounds: READ_ROUNDS,
        timeRatio: readRatio,
      },
      create: {
        medianMs: { sdk: creates.a, rawFetch: creates.b },
        rounds: CREATE_ROUNDS,
        timeRatio: createRatio,
      },
      inProcessMicrosPerCall: inProcess,
      goal: OVERHEAD_GOAL,
      table,
    };
    console.log(`wrote ${writeResults('sdk', result).join(' and ')}`);
  } finally {
    await stopServer(child);
  }
}
