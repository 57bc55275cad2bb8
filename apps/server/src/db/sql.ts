import type { SQL } from 'drizzle-orm';
import type { Executor } from './types.js';

/**
 * The rows of a raw SQL statement, on either driver: `db.execute()` answers PGlite's `Results`
 * or pg's `QueryResult`, which both carry `rows`. For what the query builder cannot say (for
 * example `FOR UPDATE SKIP LOCKED` claims, catalog queries).
 * @example const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from payments`);
 */
export async function queryRows<T extends Record<string, unknown>>(
  executor: Executor,
  query: SQL,
): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
