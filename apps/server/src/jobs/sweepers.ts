import { and, asc, eq, isNotNull, lt, lte } from 'drizzle-orm';
import { idempotencyKeys, payments } from '../db/schema.js';
import type { Database, Db } from '../db/types.js';
import { type AlertSink, type Logger, logAlerts, silentLogger } from '../payments/alerts.js';
import type { PaymentProvider } from '../payments/provider.js';
import { transition } from '../payments/state.js';
import { createJobLock } from './lock.js';
import { runPeriodically } from './periodic.js';
import {
  applyUpstream,
  forEachLimited,
  type ReconcileReport,
  reconcilePendingPayments,
  type SweepContext,
  upstreamRefOf,
} from './reconcile.js';

/**
 * The background sweeps (ARCHITECTURE.md `src/jobs/`), each under its job lock so that several
 * instances never run the same sweep at once:
 * - expiry: pending payments past `expires_at` become `expired` (source `sweeper`); the gateway is
 *   asked first, so a payment paid at the last second with its webhook lost is paid, not expired,
 *   and a still-pending upstream transaction is cancelled so nobody pays it afterwards;
 * - reconciliation (`reconcile.ts`): pending payments checked with the gateway on a backoff;
 * - pruning: `Idempotency-Key` records older than 24 h.
 */

/** Counts of one expiry run. */
export interface ExpiryReport {
  expired: number;
  /** Found paid (or otherwise settled) upstream instead. */
  settled: number;
}

/** One expiry run: at most `batchSize` payments past their expiry. */
export async function expireDuePayments(context: SweepContext): Promise<ExpiryReport> {
  const { db, provider, logger } = context;
  const now = context.now();
  const report: ExpiryReport = { expired: 0, settled: 0 };
  const due = await db
    .select()
    .from(payments)
    .where(and(eq(payments.status, 'pending'), isNotNull(payments.qrContent), lte(payments.expiresAt, now)))
    .orderBy(asc(payments.expiresAt))
    .limit(context.batchSize ?? 100);
  await forEachLimited(due, context.concurrency ?? 4, async (row) => {
    const ref = upstreamRefOf(row);
    const detail = await provider.detail(ref).catch((error: Error) => {
      logger.warn(
        { payment_id: row.id, err: error.message },
        'expiry: could not ask the gateway; expiring anyway',
      );
      return null;
    });
    if (detail && detail.status !== 'pending') {
      const outcome = await applyUpstream(context, row, detail, 'sweeper');
      if (outcome === 'expired') report.expired++;
      else if (outcome !== 'pending' && outcome !== 'amount_mismatch') report.settled++;
      if (outcome !== 'pending' && outcome !== 'amount_mismatch') return;
    }
    if (detail?.status === 'pending') {
      await provider.cancel(ref).catch((error: Error) => {
        logger.warn({ payment_id: row.id, err: error.message }, 'expiry: could not cancel upstream');
      });
    }
    const made = await db.transaction((tx) =>
      transition(tx, row.id, 'expired', {
        source: 'sweeper',
        detail: { expires_at: row.expiresAt.toISOString(), upstream_status: detail?.status ?? null },
      }),
    );
    if (made) report.expired++;
  });
  return report;
}

/** Deletes `Idempotency-Key` records older than `maxAgeMs` (default 24 h); returns how many. */
export async function pruneIdempotencyKeys(
  db: Db,
  options: { now?: () => Date; maxAgeMs?: number } = {},
): Promise<number> {
  const before = new Date((options.now?.() ?? new Date()).getTime() - (options.maxAgeMs ?? 24 * 3_600_000));
  const deleted = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, before))
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}

/** Options of `startSweepers()`. */
export interface SweepersOptions {
  database: Database;
  provider: PaymentProvider;
  logger?: Logger;
  /** Default: `logAlerts(logger)`. */
  alerts?: AlertSink;
  /** Pause between runs (default 5 s); runs never overlap. */
  intervalMs?: number;
  /** How often idempotency keys are pruned (default hourly). */
  pruneIntervalMs?: number;
  now?: () => Date;
  batchSize?: number;
  concurrency?: number;
}

/** What one run did; a job skipped because another instance held its lock is `null`. */
export interface SweepReport {
  expiry: ExpiryReport | null;
  reconcile: ReconcileReport | null;
  pruned: number | null;
}

/** Running sweepers. */
export interface Sweepers {
  /** Runs every sweep once now (each under its lock), e.g. from tests or an admin command. */
  runOnce(): Promise<SweepReport>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the sweeps on a timer: a run, `intervalMs` of rest, the next run. Timers are unref'd:
 * they never keep the process alive on their own.
 * @example
 * const sweepers = startSweepers({ database, provider, logger: app.log, intervalMs: 5000 });
 * process.once('SIGTERM', () => void sweepers.stop());
 */
export function startSweepers(options: SweepersOptions): Sweepers {
  const { database } = options;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const context: SweepContext = {
    db: database.db,
    provider: options.provider,
    alerts: options.alerts ?? logAlerts(logger),
    logger,
    now,
    ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
  };
  const lock = createJobLock(database);
  const pruneEvery = options.pruneIntervalMs ?? 3_600_000;
  let lastPrune = Number.NEGATIVE_INFINITY;

  const attempt = async <T>(name: string, job: () => Promise<T>): Promise<T | null> => {
    try {
      const outcome = await lock.run(name, job);
      return outcome.ran ? outcome.result : null;
    } catch (error) {
      logger.error({ job: name, err: (error as Error).message }, 'sweep failed');
      return null;
    }
  };

  async function runOnce(): Promise<SweepReport> {
    const expiry = await attempt('expire', () => expireDuePayments(context));
    const reconcile = await attempt('reconcile', () => reconcilePendingPayments(context));
    let pruned: number | null = null;
    if (now().getTime() - lastPrune >= pruneEvery) {
      pruned = await attempt('prune', () => pruneIdempotencyKeys(database.db, { now }));
      if (pruned !== null) lastPrune = now().getTime();
    }
    return { expiry, reconcile, pruned };
  }

  const loop = runPeriodically(runOnce, { intervalMs: options.intervalMs ?? 5000 });
  return { runOnce, stop: () => loop.stop() };
}
