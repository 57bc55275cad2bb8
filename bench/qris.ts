// Part of `npm run bench`: parse+validate and build throughput of @quickcart/qris against the EMV QR
// peers installed as root devDependencies, a correctness count over the golden vectors, and
// the overhead of toPng() over calling qrcode directly. Prints a table, writes JSON.
import { build, parse, QrisError, toPng } from '@quickcart/qris';
import QRCode from 'qrcode';
import { type Correctness, checkDecoder, wrongCell } from './correctness.js';
import { DEFAULT_OPTIONS, type Measurement, measureAsyncInterleaved, measureSync } from './harness.js';
import { type BenchInputs, type KeyValues, loadInputs, SEED_QRIS } from './inputs.js';
import { PEER_LOADERS, type Peer } from './peers.js';
import { environment, markdownTable, OURS, type Row, ratioCells, writeResults } from './report.js';

const PNG_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;
const PNG_GOAL = 1.1;

/** Ours: strict parse already runs every validation rule and throws on the first error. */
function oursParse(qr: string) {
  return parse(qr, { mode: 'strict' });
}

function oursDecode(qr: string): KeyValues {
  const { fields } = oursParse(qr);
  return { merchantName: fields.merchantName, amount: fields.amount, crc: fields.crc };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** One timed call parses every input once; rejections are caught identically for everyone. */
function overInputs(inputs: readonly string[], parseAndCheck: (qr: string) => unknown): () => number {
  return () => {
    let accepted = 0;
    for (const qr of inputs) {
      try {
        if (parseAndCheck(qr) !== null) accepted++;
      } catch {
        // A rejection is a result too; the correctness column says whether it was right.
      }
    }
    return accepted;
  };
}

async function loadPeers() {
  const peers: Peer[] = [];
  const unavailable: Array<{ impl: string; reason: string }> = [];
  for (const { impl, load } of PEER_LOADERS) {
    try {
      peers.push(await load());
    } catch (err) {
      unavailable.push({ impl, reason: `failed to load: ${errorText(err)}` });
    }
  }
  return { peers, unavailable };
}

/** Invalid vectors we reject, but with another error code than the vector names (informational). */
function oursCodeMismatches(inputs: BenchInputs) {
  const mismatches: Array<{ vector: string; expected: string; got: string }> = [];
  for (const v of inputs.invalid) {
    try {
      oursParse(v.input);
    } catch (err) {
      const got = err instanceof QrisError ? err.code : errorText(err);
      if (got !== v.expectedCode) mismatches.push({ vector: v.name, expected: v.expectedCode, got });
    }
  }
  return mismatches;
}

function benchParse(inputs: BenchInputs, peers: readonly Peer[], correctness: Map<string, Correctness>) {
  const strings = inputs.valid.map((v) => v.input);
  const contenders = [
    { impl: OURS, parseAndCheck: oursParse },
    ...peers.map((p) => ({ impl: p.impl, parseAndCheck: p.parse.parseAndCheck })),
  ];
  const measurements: Measurement[] = contenders.map((c) => {
    process.stdout.write(`  parse: ${c.impl}\n`);
    return measureSync('parse+validate', c.impl, overInputs(strings, c.parseAndCheck), strings.length);
  });
  const ratios = ratioCells(measurements.map((m) => ({ impl: m.impl, opsPerSec: m.medianOpsPerSec })));
  const rows: Row[] = measurements.map((m) => {
    const c = correctness.get(m.impl);
    return {
      case: 'parse+validate',
      impl: m.impl,
      opsPerSec: m.medianOpsPerSec,
      ratio: ratios.get(m.impl)?.text ?? '—',
      wrong: c ? wrongCell(c) : '—',
    };
  });
  return { measurements, ratios: Object.fromEntries([...ratios].map(([k, v]) => [k, v.value])), rows };
}

function benchBuild(peers: readonly Peer[]) {
  // The fields of the seed string, minus what build() computes itself.
  const { crc: _crc, payloadFormatIndicator: _pfi, ...fields } = oursParse(SEED_QRIS).fields;
  const builders = [
    { impl: OURS, build: () => build(fields) },
    ...peers.flatMap((p) => (p.build ? [{ impl: p.impl, build: () => p.build?.build(fields) }] : [])),
  ];
  const outputs: Array<{ impl: string; matchesSeed: boolean; output?: string; error?: string }> = [];
  const measurements: Measurement[] = [];
  const rows: Row[] = [];
  for (const b of builders) {
    let output: unknown;
    try {
      output = b.build();
    } catch (err) {
      outputs.push({ impl: b.impl, matchesSeed: false, error: errorText(err) });
      rows.push({
        case: 'build',
        impl: b.impl,
        opsPerSec: null,
        ratio: '—',
        wrong: `threw: ${errorText(err)}`,
      });
      continue;
    }
    const matchesSeed = output === SEED_QRIS;
    outputs.push({ impl: b.impl, matchesSeed, ...(!matchesSeed && { output: String(output) }) });
    process.stdout.write(`  build: ${b.impl}\n`);
    measurements.push(measureSync('build', b.impl, b.build));
  }
  const ratios = ratioCells(measurements.map((m) => ({ impl: m.impl, opsPerSec: m.medianOpsPerSec })));
  for (const m of measurements) {
    const matches = outputs.find((o) => o.impl === m.impl)?.matchesSeed;
    rows.push({
      case: 'build',
      impl: m.impl,
      opsPerSec: m.medianOpsPerSec,
      ratio: ratios.get(m.impl)?.text ?? '—',
      wrong: matches ? '0/1' : '1/1: output differs from the seed string',
    });
  }
  const noBuild = peers.flatMap((p) =>
    p.build ? [] : [{ impl: p.impl, reason: p.noBuild ?? 'no builder' }],
  );
  return {
    fieldsFrom: 'parse(SEED_QRIS).fields without crc and payloadFormatIndicator',
    measurements,
    ratios: Object.fromEntries([...ratios].map(([k, v]) => [k, v.value])),
    outputs,
    noBuild,
    rows,
  };
}

async function benchPng() {
  const DIRECT = 'qrcode.toBuffer (direct)';
  const ours = () => toPng(SEED_QRIS);
  const direct = () => QRCode.toBuffer(SEED_QRIS, PNG_OPTIONS);
  process.stdout.write('  toPng: interleaved\n');
  const measurements = await measureAsyncInterleaved('toPng', [
    { impl: OURS, fn: ours },
    { impl: DIRECT, fn: direct },
  ]);
  const [o, d] = measurements;
  // Time per image, ours ÷ direct: 1.00 means no overhead.
  const timeRatio = o && d ? d.medianOpsPerSec / o.medianOpsPerSec : Number.NaN;
  const identicalBytes = Buffer.compare(await ours(), await direct()) === 0;
  const rows: Row[] = measurements.map((m) => ({
    case: 'toPng',
    impl: m.impl,
    opsPerSec: m.medianOpsPerSec,
    ratio: m.impl === OURS ? `${timeRatio.toFixed(2)}x time vs direct` : `${(1 / timeRatio).toFixed(2)}x`,
    wrong: m.impl === OURS ? (identicalBytes ? 'same PNG bytes' : 'PNG bytes differ') : '—',
  }));
  return { measurements, timeRatio, goal: PNG_GOAL, withinGoal: timeRatio <= PNG_GOAL, identicalBytes, rows };
}

/** The QRIS codec bench: prints its table and writes bench/results/qris-*.json. */
export async function runQrisBench() {
  const started = performance.now();
  const env = environment();
  const inputs = loadInputs();
  console.log(`# @quickcart/qris bench — ${env.date}`);
  console.log(`node ${env.node}, ${env.cpuModel} x${env.cpuCount}, ${env.platform}`);
  console.log(
    `inputs: ${inputs.valid.length} valid + ${inputs.invalid.length} invalid from ${inputs.source}`,
  );
  for (const s of inputs.skipped) console.log(`  skipped vector ${s}`);

  const { peers, unavailable } = await loadPeers();
  const correctness = new Map<string, Correctness>([[OURS, checkDecoder(OURS, oursDecode, inputs)]]);
  for (const p of peers) correctness.set(p.impl, checkDecoder(p.impl, p.parse.decode, inputs));
  const codeMismatches = oursCodeMismatches(inputs);

  console.log('\nmeasuring (median of 7 × ~200 ms samples after warm-up):');
  const parseResult = benchParse(inputs, peers, correctness);
  const buildResult = benchBuild(peers);
  const pngResult = await benchPng();

  const unavailableRows: Row[] = unavailable.map((u) => ({
    case: 'parse+validate',
    impl: u.impl,
    opsPerSec: null,
    ratio: '—',
    wrong: `UNAVAILABLE (${u.reason})`,
  }));
  const table = markdownTable([
    ...parseResult.rows,
    ...unavailableRows,
    ...buildResult.rows,
    ...pngResult.rows,
  ]);
  console.log(`\n${table}\n`);
  console.log(
    `toPng: ours takes ${pngResult.timeRatio.toFixed(3)}x the time of qrcode.toBuffer ` +
      `(goal ≤ ${PNG_GOAL}x: ${pngResult.withinGoal ? 'met' : 'NOT met'}; ` +
      `output ${pngResult.identicalBytes ? 'byte-identical' : 'differs'})`,
  );
  console.log('build: ours validates the string it returns (a strict parse); the peer builders do not.');
  for (const n of buildResult.noBuild) console.log(`build: ${n.impl} not measured: ${n.reason}`);
  for (const u of unavailable) console.log(`UNAVAILABLE: ${u.impl}: ${u.reason}`);
  if (codeMismatches.length > 0) {
    const list = codeMismatches.map((m) => `${m.vector} (${m.got}, vector says ${m.expected})`).join(', ');
    console.log(`note: ours rejects with another code than expected for ${codeMismatches.length}: ${list}`);
  }
  console.log(
    'ratio > 1 means ours is faster; "wrong" counts vectors misread, wrongly rejected or accepted.',
  );

  const result = {
    ...env,
    harness: DEFAULT_OPTIONS,
    inputs: {
      source: inputs.source,
      valid: inputs.valid.map((v) => v.name),
      invalid: inputs.invalid.map((v) => v.name),
      skipped: inputs.skipped,
    },
    adapters: [
      {
        impl: OURS,
        parse: "parse(s, { mode: 'strict' }) (runs validate's rules, throws QrisError)",
        build: 'build(fields) (validates its output)',
      },
      ...peers.map((p) => ({
        impl: p.impl,
        parse: p.parse.adaptation,
        build: p.build?.adaptation ?? p.noBuild,
      })),
    ],
    unavailable,
    parse: { measurements: parseResult.measurements, ratios: parseResult.ratios },
    build: { ...buildResult, rows: undefined },
    toPng: { ...pngResult, rows: undefined },
    correctness: [...correctness.values()].map((c) => ({ ...c, wrongCount: c.wrong.length })),
    oursCodeMismatches: codeMismatches,
    table,
    durationMs: Math.round(performance.now() - started),
  };
  const paths = writeResults('qris', result);
  console.log(`\nwrote ${paths.join(' and ')} (${(result.durationMs / 1000).toFixed(1)} s)`);
}
