// The quickcart CLI while `quickcart start` holds the PGlite database: partner create, license
// create and topup go through the server's loopback admin endpoint (DATA_DIR/admin.json), print
// exactly what they print on the database, and the new partner's key works at once.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminFilePath, readAdminEndpoint } from '../src/admin/endpoint-file.js';
import { openDatabase } from '../src/db/connect.js';
import { ledgerBalance } from '../src/payments/licenses.js';
import { runCli as run } from './run-cli.js';
import { type InProcessServer, startInProcess } from './running-server.js';

/** The human output with the generated ids and secrets replaced, to compare two runs. */
function shape(text: string): string {
  return text
    .replace(/ptn_\w+/g, 'ptn_X')
    .replace(/lic_\w+/g, 'lic_X')
    .replace(/qc_live_\w+/g, 'qc_live_X')
    .replace(/whsec_\S+/g, 'whsec_X')
    .replace(/[A-Z0-9]{5}(-[A-Z0-9]{5}){4}/g, 'KEY');
}

/** The same commands run on a database of our own (no server), for comparison. */
async function runOnDatabase(): Promise<{ partner: string; partnerJson: string; license: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-cli-local-'));
  try {
    const env = { DATA_DIR: dataDir };
    const partner = await run(['partner', 'create', '--name', 'Toko Sari'], env);
    const partnerJson = await run(['partner', 'create', '--name', 'Toko Sari', '--json'], env);
    const id = (JSON.parse(partnerJson.stdout) as { id: string }).id;
    const license = await run(['license', 'create', '--partner', id, '--tokens', '3'], env);
    return { partner: partner.stdout, partnerJson: partnerJson.stdout, license: license.stdout };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('quickcart CLI while quickcart start runs on PGlite', () => {
  let running: InProcessServer;
  beforeAll(async () => {
    running = await startInProcess();
  });
  afterAll(async () => {
    await running?.close();
  });

  it('publishes its admin endpoint in admin.json, mode 0600, loopback only', async () => {
    const path = adminFilePath(running.dataDir);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const endpoint = await readAdminEndpoint(running.dataDir);
    expect(endpoint).toMatchObject({
      pid: process.pid,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(endpoint?.token).toMatch(/^[\w-]{43}$/);
    expect(running.banner).toContain(`admin:    ${endpoint?.url}`);
    expect(running.banner).not.toContain(endpoint?.token ?? '?');
  });

  it('creates a partner, a license and tops it up through the server; the key works at once', async () => {
    const partner = await run(
      ['partner', 'create', '--name', 'Toko Sari', '--webhook-url', 'https://toko.example/hook', '--json'],
      running.env,
    );
    expect(partner).toMatchObject({ code: 0, stderr: '' });
    expect(partner.stdout.trim().split('\n')).toHaveLength(1);
    const created = JSON.parse(partner.stdout) as { id: string; api_key: string; webhook_secret: string };
    expect(Object.keys(created)).toEqual(['id', 'name', 'api_key', 'webhook_secret']);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^ptn_/),
      name: 'Toko Sari',
      api_key: expect.stringMatching(/^qc_live_/),
      webhook_secret: expect.stringMatching(/^whsec_/),
    });

    const license = await run(
      ['license', 'create', '--partner', created.id, '--tokens', '2', '--expires', '2099-12-31', '--json'],
      running.env,
    );
    expect(license.code).toBe(0);
    const issued = JSON.parse(license.stdout) as { id: string; license_key: string };
    expect(issued).toEqual({
      id: expect.stringMatching(/^lic_/),
      partner_id: created.id,
      license_key: expect.stringMatching(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/),
      tokens: 2,
      expires_at: '2099-12-31T00:00:00.000Z',
    });

    expect(await run(['license', 'topup', issued.license_key, '--tokens', '5'], running.env)).toEqual({
      code: 0,
      stdout: `license ${issued.id}: 7 tokens\n`,
      stderr: '',
    });
    expect(
      JSON.parse(
        (await run(['license', 'topup', issued.license_key, '--tokens', '1', '--json'], running.env)).stdout,
      ),
    ).toEqual({ id: issued.id, tokens: 8 });

    // The new partner pays with the new license on the running server, at once.
    const headers = { authorization: `Bearer ${created.api_key}`, 'content-type': 'application/json' };
    const payment = await fetch(`${running.url}/v1/partner/payments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        transaction_id: 'CLI-1',
        amount: 25_000,
        license_key: issued.license_key,
        payment_type: 'QRIS',
      }),
    });
    expect(payment.status).toBe(201);
    const { payment_id } = (await payment.json()) as { payment_id: string };
    const status = await fetch(`${running.url}/v1/payments/${payment_id}`, { headers });
    expect(await status.json()).toMatchObject({ status: 'pending' });

    // The gateway call was timed: upstream latency reaches /metrics.
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(
      /quickcart_upstream_request_duration_seconds_count\{operation="create_qris",outcome="ok"\} [1-9]/,
    );
  });

  it('prints what it prints on the database, and fails the same way', async () => {
    const local = await runOnDatabase();
    const partner = await run(['partner', 'create', '--name', 'Toko Sari'], running.env);
    expect(shape(partner.stdout)).toBe(shape(local.partner));
    const partnerJson = await run(['partner', 'create', '--name', 'Toko Sari', '--json'], running.env);
    expect(Object.keys(JSON.parse(partnerJson.stdout))).toEqual(Object.keys(JSON.parse(local.partnerJson)));
    const id = (JSON.parse(partnerJson.stdout) as { id: string }).id;
    const license = await run(['license', 'create', '--partner', id, '--tokens', '3'], running.env);
    expect(shape(license.stdout)).toBe(shape(local.license));

    expect(
      await run(['license', 'create', '--partner', 'ptn_nope', '--tokens', '3'], running.env),
    ).toMatchObject({
      code: 1,
      stderr: 'quickcart: NOT_FOUND: no partner ptn_nope\n',
    });
    expect(
      await run(['license', 'topup', 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE', '--tokens', '3'], running.env),
    ).toMatchObject({ code: 1, stderr: expect.stringContaining('INVALID_LICENSE') });
    expect(
      await run(['license', 'create', '--partner', id, '--tokens', '2000000'], running.env),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('VALIDATION_ERROR: the starting balance must be a whole number'),
    });
  });

  it('migrate reports that the running server applied the migrations', async () => {
    const human = await run(['migrate'], running.env);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toBe(
      `migrations applied (PGlite in ${running.dataDir}) by the running server, process ${process.pid}\n`,
    );
    expect(JSON.parse((await run(['migrate', '--json'], running.env)).stdout)).toEqual({
      migrated: true,
      driver: 'pglite',
    });
  });

  it('refuses a wrong or missing admin token (401), and answers nothing on the public port', async () => {
    const endpoint = await readAdminEndpoint(running.dataDir);
    if (!endpoint) throw new Error('no admin endpoint');
    const body = JSON.stringify({ name: 'Intruder' });
    for (const authorization of ['Bearer wrong-token', `Bearer ${endpoint.token}x`, undefined]) {
      const answer = await fetch(`${endpoint.url}/_admin/partners`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
        body,
      });
      expect(answer.status).toBe(401);
      expect(await answer.json()).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
    }
    const publicPort = await fetch(`${running.url}/_admin/partners`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${endpoint.token}` },
      body,
    });
    expect(publicPort.status).toBe(404);
    const malformed = await fetch(`${endpoint.url}/_admin/licenses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${endpoint.token}` },
      body: JSON.stringify({ partner_id: 'ptn_x', tokens: 'ten' }),
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'tokens' } });
  });
});

