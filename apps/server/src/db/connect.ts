import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { acquireDirectoryLock } from './lock.js';
import { PgliteWorkerClient } from './pglite-worker/client.js';
import { tables } from './schema.js';
import type { Database, PgliteHandle, PostgresHandle } from './types.js';

/** Options of `openDatabase()`: PostgreSQL when `databaseUrl` is set, else PGlite under `dataDir`. */
export interface OpenDatabaseOptions {
  /** A `postgres://` URL; unset or empty means PGlite. */
  databaseUrl?: string | undefined;
  /** QuickCart's data directory: PGlite keeps its files in `${dataDir}/pglite`. */
  dataDir: string;
  /** PostgreSQL only: see `OpenPostgresOptions.schema`. */
  schema?: string | undefined;
  /** PostgreSQL only: called with errors of idle pooled connections (default: a line on stderr). */
  onPoolError?: ((error: Error) => void) | undefined;
}

/**
 * Opens the database: a `pg` pool when `databaseUrl` is set, otherwise PGlite in
 * `${dataDir}/pglite`, guarded by the lock file `${dataDir}/pglite.lock` so that a second process
 * refuses to open the same directory (`DatabaseLockedError`). Migrations are not applied here:
 * see `migrateDatabase()`.
 * @example
 * const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
 * await migrateDatabase(database);
 * // … database.db.select().from(payments) …
 * await database.close();
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    return openPostgres({
      url: options.databaseUrl,
      schema: options.schema,
      onPoolError: options.onPoolError,
    });
  }
  return openPglite({ dataDir: options.dataDir });
}

/** Where PGlite keeps its files under a QuickCart data directory, and the lock file guarding them. */
export function pglitePaths(dataDir: string): { directory: string; lockPath: string } {
  const root = resolve(dataDir);
  return { directory: join(root, 'pglite'), lockPath: join(root, 'pglite.lock') };
}

/**
 * Opens PGlite on disk under `${dataDir}/pglite` (taking the lock file), or in memory with
 * `{ inMemory: true }` (no lock: tests), empty or restored from a `dumpDataDir()` tarball `from`
 * (about 1 s instead of the 3 s of a new cluster's initdb). PGlite runs in a worker thread
 * (`PgliteWorkerClient`): its queries would otherwise stop this thread for their whole length.
 */
export async function openPglite(
  options: { dataDir: string } | { inMemory: true; from?: Blob | undefined },
): Promise<PgliteHandle> {
  if ('inMemory' in options) {
    return pgliteHandle(await PgliteWorkerClient.open(options), null, () => {});
  }
  const { directory, lockPath } = pglitePaths(options.dataDir);
  mkdirSync(resolve(options.dataDir), { recursive: true });
  const lock = acquireDirectoryLock({ lockPath, directory });
  try {
    const client = await PgliteWorkerClient.open({ dataDir: directory });
    return pgliteHandle(client, directory, lock.release);
  } catch (error) {
    lock.release();
    throw new Error(`could not open the PGlite database in ${directory}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function pgliteHandle(client: PgliteWorkerClient, dataDir: string | null, release: () => void): PgliteHandle {
  // drizzle-orm/pglite calls only query() and transaction() (and, in them, query()), which the
  // worker client answers as PGlite does.
  const db = drizzlePglite({ client: client as unknown as PGlite, schema: tables });
  let closing: Promise<void> | undefined;
  return {
    driver: 'pglite',
    db,
    client,
    dataDir,
    close() {
      closing ??= (async () => {
        try {
          await client.close();
        } finally {
          release();
        }
      })();
      return closing;
    },
  };
}

/** Options of `openPostgres()`. */
export interface OpenPostgresOptions {
  /** A `postgres://user:password@host:port/database` URL. */
  url: string;
  /**
   * A schema that every pooled connection uses as its `search_path` (tests give each file its
   * own). Must be a plain lowercase identifier. Unset: the server's default (`public`).
   */
  schema?: string | undefined;
  /** Pool size (default 10). */
  max?: number | undefined;
  /** Called with errors of idle pooled connections (default: a line on stderr). */
  onPoolError?: ((error: Error) => void) | undefined;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens a node-postgres pool and checks that the server answers, with an error that never shows the password. */
export async function openPostgres(options: OpenPostgresOptions): Promise<PostgresHandle> {
  const schema = options.schema ?? null;
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new Error(`schema ${JSON.stringify(schema)} is not a plain lowercase identifier`);
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    ...(schema !== null && { options: `-c search_path=${schema}` }),
  });
  const onError = options.onPoolError ?? ((error: Error) => console.error(`postgres pool: ${error.message}`));
  pool.on('error', onError);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(
      `could not connect to PostgreSQL at ${redactUrl(options.url)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const db = drizzlePostgres({ client: pool, schema: tables });
  let closing: Promise<void> | undefined;
  return {
    driver: 'postgres',
    db,
    client: pool,
    schema: schema ?? (await schemaFromUrl(pool)),
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}

/**
 * The schema a URL selects (`?options=-c search_path=shop`), so that migrations, their
 * bookkeeping and job locks go there too; null for the server's default, `public`.
 */
async function schemaFromUrl(pool: pg.Pool): Promise<string | null> {
  const { rows } = await pool.query<{ schema: string | null }>('select current_schema() as schema');
  const current = rows[0]?.schema ?? null;
  return current === null || current === 'public' ? null : current;
}

/** A database URL fit for messages and logs: user, host, port and database, never the password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '(an unparsable DATABASE_URL)';
  }
}
