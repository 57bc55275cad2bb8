import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestSchema, describeEachDatabase } from '../../test/databases.js';
import { insertPayment, partnerWithLicense, refusal } from '../../test/fixtures.js';
import { openPostgres } from './connect.js';
import { defaultMigrationsFolder, migrateDatabase } from './migrate.js';
import { licenseLedger, licenses } from './schema.js';
import { queryRows } from './sql.js';

const TABLES = [
  'api_keys',
  'idempotency_keys',
  'license_ledger',
  'licenses',
  'outbox',
  'partners',
  'payment_events',
  'payments',
  'store_admins',
  'store_audit_log',
  'store_balance_ledger',
  'store_order_items',
  'store_orders',
  'store_products',
  'store_replacements',
  'store_restock_subscriptions',
  'store_settings',
  'store_stock_items',
  'store_users',
  'store_voucher_uses',
  'store_vouchers',
  'webhook_attempts',
  'webhook_disabled_endpoints',
];

describeEachDatabase('migrations', (getDatabase) => {
  it('create every table in the connection’s own schema', async () => {
    const database = getDatabase();
    const rows = await queryRows<{ table_name: string; schema: string }>(
      database.db,
      sql`select table_name, current_schema() as schema from information_schema.tables
          where table_schema = current_schema() and table_name <> '__drizzle_migrations'
          order by table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(TABLES);
    expect(rows[0]?.schema).toBe(database.driver === 'postgres' ? database.schema : 'public');
  });

  it('apply again as a no-op', async () => {
    const database = getDatabase();
    await migrateDatabase(database);
    await migrateDatabase(database);
    const migrationsSchema = database.driver === 'postgres' && database.schema ? database.schema : 'drizzle';
    const [applied] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from ${sql.identifier(migrationsSchema)}.__drizzle_migrations`,
    );
    expect(applied?.n).toBe(readdirSync(defaultMigrationsFolder()).filter((f) => f.endsWith('.sql')).length);
  });

  it('enforce the money and token rules in the database itself', async () => {
    const { db } = getDatabase();
    const owner = await partnerWithLicense(db, { tokens: 1 });
    expect(await refusal(insertPayment(db, owner, { amount: 999 }))).toMatch(/payments_amount_min/);
    expect(await refusal(insertPayment(db, owner, { transactionId: 'T1', status: 'paid' }))).toMatch(
      /payments_paid_has_paid_at/,
    );
    await insertPayment(db, owner, { transactionId: 'T2' });
    expect(await refusal(insertPayment(db, owner, { transactionId: 'T2' }))).toMatch(
      /payments_partner_transaction_id/,
    );
    expect(
      await refusal(db.update(licenses).set({ tokens: -1 }).where(eq(licenses.id, owner.licenseId))),
    ).toMatch(/licenses_tokens_not_negative/);
    expect(
      await refusal(
        db.insert(licenseLedger).values({ licenseId: owner.licenseId, delta: 1, reason: 'debit' }),
      ),
    ).toMatch(/license_ledger_delta_sign/);
    expect(await refusal(db.update(licenseLedger).set({ delta: 100 }))).toBe(
      'license_ledger is append-only: UPDATE refused',
    );
    expect(await refusal(db.delete(licenseLedger))).toBe('license_ledger is append-only: DELETE refused');
  });
});

describe('migration files', () => {
  const folder = defaultMigrationsFolder();

  it('are schema-agnostic (no "public". qualifier) and listed in the journal', () => {
    const files = readdirSync(folder).filter((f) => f.endsWith('.sql'));
    for (const file of files) expect(readFileSync(join(folder, file), 'utf8')).not.toContain('"public".');
    const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
      entries: { tag: string }[];
    };
    expect(journal.entries.map((e) => `${e.tag}.sql`)).toEqual(files.sort());
  });

  it('match schema.ts: drizzle-kit has nothing new to generate', () => {
    const copy = mkdtempSync(join(tmpdir(), 'quickcart-migrations-'));
    try {
      cpSync(folder, copy, { recursive: true });
      const bin = join(dirname(createRequire(import.meta.url).resolve('drizzle-kit')), 'bin.cjs');
      const cwd = fileURLToPath(new URL('../..', import.meta.url));
      // drizzle-kit prefixes --out with "./", so it must be relative to the working directory.
      const output = execFileSync(
        process.execPath,
        [
          bin,
          'generate',
          '--dialect',
          'postgresql',
          '--schema',
          './src/db/schema.ts',
          '--out',
          relative(cwd, copy),
        ],
        { cwd, encoding: 'utf8' },
      );
      expect(output).toContain('No schema changes');
      expect(readdirSync(copy).sort()).toEqual(readdirSync(folder).sort());
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('migrations on a shared PostgreSQL database', () => {
  it('two instances starting at once apply each migration once (advisory lock)', async () => {
    const url = process.env.TEST_DATABASE_URL ?? '';
    const { schema, drop } = await createTestSchema(url);
    const instances = await Promise.all([openPostgres({ url, schema }), openPostgres({ url, schema })]);
    try {
      await Promise.all(instances.map((instance) => migrateDatabase(instance)));
      const [applied] = await queryRows<{ n: number }>(
        instances[0].db,
        sql`select count(*)::int as n from ${sql.identifier(schema)}.__drizzle_migrations`,
      );
      expect(applied?.n).toBe(
        readdirSync(defaultMigrationsFolder()).filter((f) => f.endsWith('.sql')).length,
      );
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await drop();
    }
  });
});
