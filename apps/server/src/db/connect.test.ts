import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partnerWithLicense } from '../../test/fixtures.js';
import { openDatabase, openPostgres, pglitePaths, redactUrl } from './connect.js';
import { DatabaseLockedError, isProcessAlive } from './lock.js';
import { migrateDatabase } from './migrate.js';
import { partners } from './schema.js';

const CHILD = fileURLToPath(new URL('../../test/open-pglite-child.ts', import.meta.url));

interface ChildAnswer {
  opened: boolean;
  pid?: number;
  code?: string;
  message?: string;
}

/** Runs test/open-pglite-child.ts in another Node process; resolves with its one JSON line. */
function openInChild(dataDir: string): { child: ChildProcess; answer: Promise<ChildAnswer> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const answer = new Promise<ChildAnswer>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line) as ChildAnswer);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (status) => reject(new Error(`child exited (${status}) without answering: ${err}`)));
  });
  return { child, answer };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (status) => resolve(status)));
}

describe('PGlite on disk', { timeout: 60_000 }, () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'quickcart-data-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps its data in DATA_DIR/pglite across restarts and removes its lock on close', async () => {
    const { directory, lockPath } = pglitePaths(dataDir);
    const first = await openDatabase({ dataDir });
    expect(first.driver).toBe('pglite');
    expect(existsSync(lockPath)).toBe(true);
    await migrateDatabase(first);
    await partnerWithLicense(first.db);
    await first.close();
    await first.close();
    expect(existsSync(lockPath)).toBe(false);
    expect(existsSync(join(directory, 'PG_VERSION'))).toBe(true);

    const second = await openDatabase({ dataDir });
    try {
      await migrateDatabase(second);
      const [row] = await second.db.select({ n: count() }).from(partners);
      expect(row?.n).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('refuses a second open of the same directory in this process', async () => {
    const first = await openDatabase({ dataDir });
    try {
      const second = openDatabase({ dataDir });
      await expect(second).rejects.toThrow(DatabaseLockedError);
      await expect(second).rejects.toThrow(`process ${process.pid}`);
      await first.db.execute(sql`select 1`); // the first is unharmed
    } finally {
      await first.close();
    }
  });

  it('refuses a second process with a message naming the directory and the holding pid', async () => {
    const first = await openDatabase({ dataDir });
    try {
      const { child, answer } = openInChild(dataDir);
      const refused = await answer;
      expect(refused.opened).toBe(false);
      expect(refused.code).toBe('DATABASE_LOCKED');
      expect(refused.message).toContain(pglitePaths(dataDir).directory);
      expect(refused.message).toContain(`process ${process.pid}`);
      expect(await exited(child)).toBe(3);
    } finally {
      await first.close();
    }
  });

  it('takes over the lock of a process that was killed, and the data survives', async () => {
    const { lockPath } = pglitePaths(dataDir);
    const setup = await openDatabase({ dataDir });
    await migrateDatabase(setup);
    await partnerWithLicense(setup.db);
    await setup.close();

    const { child, answer } = openInChild(dataDir);
    const opened = await answer;
    expect(opened.opened).toBe(true);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(opened.pid);
    child.kill('SIGKILL');
    await exited(child);
    expect(isProcessAlive(opened.pid ?? 0)).toBe(false);
    expect(existsSync(lockPath)).toBe(true); // left behind by the killed process

    const after = await openDatabase({ dataDir });
    try {
      expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
      const [row] = await after.db.select({ n: count() }).from(partners);
      expect(row?.n).toBe(1);
    } finally {
      await after.close();
    }
  });
});

describe('PostgreSQL connection', () => {
  it('fails with a message that names the server but never the password', async () => {
    const url = 'postgres://quickcart:s3cret-pw@127.0.0.1:1/quickcart';
    const error = await openPostgres({ url }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('127.0.0.1:1/quickcart');
    expect((error as Error).message).not.toContain('s3cret-pw');
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(openPostgres({ url: 'postgres://x@127.0.0.1:1/x', schema: 'a; drop' })).rejects.toThrow(
      /plain lowercase identifier/,
    );
  });

  it.runIf(process.env.TEST_DATABASE_URL)('openDatabase picks PostgreSQL when a URL is given', async () => {
    const database = await openDatabase({
      databaseUrl: process.env.TEST_DATABASE_URL,
      dataDir: '/nonexistent',
    });
    try {
      if (database.driver !== 'postgres') throw new Error(`expected postgres, got ${database.driver}`);
      const result = await database.client.query<{ one: number }>('select 1 as one');
      expect(result.rows[0]?.one).toBe(1);
    } finally {
      await database.close();
      await database.close();
    }
  });

  it('redacts passwords from URLs', () => {
    expect(redactUrl('postgres://u:p@h:5432/db?sslmode=require')).toBe('postgres://u:***@h:5432/db');
    expect(redactUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(redactUrl('not a url')).not.toContain('not a url');
  });
});
