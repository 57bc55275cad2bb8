import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Pool } from 'pg';
import type { PgliteWorkerClient } from './pglite-worker/client.js';
import type { Tables } from './schema.js';

/** A Drizzle database over either driver: what domain code takes. */
export type Db = PgDatabase<PgQueryResultHKT, Tables>;

/** A transaction opened with `db.transaction(async (tx) => …)`, on either driver. */
export type Tx = PgTransaction<PgQueryResultHKT, Tables, ExtractTablesWithRelations<Tables>>;

/** Where a query can run: the database itself or an open transaction. */
export type Executor = Db | Tx;

/** The database drivers QuickCart runs on. */
export type Driver = 'pglite' | 'postgres';

/** An open PGlite database (embedded, one process). `client.listen()` gives LISTEN/NOTIFY. */
export interface PgliteHandle {
  readonly driver: 'pglite';
  readonly db: PgliteDatabase<Tables> & Db;
  /** PGlite in its worker thread (`listen`, `query`, `exec`, `runScript`). */
  readonly client: PgliteWorkerClient;
  /** The PGlite data directory, or null in memory. */
  readonly dataDir: string | null;
  /** Closes PGlite and releases the lock file. Safe to call twice. */
  close(): Promise<void>;
}

/** An open PostgreSQL database (node-postgres pool). `client.connect()` gives a client for LISTEN. */
export interface PostgresHandle {
  readonly driver: 'postgres';
  readonly db: NodePgDatabase<Tables> & Db;
  /** The raw pg Pool. */
  readonly client: Pool;
  /** The schema every pooled connection uses as search_path, or null for the server default. */
  readonly schema: string | null;
  /** Ends the pool. Safe to call twice. */
  close(): Promise<void>;
}

/** An open database on either driver, as `openDatabase()` returns it. */
export type Database = PgliteHandle | PostgresHandle;
