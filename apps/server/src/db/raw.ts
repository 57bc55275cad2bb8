import { getTableColumns, type SQL, sql, type Table } from 'drizzle-orm';
import pg from 'pg';
import { PgliteWorkerClient } from './pglite-worker/client.js';
import { runSteps, type ScriptResult, type Step } from './script.js';
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

function driverOf(db: Db): pg.Pool | PgliteWorkerClient {
  const client = (db as { $client?: unknown }).$client;
  if (client instanceof pg.Pool || client instanceof PgliteWorkerClient) return client;
  throw new Error('rawQuery() and rawScript() need a database handle from openDatabase(), not a transaction');
}

/** One statement on the database, outside any transaction (prepared once per connection on PostgreSQL). */
export function rawQuery(db: Db): RawQuery {
  const driver = driverOf(db);
  if (driver instanceof PgliteWorkerClient) {
    return async <Row>(statement: Statement, values: readonly unknown[]) =>
      (await driver.query<Row>(statement.text, [...values])).rows;
  }
  return async (statement, values) => (await driver.query(prepared(statement, values))).rows;
}

const prepared = (statement: Statement, values: readonly unknown[]) => ({
  name: statement.name,
  text: statement.text,
  values: [...values],
});

/** One statement of a `rawScript()`. */
export interface ScriptStep {
  statement: Statement;
  values: readonly unknown[];
  /** When it answers no rows, the script stops there and rolls back (after running `whyEmpty`, if given, in the transaction). */
  required?: boolean;
  /** A statement whose rows say why the required step answered none (say, a license's balance). */
  whyEmpty?: { statement: Statement; values: readonly unknown[] };
}

/** `step` in the form of the driver that runs it. */
function stepOf<Q>(step: ScriptStep, form: (statement: Statement, values: readonly unknown[]) => Q): Step<Q> {
  return {
    query: form(step.statement, step.values),
    required: step.required ?? false,
    whyEmpty: step.whyEmpty ? form(step.whyEmpty.statement, step.whyEmpty.values) : null,
  };
}

/**
 * `steps` in one transaction (BEGIN … COMMIT; ROLLBACK on an error or an empty required step),
 * run by the driver; see `ScriptResult` (db/script.ts) for how it ends. Declared rather than
 * written as a callback so that PGlite's worker runs the whole transaction from one message: its
 * locks are never held while this thread is busy.
 */
export async function rawScript(db: Db, steps: readonly ScriptStep[]): Promise<ScriptResult> {
  const driver = driverOf(db);
  if (driver instanceof PgliteWorkerClient) {
    return driver.runScript(
      steps.map((step) =>
        stepOf(step, (statement, values) => ({ text: statement.text, params: [...values] })),
      ),
    );
  }
  const client = await driver.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await runSteps(
      steps.map((step) => stepOf(step, prepared)),
      async (query) => (await client.query(query)).rows,
      () => client.query('rollback'),
    );
    if (result.committed) await client.query('commit');
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
