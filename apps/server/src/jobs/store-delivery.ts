import type { Database } from '../db/types.js';
import { type Logger, silentLogger } from '../payments/alerts.js';
import { createJobLock } from './lock.js';
import { runPeriodically } from './periodic.js';

/**
 * The Telegram store's sweeper: every `intervalMs`, under the job lock `store-delivery` (one
 * instance at a time), runs `sweep` (bot/delivery.ts: settle orders whose payment moved, deliver
 * paid-but-undelivered orders, tell buyers of expiry). Its first run is immediate, so a restart
 * between payment and delivery delivers at start.
 */
export interface StoreSweeper {
  /** Runs a sweep now (under the lock); false when another instance held it. */
  runOnce(): Promise<boolean>;
  stop(): Promise<void>;
}

export function startStoreSweeper(options: {
  database: Database;
  sweep: () => Promise<unknown>;
  /** The job lock's name (default `store-delivery`): other store jobs (replacements, restock alerts) reuse this loop. */
  name?: string;
  intervalMs?: number;
  logger?: Logger;
}): StoreSweeper {
  const logger = options.logger ?? silentLogger;
  const lock = createJobLock(options.database);
  const name = options.name ?? 'store-delivery';

  const runOnce = async (): Promise<boolean> => {
    try {
      return (await lock.run(name, options.sweep)).ran;
    } catch (error) {
      logger.error({ job: name, err: (error as Error).message }, 'sweep failed');
      return false;
    }
  };

  const loop = runPeriodically(runOnce, { intervalMs: options.intervalMs ?? 5000, firstDelayMs: 0 });
  return { runOnce, stop: () => loop.stop() };
}
