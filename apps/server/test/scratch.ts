// Scratch PostgreSQL databases and free ports, for tests and benches (no vitest in here: the
// bench imports it too).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';

/** A port nothing listens on right now (the sandbox needs the server's port before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway PostgreSQL database holding one empty schema, and the URL that selects both. */
export interface ScratchDatabase {
  /** `postgres://…/<database>?options=-c search_path=<schema>`: what DATABASE_URL would be. */
  url: string;
  database: string;
  schema: string;
  /** The URL of the same database without the schema option. */
  databaseUrl: string;
  /** Drops the database (closing whatever is still connected to it). */
  drop(): Promise<void>;
}

/** `url` with its search_path set to `schema` through libpq's `options` parameter. */
export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** Runs one statement on its own connection to `url`. */
export async function runSql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database `qc_<random>` on the server of `baseUrl`, with an empty schema `s_<random>`
 * in it. A database of its own, not just a schema of the shared one: `migrateDatabase()` keeps
 * drizzle's bookkeeping in the fixed schema `drizzle` when the schema comes from the URL (see
 * concurrency.test.ts), so a second URL-selected schema in one database is never migrated.
 */
export async function createScratchDatabase(baseUrl: string): Promise<ScratchDatabase> {
  const suffix = randomBytes(5).toString('hex');
  const database = `qc_${suffix}`;
  const schema = `s_${suffix}`;
  await runSql(baseUrl, `create database ${database}`);
  const parsed = new URL(baseUrl);
  parsed.pathname = `/${database}`;
  parsed.search = '';
  const databaseUrl = parsed.toString();
  const drop = () => runSql(baseUrl, `drop database if exists ${database} with (force)`);
  try {
    await runSql(databaseUrl, `create schema ${schema}`);
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: withSearchPath(databaseUrl, schema), database, schema, databaseUrl, drop };
}
