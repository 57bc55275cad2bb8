import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Results } from '@electric-sql/pglite';
import type { ScriptResult, Step } from '../script.js';
import {
  deserializeError,
  type Numbered,
  type WorkerInit,
  type WorkerMessage,
  type WorkerRequest,
  type WorkerStatement,
} from './protocol.js';

/** The parts of PGlite's query options that cross to the worker (Drizzle passes these). */
export interface WorkerQueryOptions {
  rowMode?: 'object' | 'array';
  /** Per type OID: the worker hands those values over as PostgreSQL's text, and this side parses them. */
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
}

/** A transaction of `PgliteWorkerClient.transaction()`, shaped like PGlite's own. */
export interface WorkerTransaction {
  query<T>(text: string, params?: unknown[], options?: WorkerQueryOptions): Promise<Results<T>>;
  exec(text: string): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

/**
 * PGlite in a worker thread, with the parts of PGlite's API QuickCart and `drizzle-orm/pglite` use
 * (`query`, `exec`, `transaction`, `listen`, `dumpDataDir`, `close`, `closed`), plus `runScript`,
 * a whole transaction in one message (the payment create's: see `rawScript()` in db/raw.ts).
 * PGlite runs Postgres on the thread that calls it; in a worker, its queries no longer stop the
 * server's HTTP and JSON work, and the two use both cores.
 */
export class PgliteWorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  #next = 1;
  #closed = false;
  /** Why the worker stopped, when it was not closed. */
  #failure: Error | undefined;
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (message: WorkerMessage) => this.#receive(message));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the PGlite worker exited (code ${code})`)));
    worker.unref(); // like PGlite in process: an idle database keeps no process alive (after on('message'), which refs)
  }

  /** Starts the worker and opens PGlite in it: `dataDir` on disk, or in memory (restored from a tarball when given). */
  static async open(
    options: { dataDir: string } | { inMemory: true; from?: Blob | undefined },
  ): Promise<PgliteWorkerClient> {
    let init: WorkerInit;
    const transfer: ArrayBuffer[] = [];
    if ('dataDir' in options) init = { dataDir: options.dataDir };
    else {
      const tarball = options.from ? await options.from.arrayBuffer() : null;
      if (tarball) transfer.push(tarball);
      init = { inMemory: true, tarball };
    }
    // execArgv: [] — the worker runs compiled JS and needs none of this process's flags (a loader,
    // --input-type), some of which a worker refuses.
    const worker = new Worker(workerFile(), { workerData: init, transferList: transfer, execArgv: [] });
    await new Promise<void>((resolve, reject) => {
      const settle = (message: WorkerMessage) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'failed') reject(deserializeError(message.error));
        else return;
        worker.off('message', settle);
        worker.off('error', reject);
      };
      worker.on('message', settle);
      worker.once('error', reject);
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    return new PgliteWorkerClient(worker);
  }

  get closed(): boolean {
    return this.#closed;
  }

  async query<T>(
    text: string,
    params: unknown[] = [],
    options: WorkerQueryOptions = {},
  ): Promise<Results<T>> {
    return this.#query<T>(null, text, params, options);
  }

  async exec(text: string): Promise<Results[]> {
    return (await this.#call({ op: 'exec', tx: null, text })) as Results[];
  }

  /** `work` in one transaction held open in the worker: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: WorkerTransaction) => Promise<T>): Promise<T> {
    const id = (await this.#call({ op: 'begin' })) as number;
    let ended = false;
    const end = (commit: boolean) => {
      ended = true;
      return this.#call({ op: 'end', tx: id, commit }).then(() => {});
    };
    const tx: WorkerTransaction = {
      query: (text, params = [], options = {}) => this.#query(id, text, params, options),
      exec: async (text) => (await this.#call({ op: 'exec', tx: id, text })) as Results[],
      rollback: () => end(false),
      get closed() {
        return ended;
      },
    };
    let result: T;
    try {
      result = await work(tx);
    } catch (error) {
      if (!ended) await end(false).catch(() => {});
      throw error;
    }
    if (!ended) await end(true);
    return result;
  }

  /** The steps in one transaction, in one message: see `rawScript()` in db/raw.ts. */
  async runScript(steps: Step<WorkerStatement>[]): Promise<ScriptResult> {
    return (await this.#call({ op: 'script', steps })) as ScriptResult;
  }

  /** LISTEN on `channel`; resolves with the function that stops this callback. */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    let callbacks = this.#listeners.get(channel);
    if (!callbacks) {
      callbacks = new Set();
      this.#listeners.set(channel, callbacks);
      await this.#call({ op: 'listen', channel });
    }
    callbacks.add(callback);
    return async () => {
      callbacks.delete(callback);
      if (callbacks.size > 0 || this.#listeners.get(channel) !== callbacks) return;
      this.#listeners.delete(channel);
      await this.#call({ op: 'unlisten', channel });
    };
  }

  async dumpDataDir(compression: 'none' | 'gzip' | 'auto' = 'auto'): Promise<Blob> {
    return new Blob([(await this.#call({ op: 'dump', compression })) as ArrayBuffer]);
  }

  /** Closes PGlite (it writes its files) and ends the worker. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#closed) await this.#call({ op: 'close' }).catch(() => {});
      this.#closed = true;
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  async #query<T>(
    tx: number | null,
    text: string,
    params: unknown[],
    options: WorkerQueryOptions,
  ): Promise<Results<T>> {
    const parsers = options.parsers ?? {};
    const rawTypes = Object.keys(parsers).map(Number);
    const rowMode = options.rowMode ?? 'object';
    const result = (await this.#call({ op: 'query', tx, text, params, rowMode, rawTypes })) as Results<T>;
    if (rawTypes.length > 0) parseRaw(result, parsers, rowMode);
    return result;
  }

  #call(request: WorkerRequest): Promise<unknown> {
    if (this.#closed) return Promise.reject(this.#failure ?? new Error('PGlite is closed'));
    const id = this.#next++;
    if (this.#pending.size === 0) this.#worker.ref(); // an answer is due: keep the process up for it
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id } satisfies Numbered<WorkerRequest>);
    });
  }

  #receive(message: WorkerMessage): void {
    if (message.type === 'notify') {
      for (const callback of this.#listeners.get(message.channel) ?? []) callback(message.payload);
      return;
    }
    if (message.type !== 'reply' && message.type !== 'error') return;
    const waiter = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (message.type === 'reply') waiter?.resolve(message.result);
    else waiter?.reject(deserializeError(message.error));
  }

  #fail(error: Error): void {
    if (!this.#closed) this.#failure = error;
    this.#closed = true;
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}

/** Applies this side's parsers to the values the worker left as text. */
function parseRaw(
  result: Results<unknown>,
  parsers: NonNullable<WorkerQueryOptions['parsers']>,
  rowMode: string,
) {
  result.fields.forEach((field, index) => {
    const parse = parsers[field.dataTypeID];
    if (!parse) return;
    const key = rowMode === 'array' ? index : field.name;
    for (const row of result.rows as Record<string | number, unknown>[]) {
      const value = row[key];
      if (typeof value === 'string') row[key] = parse(value, field.dataTypeID);
    }
  });
}

/**
 * The worker's compiled file. From dist/ it sits beside this module; under tsx or Vitest this
 * module runs from src/, and the worker still runs from dist/ (which `tsc -b` builds before the
 * tests and benchmarks), since a worker thread does not inherit tsx's loader.
 */
function workerFile(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts')
    ? new URL(here.replace(/\/src\/db\/pglite-worker\/client\.ts$/, '/dist/db/pglite-worker/worker.js'))
    : new URL('./worker.js', here);
  const file = fileURLToPath(url);
  if (!existsSync(file)) throw new Error(`the PGlite worker ${file} is missing: run \`npm run build\``);
  return file;
}
