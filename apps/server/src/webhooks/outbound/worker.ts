import type { Db } from '../../db/types.js';
import { type Logger, silentLogger } from '../../payments/alerts.js';
import { type AttemptRecord, type ClaimedRow, claimDue, recordAttempts } from './claim.js';
import { decide } from './schedule.js';
import { attemptDelivery } from './send.js';
import { signedRequest } from './signing.js';
import type { TargetGuard } from './ssrf.js';
import { type Connector, httpConnector } from './transport.js';

/**
 * The delivery worker: claims due outbox rows (claim.ts), sends each over HTTP outside any
 * transaction (send.ts), records the attempt and what comes next (schedule.ts). Every instance
 * runs one; they share the work through the claims.
 */

/** Options of `startWebhookWorker()` / `deliverDue()`. Everything has a production default. */
export interface WebhookWorkerOptions {
  db: Db;
  guard: TargetGuard;
  connector?: Connector;
  /** Pauses between retries (default DEFAULT_RETRY_SCHEDULE_MS); tests use milliseconds. */
  schedule?: readonly number[];
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
  /** How long a claim lasts before another worker may take the row (default 60 s; > the attempt timeout). */
  leaseMs?: number;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** Rows claimed at a time (default 20) and sent at once (default 8). */
  batchSize?: number;
  concurrency?: number;
  /** Rest between polls when nothing was due (default 250 ms); `wake()` cuts it short. */
  pollMs?: number;
  logger?: Logger;
  now?: () => Date;
}

/**
 * Group commit of attempts: each ended attempt is queued, and one recording transaction at a time
 * takes everything queued so far (`recordAttempts`), so the attempts that end while one commits
 * share the next commit. Each caller learns whether its row was still its own.
 */
function attemptRecorder(db: Db): (entry: AttemptRecord) => Promise<boolean> {
  const queued: {
    entry: AttemptRecord;
    resolve: (recorded: boolean) => void;
    reject: (error: unknown) => void;
  }[] = [];
  let running = false;
  const drain = async () => {
    while (queued.length > 0) {
      const group = queued.splice(0);
      try {
        const recorded = await recordAttempts(
          db,
          group.map((item) => item.entry),
        );
        for (const [index, item] of group.entries()) item.resolve(recorded[index] ?? false);
      } catch (error) {
        for (const item of group) item.reject(error);
      }
    }
    running = false;
  };
  return (entry) =>
    new Promise<boolean>((resolve, reject) => {
      queued.push({ entry, resolve, reject });
      // After the I/O callbacks of this turn: PGlite runs a whole transaction without yielding to
      // I/O, so attempts that ended in the same turn would otherwise each get a commit of their own.
      if (!running) {
        running = true;
        setImmediate(drain);
      }
    });
}

/** Sends one claimed row (unless its endpoint is disabled) and decides what comes next; never throws. */
async function attemptRow(options: WebhookWorkerOptions, row: ClaimedRow): Promise<AttemptRecord> {
  if (!row.targetUrl || !row.secret) {
    return {
      row,
      result: null,
      decision: { action: 'give_up', reason: 'the event has no partner or target URL' },
    };
  }
  if (row.disabled) {
    return {
      row,
      result: null,
      decision: { action: 'give_up', reason: 'the endpoint is disabled (it answered 410 Gone)' },
    };
  }
  const request = signedRequest({
    payload: row.payload,
    secrets: { current: row.secret, previous: row.previousSecret },
    id: row.eventId,
    at: (options.now ?? (() => new Date()))(),
  });
  const result = await attemptDelivery({
    url: row.targetUrl,
    body: request.body,
    headers: request.headers,
    guard: options.guard,
    connector: options.connector ?? httpConnector,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.now && { now: options.now }),
  });
  const decision = decide({
    outcome: result.outcome,
    attempt: row.attempt,
    ...(options.schedule && { schedule: options.schedule }),
    ...(options.random && { random: options.random }),
  });
  return { row, result, decision };
}

/** Records an ended attempt (grouped, see attemptRecorder) and logs it. */
async function finishRow(
  options: WebhookWorkerOptions,
  attempt: AttemptRecord,
  record: (entry: AttemptRecord) => Promise<boolean>,
): Promise<void> {
  const logger = options.logger ?? silentLogger;
  const { row, result, decision } = attempt;
  const recorded = await record(attempt);
  const fields = {
    event_id: row.eventId,
    topic: row.topic,
    attempt: row.attempt,
    status_code: result?.statusCode ?? null,
    action: decision.action,
  };
  if (!recorded) logger.warn(fields, 'webhook: lease lost before the attempt was recorded');
  else if (decision.action === 'delivered') logger.info(fields, 'webhook delivered');
  else logger.warn({ ...fields, error: result?.error ?? null }, 'webhook not delivered');
}