describe('quickcart CLI after quickcart start stopped', () => {
  it('withdraws admin.json on shutdown and the CLI opens the database itself again', async () => {
    const running = await startInProcess();
    const dataDir = running.dataDir;
    try {
      const partner = await run(['partner', 'create', '--name', 'Warung', '--json'], running.env);
      const { id } = JSON.parse(partner.stdout) as { id: string };
      await running.server.close();
      await expect(readFile(adminFilePath(dataDir), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
      const license = await run(
        ['license', 'create', '--partner', id, '--tokens', '4', '--json'],
        running.env,
      );
      expect(license.code).toBe(0);
      const database = await openDatabase({ dataDir });
      try {
        const { id: licenseId } = JSON.parse(license.stdout) as { id: string };
        expect(await ledgerBalance(database.db, licenseId)).toEqual({ tokens: 4, ledgerSum: 4 });
      } finally {
        await database.close();
      }
    } finally {
      await running.close();
    }
  });

  it('says DATABASE_LOCKED when the lock holder published no admin endpoint', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-cli-locked-'));
    const holder = await openDatabase({ dataDir });
    try {
      expect(await run(['partner', 'create', '--name', 'X'], { DATA_DIR: dataDir })).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('DATABASE_LOCKED'),
      });
    } finally {
      await holder.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
