// Output: a markdown table for people, and JSON (timestamped + "latest") for tools.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export const OURS = '@quickcart/qris';

export interface Row {
  case: string;
  impl: string;
  /** null when the implementation could not run this case. */
  opsPerSec: number | null;
  ratio: string;
  wrong: string;
}

/** Ratio cells: > 1 means ours is faster. Peer rows: ours ÷ peer; our row: ours ÷ fastest peer. */
export function ratioCells(
  measured: ReadonlyArray<{ impl: string; opsPerSec: number }>,
): Map<string, { value: number; text: string }> {
  const cells = new Map<string, { value: number; text: string }>();
  const ours = measured.find((m) => m.impl === OURS);
  const peers = measured.filter((m) => m.impl !== OURS);
  if (!ours) return cells;
  for (const p of peers) {
    const value = ours.opsPerSec / p.opsPerSec;
    cells.set(p.impl, { value, text: `${value.toFixed(2)}x` });
  }
  const fastest = [...peers].sort((a, b) => b.opsPerSec - a.opsPerSec)[0];
  if (fastest) {
    const value = ours.opsPerSec / fastest.opsPerSec;
    cells.set(OURS, { value, text: `${value.toFixed(2)}x vs fastest (${fastest.impl})` });
  } else cells.set(OURS, { value: 1, text: '—' });
  return cells;
}

function formatOps(ops: number | null): string {
  if (ops === null) return 'n/a';
  return ops >= 100 ? Math.round(ops).toLocaleString('en-US') : ops.toFixed(1);
}

export function markdownTable(rows: readonly Row[]): string {
  const header = ['case', 'implementation', 'ops/s', 'ratio (ours ÷ this)', 'wrong'];
  const cells = rows.map((r) => [r.case, r.impl, formatOps(r.opsPerSec), r.ratio, r.wrong]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    `| ${c.map((v, i) => (i === 2 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}

export function environment() {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    date: new Date().toISOString(),
  };
}

/** Writes bench/results/<name>-<timestamp>.json and <name>-latest.json; returns both paths. */
export function writeResults(name: string, result: { date: string }): string[] {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  // Colons are not portable in file names (Windows), so the ISO time uses dashes there.
  const stamp = result.date.replace(/:/g, '-');
  const text = `${JSON.stringify(result, null, 2)}\n`;
  const paths = [`${dir}${name}-${stamp}.json`, `${dir}${name}-latest.json`];
  for (const p of paths) writeFileSync(p, text);
  return paths;
}
