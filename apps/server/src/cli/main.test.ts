import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/run-cli.js';
import { openDatabase } from '../db/connect.js';
import { ledgerBalance } from '../payments/licenses.js';
import { findPartnerByApiKey } from '../payments/partners.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'quickcart-cli-'));
  dirs.push(dir);
  return dir;
}

describe('quickcart CLI (PGlite)', () => {
  it('creates a partner, a license and tops it up; --json prints one object', async () => {
    const env = { DATA_DIR: await dataDir() };
    expect(await run(['migrate'], env)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('migrations applied'),
    });

    const partner = await run(
      ['partner', 'create', '--name', 'Toko Sari', '--webhook-url', 'https://toko.example/hook', '--json'],
      env,
    );
    expect(partner.code).toBe(0);
    const created = JSON.parse(partner.stdout);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^ptn_/),
      api_key: expect.stringMatching(/^qc_live_/),
      webhook_secret: expect.any(String),
    });
    expect(partner.stdout.trim().split('\n')).toHaveLength(1);

    const license = await run(
      ['license', 'create', '--partner', created.id, '--tokens', '10', '--expires', '2099-12-31', '--json'],
      env,
    );
    expect(license.code).toBe(0);
    const { license_key, id } = JSON.parse(license.stdout);
    expect(license_key).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/);

    expect(await run(['license', 'topup', license_key, '--tokens', '5'], env)).toMatchObject({
      code: 0,
      stdout: `license ${id}: 15 tokens\n`,
    });

    const database = await openDatabase({ dataDir: env.DATA_DIR });
    try {
      expect((await findPartnerByApiKey(database.db, created.api_key))?.name).toBe('Toko Sari');
      expect(await ledgerBalance(database.db, id)).toEqual({ tokens: 15, ledgerSum: 15 });
    } finally {
      await database.close();
    }
  });

  it('says clearly what is wrong', async () => {
    const env = { DATA_DIR: await dataDir() };
    expect(await run(['partner', 'create'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--name is required'),
    });
    expect(await run(['license', 'create', '--partner', 'ptn_nope', '--tokens', '3'], env)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('NOT_FOUND: no partner ptn_nope'),
    });
    expect(
      await run(['license', 'topup', 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE', '--tokens', '3'], env),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('INVALID_LICENSE'),
    });
    expect(await run(['license', 'create', '--partner', 'x', '--tokens', 'ten'], env)).toMatchObject({
      code: 2,
    });
    expect(await run(['frobnicate'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command'),
    });
    expect(await run(['migrate'], { DATA_DIR: env.DATA_DIR, PORT: 'eighty' })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('PORT'),
    });
  });

  it('refuses to open a PGlite directory another process holds, and says so', async () => {
    const env = { DATA_DIR: await dataDir() };
    const holder = await openDatabase({ dataDir: env.DATA_DIR });
    try {
      const result = await run(['migrate'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('DATABASE_LOCKED');
    } finally {
      await holder.close();
    }
  });
});
