// Part of `npm run bench`: the overhead of @quickcart/pakasir over a raw fetch of the same URL
// (transactiondetail against the sandbox), and how many transactioncreate calls per second the
// sandbox serves on loopback. The sandbox runs in its own process, so it does not share the
// event loop with what is measured.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Pakasir } from '@quickcart/pakasir';
import { microsPerCall, pairedLatencies } from './harness.js';
import { environment, writeResults } from './report.js';

const PROJECT = 'benchshop';
const API_KEY = 'bench_key';
const OVERHEAD_GOAL = 1.15;
const CREATE_SECONDS = 3;
const CREATE_CONCURRENCY = 16;
const CREATE_MAX = 50_000;
const PAIRED_ROUNDS = 4000;

/** Starts the sandbox bin on a free port and resolves with its base URL. */
async function startSandboxProcess(): Promise<{ url: string; child: ChildProcess }> {
  const bin = fileURLToPath(new URL('../packages/pakasir-sandbox/bin/pakasir-sandbox.js', import.meta.url));
  const child = spawn(
    process.execPath,
    [bin, '--port', '0', '--project', PROJECT, '--api-key', API_KEY, '--quiet'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    output += chunk.toString();
    const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
    if (match) return { url: match[0], child };
  }
  throw new Error(`the sandbox exited before printing its URL: ${output}`);
}

/** Creates transactions from CREATE_CONCURRENCY loops for CREATE_SECONDS (bounded by CREATE_MAX). */
async function createRate(url: string): Promise<{ created: number; seconds: number; perSecond: number }> {
  const deadline = performance.now() + CREATE_SECONDS * 1000;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline && next < CREATE_MAX) {
      const orderId = `BENCH-${next++}`;
      const response = await fetch(`${url}/api/transactioncreate/qris`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ project: PROJECT, order_id: orderId, amount: 25000, api_key: API_KEY }),
      });
      if (!response.ok)
        throw new Error(`transactioncreate answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { created: next, seconds, perSecond: next / seconds };
}

/**
 * The client's own cost per call, without the network: transactionDetail through a fetch stub
 * that answers at once, against calling the same stub directly.
 */
async function inProcessOverheadMicros(): Promise<{ client: number; raw: number }> {
  const body = JSON.stringify({
    transaction: {
      amount: 25000,
      order_id: 'A',
      project: PROJECT,
      status: 'pending',
      payment_method: 'qris',
    },
  });
  const stub = async () =>
    new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  const client = new Pakasir({
    project: PROJECT,
    apiKey: API_KEY,
    baseUrl: 'http://stub',
    apiVersion: 'v1',
    fetch: stub,
  });
  return {
    client: await microsPerCall(() => client.transactionDetail({ orderId: 'A', amount: 25000 })),
    raw: await microsPerCall(async () => (await stub()).json()),
  };
}

/** The Pakasir bench: prints its table and writes bench/results/pakasir-*.json. */
export async function runPakasirBench(): Promise<void> {
  const { url, child } = await startSandboxProcess();
  try {
    const client = new Pakasir({
      project: PROJECT,
      apiKey: API_KEY,
      baseUrl: url,
      apiVersion: 'v1',
      mode: 'sandbox',
    });
    const ref = { orderId: 'BENCH-DETAIL', amount: 25000 };
    await client.createQris(ref);
    const query = new URLSearchParams({
      project: PROJECT,
      amount: '25000',
      order_id: ref.orderId,
      api_key: API_KEY,
    });
    const rawUrl = `${url}/api/transactiondetail?${query}`;
    const latency = await pairedLatencies(
      () => client.transactionDetail(ref),
      async () => (await fetch(rawUrl)).json(),
      PAIRED_ROUNDS,
    );
    const overhead = latency.a / latency.b;
    const creates = await createRate(url);
    const inProcess = await inProcessOverheadMicros();

    const table = [
      '| case | implementation | ops/s (1 / median latency for detail) | ratio |',
      '|---|---|--:|---|',
      `| transactiondetail | @quickcart/pakasir | ${Math.round(1000 / latency.a)} | ${overhead.toFixed(3)}x the time of raw fetch (goal ≤ ${OVERHEAD_GOAL}x: ${overhead <= OVERHEAD_GOAL ? 'met' : 'NOT met'}) |`,
      `| transactiondetail | raw fetch | ${Math.round(1000 / latency.b)} | baseline (median of ${PAIRED_ROUNDS} paired calls) |`,
      `| transactiondetail, fetch stub (no network) | @quickcart/pakasir vs raw | — | ${(inProcess.client - inProcess.raw).toFixed(1)} µs added per call (${inProcess.client.toFixed(1)} vs ${inProcess.raw.toFixed(1)} µs) |`,
      `| transactioncreate (sandbox, ${CREATE_CONCURRENCY} concurrent) | fetch | ${Math.round(creates.perSecond)} | ${creates.created} created in ${creates.seconds.toFixed(1)} s |`,
    ].join('\n');
    console.log(`\n${table}\n`);
    const result = {
      ...environment(),
      transactionDetail: {
        medianMs: { ours: latency.a, rawFetch: latency.b },
        rounds: PAIRED_ROUNDS,
        timeRatio: overhead,
        goal: OVERHEAD_GOAL,
      },
      inProcessMicrosPerCall: inProcess,
      sandboxCreates: { ...creates, concurrency: CREATE_CONCURRENCY },
      table,
    };
    console.log(`wrote ${writeResults('pakasir', result).join(' and ')}`);
  } finally {
    child.kill();
    await once(child, 'exit');
  }
}