/**
 * Claims and delivers one batch of due rows; resolves with how many were claimed, once every
 * attempt is recorded. A lane sends its next row while the previous attempt is being recorded;
 * attempts that end together are recorded in one transaction.
 * @example await deliverDue({ db, guard, schedule: [10, 20] }); // tests drive the worker by hand
 */
export async function deliverDue(options: WebhookWorkerOptions): Promise<number> {
  const rows = await claimDue(options.db, {
    limit: options.batchSize ?? 20,
    leaseMs: options.leaseMs ?? 60_000,
  });
  const record = attemptRecorder(options.db);
  const queue = [...rows];
  const recordings: Promise<void>[] = [];
  const lanes = Array.from({ length: Math.min(options.concurrency ?? 8, queue.length) }, async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const recording = finishRow(options, await attemptRow(options, row), record);
      recording.catch(() => {}); // awaited below; a failed recording fails the batch there
      recordings.push(recording);
    }
  });
  await Promise.all(lanes);
  await Promise.all(recordings);
  return rows.length;
}

/** A running worker. */
export interface WebhookWorker {
  /** Polls now instead of after the current rest (after a test event or a redelivery). */
  wake(): void;
  /** Stops polling and waits for the batch in flight (each attempt is bounded by its timeout). */
  stop(): Promise<void>;
}

/**
 * Starts the worker: `concurrency` lanes take claimed rows from a local queue; when a lane finds
 * it empty, one claim of up to `batchSize` rows runs (while the other lanes keep sending, so the
 * claims and recordings overlap the requests). A claim that was not full makes the next one wait
 * `pollMs` (cut short by `wake()`). A row waits in the queue at most batchSize / concurrency
 * attempts, as with one batch at a time. Errors (database down) are logged and retried after a rest.
 * @example
 * const worker = startWebhookWorker({ db, guard: createTargetGuard({ allowedHosts }) });
 * await worker.stop();
 */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const logger = options.logger ?? silentLogger;
  const pollMs = options.pollMs ?? 250;
  const limit = Math.max(1, options.batchSize ?? 20);
  const leaseMs = options.leaseMs ?? 60_000;
  let stopped = false;
  let rest: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  let woken = false;

  const pause = () =>
    new Promise<void>((resolve) => {
      if (woken || stopped) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        rest = undefined;
        resolve();
      }, pollMs);
      timer.unref();
      rest = { timer, resolve };
    });

  const record = attemptRecorder(options.db);
  const queue: ClaimedRow[] = [];
  const recordings = new Set<Promise<void>>();
  let gate: Promise<void> = Promise.resolve();
  let claiming: Promise<void> | undefined;
  /** One claim at a time, after the rest that a short claim (or an error) started. */
  const claimMore = () => {
    claiming ??= (async () => {
      await gate;
      if (stopped) return;
      try {
        const rows = await claimDue(options.db, { limit, leaseMs });
        queue.push(...rows);
        gate = rows.length < limit ? pause() : Promise.resolve();
      } catch (error) {
        logger.error({ err: (error as Error).message }, 'webhook worker: claim failed');
        gate = pause();
      } finally {
        claiming = undefined;
      }
    })();
    return claiming;
  };
  const lane = async () => {
    for (;;) {
      const row = queue.shift();
      if (!row) {
        if (stopped) return; // rows already claimed are still sent
        await claimMore();
        continue;
      }
      const recording = finishRow(options, await attemptRow(options, row), record).catch((error) => {
        // The row keeps its lease; once it runs out the row is claimed again.
        logger.error({ err: (error as Error).message }, 'webhook worker: recording failed');
      });
      recordings.add(recording);
      void recording.finally(() => recordings.delete(recording));
    }
  };
  const lanes = Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, lane));

  const interrupt = () => {
    if (rest) {
      clearTimeout(rest.timer);
      rest.resolve();
      rest = undefined;
    } else woken = true;
  };

  return {
    wake: interrupt,
    async stop() {
      stopped = true;
      interrupt();
      await lanes;
      await Promise.all(recordings);
    },
  };
}
