// The worker thread that owns a PGlite instance for a `PgliteWorkerClient` (client.ts). PGlite
// runs Postgres in WebAssembly on the thread that calls it, so on the server's thread every query
// stopped HTTP, JSON and webhooks for its whole length; here they run side by side. It answers
// the requests of protocol.ts one at a time per transaction, in the order PGlite's own locks give.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type Row, runSteps, type ScriptResult, type Step } from '../script.js';
import {
  type Numbered,
  serializeError,
  type WorkerInit,
  type WorkerMessage,
  type WorkerRequest,
  type WorkerStatement,
} from './protocol.js';

const port =
  parentPort ??
  (() => {
    throw new Error('db/pglite-worker/worker.js runs as a worker thread (see client.ts)');
  })();

const post = (message: WorkerMessage) => port.postMessage(message);

/** Thrown into PGlite's transaction callback to make it roll back. */
const ROLLBACK = Symbol('rollback');

interface OpenTransaction {
  tx: Transaction;
  finish(commit: boolean): void;
  ended: Promise<unknown>;
}

async function open(init: WorkerInit): Promise<PGlite> {
  if ('dataDir' in init) return PGlite.create(init.dataDir);
  return PGlite.create(init.tarball ? { loadDataDir: new Blob([init.tarball]) } : {});
}

function serve(pglite: PGlite): void {
  const transactions = new Map<number, OpenTransaction>();
  const unlisteners = new Map<string, () => Promise<void>>();
  let nextTransaction = 1;

  const on = (tx: number | null) => {
    if (tx === null) return pglite;
    const open = transactions.get(tx);
    if (!open) throw new Error(`transaction ${tx} is not open`);
    return open.tx;
  };

  /** Opens a transaction that stays open (holding PGlite's transaction lock) until `end`. */
  function begin(): Promise<number> {
    const id = nextTransaction++;
    return new Promise((resolve, reject) => {
      let finish: OpenTransaction['finish'] = () => {};
      const ended = pglite.transaction(
        (tx) =>
          new Promise<void>((commit, rollback) => {
            finish = (shouldCommit) => (shouldCommit ? commit() : rollback(ROLLBACK));
            transactions.set(id, { tx, finish, ended });
            resolve(id);
          }),
      );
      ended.catch((error: unknown) => {
        if (!transactions.has(id)) reject(error); // BEGIN itself failed
      });
    });
  }

  async function end(id: number, commit: boolean): Promise<null> {
    const open = transactions.get(id);
    if (!open) throw new Error(`transaction ${id} is not open`);
    transactions.delete(id);
    open.finish(commit);
    try {
      await open.ended;
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    return null;
  }

  /** The steps in one transaction (see db/script.ts). */
  function script(steps: Step<WorkerStatement>[]): Promise<ScriptResult> {
    return pglite.transaction((tx) =>
      runSteps(
        steps,
        async (query) => (await tx.query<Row>(query.text, query.params)).rows,
        () => tx.rollback(),
      ),
    );
  }

  async function listen(channel: string): Promise<null> {
    if (!unlisteners.has(channel)) {
      unlisteners.set(
        channel,
        await pglite.listen(channel, (payload) => post({ type: 'notify', channel, payload })),
      );
    }
    return null;
  }

  async function unlisten(channel: string): Promise<null> {
    const stop = unlisteners.get(channel);
    unlisteners.delete(channel);
    await stop?.();
    return null;
  }

  const identity = (value: unknown) => value;

  async function handle(request: WorkerRequest): Promise<unknown> {
    switch (request.op) {
      case 'query': {
        const parsers = Object.fromEntries(request.rawTypes.map((oid) => [oid, identity]));
        return on(request.tx).query(request.text, request.params, { rowMode: request.rowMode, parsers });
      }
      case 'exec':
        return on(request.tx).exec(request.text);
      case 'begin':
        return begin();
      case 'end':
        return end(request.tx, request.commit);
      case 'script':
        return script(request.steps);
      case 'listen':
        return listen(request.channel);
      case 'unlisten':
        return unlisten(request.channel);
      case 'dump':
        return (await pglite.dumpDataDir(request.compression)).arrayBuffer();
      case 'close':
        await pglite.close();
        return null;
    }
  }

  port.on('message', (request: Numbered<WorkerRequest>) => {
    handle(request).then(
      (result) => {
        if (result instanceof ArrayBuffer)
          port.postMessage({ type: 'reply', id: request.id, result }, [result]);
        else post({ type: 'reply', id: request.id, result });
        if (request.op === 'close') port.close();
      },
      (error: unknown) => post({ type: 'error', id: request.id, error: serializeError(error) }),
    );
  });
}

open(workerData as WorkerInit).then(
  (pglite) => {
    serve(pglite);
    post({ type: 'ready' });
  },
  (error: unknown) => post({ type: 'failed', error: serializeError(error) }),
);
