// The messages between a `PgliteWorkerClient` (client.ts, the server's thread) and the worker
// thread that owns the PGlite instance (worker.ts). Everything in them survives structured clone.
import type { Step } from '../script.js';

/** What the worker opens: a data directory, or an in-memory cluster (empty, or restored from a `dumpDataDir()` tarball). */
export type WorkerInit = { dataDir: string } | { inMemory: true; tarball: ArrayBuffer | null };

/** One statement and its values. */
export interface WorkerStatement {
  text: string;
  params: unknown[];
}

/** A request; `tx` names an open transaction (from `begin`), null for none. */
export type WorkerRequest =
  | ({ op: 'query'; tx: number | null; rowMode: 'object' | 'array'; rawTypes: number[] } & WorkerStatement)
  | { op: 'exec'; tx: number | null; text: string }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'script'; steps: Step<WorkerStatement>[] }
  | { op: 'listen'; channel: string }
  | { op: 'unlisten'; channel: string }
  | { op: 'dump'; compression: 'none' | 'gzip' | 'auto' }
  | { op: 'close' };

export type Numbered<T> = T & { id: number };

/** An error as it crossed the thread: its name, message, and own fields (a PostgreSQL error's `code`, `constraint`, …). */
export interface WorkerError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

/** From the worker: its start, a reply to request `id`, or a notification on a channel it listens to. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'failed'; error: WorkerError }
  | { type: 'reply'; id: number; result: unknown }
  | { type: 'error'; id: number; error: WorkerError }
  | { type: 'notify'; channel: string; payload: string };

/** `error` fit for postMessage. */
export function serializeError(error: unknown): WorkerError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function') continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

/** The Error of `serializeError()`'s output, with the same own fields, thrown on this side. */
export function deserializeError(error: WorkerError): Error {
  const revived = Object.assign(new Error(error.message), error.fields);
  revived.name = error.name;
  return revived;
}
