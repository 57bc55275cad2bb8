// A deliberately small measurement harness: warm up, then take a fixed number of
// time-boxed samples and report the median. Every loop is bounded both by wall time
// and by an iteration cap, so a run always ends by itself.

export interface HarnessOptions {
  /** Time spent running the function before sampling, so the JIT has settled. */
  warmupMs: number;
  /** Number of samples; the median of an odd count is a real observation. */
  samples: number;
  /** Target duration of one sample. */
  sampleMs: number;
  /** Hard cap on calls per sample (and per warm-up), whatever the clock says. */
  maxCallsPerSample: number;
}

export const DEFAULT_OPTIONS: HarnessOptions = {
  warmupMs: 150,
  samples: 7,
  sampleMs: 200,
  maxCallsPerSample: 2_000_000,
};

export interface Sample {
  calls: number;
  ms: number;
  opsPerSec: number;
}

export interface Measurement {
  case: string;
  impl: string;
  /** Logical operations per call (e.g. one call parses every input once). */
  opsPerCall: number;
  medianOpsPerSec: number;
  samples: Sample[];
}

/** Written to from every timed call so the engine cannot drop the work as dead code. */
export const sink: { value: unknown } = { value: undefined };

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const hi = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2;
}

function toSample(calls: number, ms: number, opsPerCall: number): Sample {
  return { calls, ms, opsPerSec: ms > 0 ? (calls * opsPerCall * 1000) / ms : 0 };
}

/** Runs `fn` for up to `ms` (and at most `maxCalls` times), reading the clock every `batch` calls. */
function runFor(
  fn: () => unknown,
  ms: number,
  maxCalls: number,
  batch: number,
): { calls: number; ms: number } {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < batch; i++) sink.value = fn();
    calls += batch;
    elapsed = performance.now() - start;
  } while (elapsed < ms && calls < maxCalls);
  return { calls, ms: elapsed };
}

/** Median throughput of a synchronous function. */
export function measureSync(
  caseName: string,
  impl: string,
  fn: () => unknown,
  opsPerCall = 1,
  opts: HarnessOptions = DEFAULT_OPTIONS,
): Measurement {
  const warm = runFor(fn, opts.warmupMs, opts.maxCallsPerSample, 1);
  // Read the clock roughly every 50 µs: often enough to stop on time, rarely enough not to matter.
  const perCallMs = warm.ms / Math.max(1, warm.calls);
  const batch = Math.max(1, Math.min(10_000, Math.floor(0.05 / Math.max(perCallMs, 1e-6))));
  const samples: Sample[] = [];
  for (let i = 0; i < opts.samples; i++) {
    const run = runFor(fn, opts.sampleMs, opts.maxCallsPerSample, batch);
    samples.push(toSample(run.calls, run.ms, opsPerCall));
  }
  return {
    case: caseName,
    impl,
    opsPerCall,
    medianOpsPerSec: median(samples.map((s) => s.opsPerSec)),
    samples,
  };
}

async function runForAsync(fn: () => Promise<unknown>, ms: number, maxCalls: number) {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    sink.value = await fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < ms && calls < maxCalls);
  return { calls, ms: elapsed };
}

export interface AsyncContender {
  impl: string;
  fn: () => Promise<unknown>;
}

/**
 * Median throughput of several async functions, sampled in turn (A B, then B A, ...)
 * so that drift in machine load or GC pressure hits every contender alike.
 */
export async function measureAsyncInterleaved(
  caseName: string,
  contenders: readonly AsyncContender[],
  opts: HarnessOptions = DEFAULT_OPTIONS,
): Promise<Measurement[]> {
  for (const c of contenders) await runForAsync(c.fn, opts.warmupMs, opts.maxCallsPerSample);
  const samples = new Map<string, Sample[]>(contenders.map((c) => [c.impl, []]));
  for (let round = 0; round < opts.samples; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const c of order) {
      const run = await runForAsync(c.fn, opts.sampleMs, opts.maxCallsPerSample);
      samples.get(c.impl)?.push(toSample(run.calls, run.ms, 1));
    }
  }
  return contenders.map((c) => {
    const s = samples.get(c.impl) ?? [];
    return {
      case: caseName,
      impl: c.impl,
      opsPerCall: 1,
      medianOpsPerSec: median(s.map((x) => x.opsPerSec)),
      samples: s,
    };
  });
}

/**
 * Per-call latency of two async functions, called in pairs whose order alternates (A B, then B A),
 * so that load on the shared cores hits both alike; the ratio of the medians is the overhead.
 * Warms up with max(50, rounds / 10) concurrent pairs (connections, JIT) first.
 */
export async function pairedLatencies(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  rounds: number,
): Promise<{ a: number; b: number }> {
  const times: [number[], number[]] = [[], []];
  const timed = async (fn: () => Promise<unknown>, into: number[]) => {
    const start = performance.now();
    sink.value = await fn();
    into.push(performance.now() - start);
  };
  for (let i = 0; i < Math.max(50, rounds / 10); i++) await Promise.all([a(), b()]);
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await timed(a, times[0]);
      await timed(b, times[1]);
    } else {
      await timed(b, times[1]);
      await timed(a, times[0]);
    }
  }
  return { a: median(times[0]), b: median(times[1]) };
}

/** Mean microseconds per call of an async function, after 5,000 warm-up calls, over 50,000 calls. */
export async function microsPerCall(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5000; i++) sink.value = await fn();
  const rounds = 50_000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) sink.value = await fn();
  return ((performance.now() - start) * 1000) / rounds;
}

/** The driver of a database bench, and the PostgreSQL URL to use (undefined: PGlite). */
export type BenchDriver = { driver: 'postgres'; url: string } | { driver: 'pglite'; url: undefined };

/**
 * Runs `run` on PostgreSQL (a scratch database from BENCH_DATABASE_URL, TEST_DATABASE_URL or the
 * local default, dropped afterwards) when one answers, then on PGlite; `notes` says why PostgreSQL
 * was skipped.
 */
export async function onEachDatabase<T>(
  run: (target: BenchDriver) => Promise<T>,
): Promise<{ results: T[]; notes: string[] }> {
  const { createScratchDatabase } = await import('../apps/server/test/scratch.js');
  const url =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test';
  const results: T[] = [];
  const notes: string[] = [];
  const scratch = await createScratchDatabase(url).catch(
    (error: Error) => `PostgreSQL rows skipped: ${error.message}`,
  );
  if (typeof scratch === 'string') notes.push(scratch);
  else {
    try {
      results.push(await run({ driver: 'postgres', url: scratch.url }));
    } finally {
      await scratch.drop();
    }
  }
  results.push(await run({ driver: 'pglite', url: undefined }));
  return { results, notes };
}

/** The `p`th percentile (nearest rank) of ascending `sorted` values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
