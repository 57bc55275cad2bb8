import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1CreateResponse } from '@quickcart/pakasir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, receiver } from '../test/helpers.js';
import { type CliIo, main } from './cli.js';
import type { SandboxHandle } from './server.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pakasir-sandbox-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in process; `use` gets the running sandbox, and the CLI stops when it returns. */
async function run(args: string[], use: (sandbox: SandboxHandle) => Promise<void> = async () => {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    untilStopped: use,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('pakasir-sandbox CLI', () => {
  it('prints its base URL, serves the API, logs requests with the api key masked, and stops cleanly', async () => {
    const hooks = await receiver();
    const state = join(dir, 'state.json');
    try {
      const { code, stdout, stderr } = await run(
        [
          '--port',
          '0',
          '--project',
          'depodomain',
          '--api-key',
          'xxx123',
          '--host',
          '127.0.0.1',
          '--webhook-url',
          hooks.url,
          '--webhook-secret',
          's3cret',
          '--state',
          state,
          '--seed',
          '7',
          '--expiry-minutes',
          '15',
        ],
        async (sandbox) => {
          const body = { project: 'depodomain', order_id: 'CLI-1', amount: 99000, api_key: 'xxx123' };
          const created = await call<V1CreateResponse>(`${sandbox.url}/api/transactioncreate/qris`, { body });
          expect(created.json.payment.total_payment).toBe(100003);
          await call(
            `${sandbox.url}/api/transactiondetail?project=depodomain&amount=99000&order_id=CLI-1&api_key=xxx123`,
          );
          await call(`${sandbox.url}/api/paymentsimulation`, { body });
          await hooks.next(1);
        },
      );
      expect(code).toBe(0);
      expect(stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/);
      expect(stderr).toContain('POST /api/transactioncreate/qris -> 200');
      expect(stderr).toContain('api_key=***');
      expect(stderr).not.toContain('xxx123');
      expect(hooks.requests[0]?.headers['x-pakasir-signature']).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.parse(await readFile(state, 'utf8')).transactions).toHaveLength(1);
    } finally {
      await hooks.close();
    }
  });

  it('--quiet logs nothing; --help prints usage', async () => {
    const quiet = await run(['--project', 'p', '--api-key', 'k', '--quiet'], async (sandbox) => {
      await call(`${sandbox.url}/`);
    });
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pakasir-sandbox --project SLUG --api-key KEY');
  });

  it('exits 2 on usage errors and 1 when the sandbox cannot start', async () => {
    expect((await run(['--api-key', 'k'])).stderr).toContain('--project is required');
    expect((await run(['--project', 'p'])).code).toBe(2);
    expect((await run(['--project', 'p', '--api-key', 'k', '--port', 'x'])).code).toBe(2);
    expect((await run(['--project', 'p', '--api-key', 'k', '--bogus'])).code).toBe(2);
    const badUrl = await run(['--project', 'p', '--api-key', 'k', '--webhook-url', 'ftp://x']);
    expect(badUrl).toMatchObject({ code: 1, stderr: expect.stringContaining('webhookUrl must be an http') });
    const broken = join(dir, 'broken.json');
    await writeFile(broken, 'nope');
    expect((await run(['--project', 'p', '--api-key', 'k', '--state', broken])).code).toBe(1);
    const badQris = await run(['--project', 'p', '--api-key', 'k', '--merchant-qris', '000201']);
    expect(badQris).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('merchantQris is not a valid QRIS'),
    });
  });

  it('exits 1 when the port is taken', async () => {
    await run(['--project', 'p', '--api-key', 'k'], async (sandbox) => {
      const taken = await run(['--project', 'p', '--api-key', 'k', '--port', String(sandbox.port)]);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain('EADDRINUSE');
    });
  });
});
