import type { Database } from '../db/types.js';

/**
 * Job locks: a sweep runs at most once at a time across every instance on the same database.
 * On PostgreSQL a session advisory lock (`pg_try_advisory_lock`) held on one pooled connection
 * for the length of the run; a run that finds it taken is skipped, not queued. PGlite has one
 * process, so an in-process guard is all it needs (PostgreSQL gets the guard too, so one
 * instance never queues two runs of a job on two connections).
 */

/** Runs jobs under their lock. */
export interface JobLock {
  /** Runs `job` when nobody else runs `name`; returns `{ ran: false }` at once otherwise. */
  run<T>(name: string, job: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }>;
}

/** The advisory lock key of a job: per schema, so test schemas never block one another. */
export function lockKey(database: Database, name: string): string {
  const schema = database.driver === 'postgres' ? (database.schema ?? 'public') : 'public';
  return `quickcart:job:${schema}:${name}`;
}

/**
 * The job lock of a database.
 * @example
 * const lock = createJobLock(database);
 * await lock.run('expire', () => expireDuePayments(...)); // { ran: false } when another instance is at it
 */
export function createJobLock(database: Database): JobLock {
  const running = new Set<string>();
  return {
    async run(name, job) {
      if (running.has(name)) return { ran: false };
      running.add(name);
      try {
        if (database.driver === 'pglite') return { ran: true, result: await job() };
        const key = lockKey(database, name);
        const client = await database.client.connect();
        let broken: Error | undefined;
        try {
          const { rows } = await client.query<{ locked: boolean }>(
            'select pg_try_advisory_lock(hashtext($1)) as locked',
            [key],
          );
          if (!rows[0]?.locked) return { ran: false };
          try {
            return { ran: true, result: await job() };
          } finally {
            await client.query('select pg_advisory_unlock(hashtext($1))', [key]).catch((error: Error) => {
              broken = error;
            });
          }
        } finally {
          // A connection that may still hold the lock is discarded, never handed to someone else.
          client.release(broken);
        }
      } finally {
        running.delete(name);
      }
    },
  };
}
