import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1CreateResponse, V1DetailResponse } from '@quickcart/pakasir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, call, credentials, manualClock, PROJECT, sandbox } from '../test/helpers.js';
import { SandboxError } from './index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pakasir-sandbox-state-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('state file', () => {
  it('keeps transactions across a restart, written atomically', async () => {
    const statePath = join(dir, 'nested', 'state.json');
    const clock = manualClock();
    const first = await sandbox({ statePath, now: clock.now });
    const created = await call<V1CreateResponse>(`${first.url}/api/transactioncreate/qris`, {
      body: { ...credentials('KEEP-1', 10000), metadata: { sku: 'A' } },
    });
    await call(`${first.url}/api/transactioncreate/bni_va`, { body: credentials('KEEP-2', 20000) });
    await call(`${first.url}/api/paymentsimulation`, { body: credentials('KEEP-2', 20000) });
    await first.close();
    expect(await readdir(join(dir, 'nested'))).toEqual(['state.json']); // no temporary file left
    const saved = JSON.parse(await readFile(statePath, 'utf8'));
    expect(saved).toMatchObject({ format: 'pakasir-sandbox-state', version: 1, project: PROJECT, seq: 2 });

    const second = await sandbox({ statePath, now: clock.now });
    try {
      const again = await call<V1CreateResponse>(`${second.url}/api/transactioncreate/qris`, {
        body: credentials('KEEP-1', 10000),
      });
      expect(again.json).toEqual(created.json);
      const detail = await call<V1DetailResponse>(
        `${second.url}/api/transactiondetail?project=${PROJECT}&amount=20000&order_id=KEEP-2&api_key=${API_KEY}`,
      );
      expect(detail.json.transaction.status).toBe('completed');
      // New transactions continue the sequence: no id handed out twice.
      await call(`${second.url}/api/transactioncreate/qris`, { body: credentials('KEEP-3', 1000) });
      const ids = second.transactions().map((t) => t.txn_id);
      expect(new Set(ids).size).toBe(3);
      expect(second.transaction('KEEP-1')?.metadata).toEqual({ sku: 'A' });
    } finally {
      await second.close();
    }
  });

  it('refuses a state file that is not JSON, not a state file, or of another project', async () => {
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{');
    await expect(sandbox({ statePath: broken })).rejects.toThrow(SandboxError);
    await writeFile(broken, '{"hello": 1}');
    await expect(sandbox({ statePath: broken })).rejects.toThrow(/not a pakasir-sandbox state file/);
    await writeFile(
      broken,
      JSON.stringify({ format: 'pakasir-sandbox-state', version: 1, project: 'x', seq: 0, transactions: [] }),
    );
    await expect(sandbox({ statePath: broken })).rejects.toThrow(/belongs to project "x"/);
  });

  it('keeps nothing on disk without statePath', async () => {
    const handle = await sandbox();
    await call(`${handle.url}/api/transactioncreate/qris`, { body: credentials('MEM-1', 1000) });
    await handle.close();
    const fresh = await sandbox();
    try {
      expect(fresh.transactions()).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
