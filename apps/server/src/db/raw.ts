import { PGlite } from '@electric-sql/pglite';
import { getTableColumns, type SQL, sql, type Table } from 'drizzle-orm';
import pg from 'pg';
import { queryRows } from './sql.js';
import type { Db, Executor } from './types.js';

/**
 * SQL written out as text, run by the driver under a Drizzle handle. Drizzle rebuilds a query's
 * SQL on every call inside a transaction (its prepared statements belong to the pool, not to a
 * transaction's client), which was a fifth of the server's CPU per payment create; the create's
 * statements are therefore constants, run here. Everything else stays on Drizzle.
 */

/** A statement: its text (`$1`, `$2`… for values) and, for PostgreSQL, the name it is prepared under per connection. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** Runs one statement with its values; answers its rows keyed by column name, values as the driver parses them. */
export type RawQuery = <Row extends Record<string, unknown>>(
  statement: Statement,
  values: readonly unknown[],
) => Promise<Row[]>;

function driverOf(db: Db): pg.Pool | PGlite {
  const client = (db as { $client?: unknown }).$client;
  if (client instanceof pg.Pool || client instanceof PGlite) return client;
  throw new Error('rawTransaction() needs a database handle from openDatabase(), not a transaction');
}

/** Runs `statement` on a pg client (prepared once per connection) or on PGlite. */
function runOn(client: pg.Pool | pg.PoolClient | PGlite | PGliteTransaction): RawQuery {
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    return async (statement, values) =>
      (await client.query({ name: statement.name, text: statement.text, values: [...values] })).rows;
  }
  return async <Row>(statement: Statement, values: readonly unknown[]) =>
    (await (client as PGlite).query<Row>(statement.text, [...values])).rows;
}

type PGliteTransaction = Parameters<Parameters<PGlite['transaction']>[0]>[0];

/** One statement on the database, outside any transaction. */
export function rawQuery(db: Db): RawQuery {
  return runOn(driverOf(db));
}

/**
 * `work` inside one transaction (BEGIN … COMMIT, ROLLBACK when it throws), as `db.transaction()`
 * does, with statements run by the driver.
 */
export async function rawTransaction<T>(db: Db, work: (query: RawQuery) => Promise<T>): Promise<T> {
  const driver = driverOf(db);
  if (driver instanceof PGlite) return driver.transaction((tx) => work(runOn(tx)));
  const client = await driver.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work(runOn(client));
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackFailed: Error) => {
      broken = rollbackFailed; // the connection is unusable: the pool must not hand it out again
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * `statement` on any Drizzle executor (database or open transaction), for callers that are already
 * in one. Its `$n` become bound values, so the text must not hold `$` followed by a digit elsewhere
 * (in a string literal, say): the statements here do not.
 */
export function executorQuery(executor: Executor): RawQuery {
  return (statement, values) => queryRows(executor, asDrizzleSql(statement.text, values));
}

function asDrizzleSql(text: string, values: readonly unknown[]): SQL {
  // "… $1 … $2 …" splits into text, index, text, index, …, text.
  const parts = text.split(/\$(\d+)/);
  return sql.join(parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1]}`)));
}

/**
 * Maps a row of `table` as the driver gives it (snake_case column names) to the shape Drizzle's
 * `select()` answers (the schema's property names and types).
 */
export function rowMapper<T extends Table>(table: T): (row: Record<string, unknown>) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => ({
    key,
    name: column.name,
    fromDriver: (value: unknown) => column.mapFromDriverValue(value),
  }));
  return (row) => {
    const mapped: Record<string, unknown> = {};
    for (const { key, name, fromDriver } of columns) {
      const value = row[name];
      mapped[key] = value === null || value === undefined ? null : fromDriver(value);
    }
    return mapped as T['$inferSelect'];
  };
}
