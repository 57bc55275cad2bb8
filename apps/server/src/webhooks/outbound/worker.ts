import type { Db } from '../../db/types.js';
import { type Logger, silentLogger } from '../../payments/alerts.js';
import { type ClaimedRow, claimDue, recordAttempt } from './claim.js';
import { type Decision, decide } from './schedule.js';
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
  /** Rest between polls when nothing was due (default 1 s); `wake()` cuts it short. */
  pollMs?: number;
  logger?: Logger;
  now?: () => Date;
}

/** Delivers one claimed row: sends (unless its endpoint is disabled), records, decides. */
async function deliverRow(options: WebhookWorkerOptions, row: ClaimedRow): Promise<Decision> {
  const logger = options.logger ?? silentLogger;
  let decision: Decision;
  let result = null;
  if (!row.targetUrl || !row.secret) {
    decision = { action: 'give_up', reason: 'the event has no partner or target URL' };
  } else if (row.disabled) {
    decision = { action: 'give_up', reason: 'the endpoint is disabled (it answered 410 Gone)' };
  } else {
    const request = signedRequest({
      payload: row.payload,
      secrets: { current: row.secret, previous: row.previousSecret },
      id: row.eventId,
      at: (options.now ?? (() => new Date()))(),
    });
    result = await attemptDelivery({
      url: row.targetUrl,
      body: request.body,
      headers: request.headers,
      guard: options.guard,
      connector: options.connector ?? httpConnector,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.now && { now: options.now }),
    });
    decision = decide({
      outcome: result.outcome,
      attempt: row.attempt,
      ...(options.schedule && { schedule: options.schedule }),
      ...(options.random && { random: options.random }),
    });
  }
  const recorded = await recordAttempt(options.db, row, result, decision);
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
  return decision;
}

/**
 * Claims and delivers one batch of due rows; resolves with how many were claimed.
 * @example await deliverDue({ db, guard, schedule: [10, 20] }); // tests drive the worker by hand
 */
export async function deliverDue(options: WebhookWorkerOptions): Promise<number> {
  const rows = await claimDue(options.db, {
    limit: options.batchSize ?? 20,
    leaseMs: options.leaseMs ?? 60_000,
  });
  const queue = [...rows];
  const lanes = Array.from({ length: Math.min(options.concurrency ?? 8, queue.length) }, async () => {
    for (let row = queue.shift(); row; row = queue.shift()) await deliverRow(options, row);
  });
  await Promise.all(lanes);
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
 * Starts the worker: a batch, then at once another when the batch was full, else a rest of
 * `pollMs` (cut short by `wake()`). Errors (database down) are logged and retried after a rest.
 * @example
 * const worker = startWebhookWorker({ db, guard: createTargetGuard({ allowedHosts }) });
 * await worker.stop();
 */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const logger = options.logger ?? silentLogger;
  const pollMs = options.pollMs ?? 1000;
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

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = await deliverDue(options);
      } catch (error) {
        logger.error({ err: (error as Error).message }, 'webhook worker: batch failed');
      }
      if (claimed < (options.batchSize ?? 20)) await pause();
    }
  })();

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
      await loop;
    },
  };
}
