import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPglite, openPostgres } from '../src/db/connect.js';
import { migrateDatabase } from '../src/db/migrate.js';
import type { Database, Driver } from '../src/db/types.js';
import { pgliteTemplate } from './pglite-template.js';
import { runSql } from './scratch.js';

/**
 * One database test suite, run on every driver (ARCHITECTURE.md "Testing"): PGlite always, and
 * PostgreSQL too when TEST_DATABASE_URL is set. Each suite gets a fresh, migrated database of its
 * own: an in-memory PGlite, or a schema with a random name on PostgreSQL (every pooled connection
 * has it as search_path; it is dropped afterwards), so test files run in parallel.
 */

/** The drivers to test on here: PGlite, plus PostgreSQL when TEST_DATABASE_URL is set. */
export function testDrivers(): Driver[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** A migrated test database and the function that disposes of it. */
export interface TestDatabase {
  database: Database;
  dispose(): Promise<void>;
}

/** A fresh migrated database on `driver`, for tests that manage its lifetime themselves. */
export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const database = await openPglite({ inMemory: true, from: pgliteTemplate() });
    await migrateDatabase(database); // a no-op on the template; migrates a fresh cluster without one
    return { database, dispose: () => database.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const { schema, drop } = await createTestSchema(url);
  try {
    const database = await openPostgres({ url, schema });
    await migrateDatabase(database);
    return {
      database,
      async dispose() {
        await database.close();
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** A new empty schema with a random name on the PostgreSQL server at `url`, and how to drop it. */
export async function createTestSchema(url: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  await runSql(url, `create schema ${schema}`);
  return { schema, drop: () => runSql(url, `drop schema if exists ${schema} cascade`) };
}

/**
 * Declares `body` once per driver, as `describe('<name> [<driver>]')`, with a fresh database
 * opened before its tests and closed after them. `getDatabase()` works inside tests and hooks.
 * @example
 * describeEachDatabase('licenses', (getDatabase) => {
 *   it('debits', async () => { const { db } = getDatabase(); … });
 * });
 */
export function describeEachDatabase(name: string, body: (getDatabase: () => Database) => void): void {
  for (const driver of testDrivers()) {
    describe(`${name} [${driver}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await createTestDatabase(driver);
      }, 60_000);
      afterAll(async () => {
        await current?.dispose();
      });
      body(() => {
        if (!current)
          throw new Error('the test database is not open yet: call getDatabase() inside a test or hook');
        return current.database;
      });
    });
  }
}
