import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePostgres } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database } from './types.js';

/** Options of `migrateDatabase()`. */
export interface MigrateOptions {
  /** The folder drizzle-kit generates into (default: this package's src/db/migrations). */
  migrationsFolder?: string | undefined;
}

/**
 * The migrations folder: `./migrations` beside this module when it runs from src/, or the
 * package's src/db/migrations when it runs from dist/ (tsc does not copy .sql files).
 */
export function defaultMigrationsFolder(): string {
  const candidates = [
    new URL('./migrations/', import.meta.url),
    new URL('../../src/db/migrations/', import.meta.url),
  ];
  for (const candidate of candidates) {
    const folder = fileURLToPath(candidate);
    if (existsSync(join(folder, 'meta', '_journal.json'))) return folder;
  }
  throw new Error(
    `no migrations found: looked for meta/_journal.json in ${candidates.map((c) => fileURLToPath(c)).join(' and ')}`,
  );
}

/**
 * Applies every pending migration, with drizzle-orm's migrator for the driver in use. On PostgreSQL
 * the run holds an advisory lock, so that several instances starting together migrate once; with a
 * per-connection schema (tests), the migrations and their bookkeeping table go into that schema.
 */
export async function migrateDatabase(database: Database, options: MigrateOptions = {}): Promise<void> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  if (database.driver === 'pglite') {
    await migratePglite(database.db, { migrationsFolder });
    return;
  }
  const migrationsSchema = database.schema ?? 'drizzle';
  // Everything runs on one connection: the one holding the advisory lock.
  const lockKey = `quickcart:migrate:${migrationsSchema}`;
  const client = await database.client.connect();
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await migrateNodePostgres(drizzlePostgres({ client }), { migrationsFolder, migrationsSchema });
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } catch (error) {
    broken = error as Error;
    throw error;
  } finally {
    // A connection that failed may still hold the lock or a transaction: discard it, never reuse it.
    client.release(broken);
  }
}
