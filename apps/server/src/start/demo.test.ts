import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases.js';
import { licenses } from '../db/schema.js';
import { ledgerBalance } from '../payments/licenses.js';
import { findPartnerByApiKey } from '../payments/partners.js';
import { formatBanner } from './banner.js';
import { DEMO_TOKENS, ensureDemoData } from './demo.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describeEachDatabase('demo data', (getDatabase) => {
  it('creates the demo partner and license once, saves their keys 0600, and reads them back', async () => {
    const { db } = getDatabase();
    const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-demo-'));
    dirs.push(dataDir);
    const first = await ensureDemoData(db, dataDir);
    expect(first?.created).toBe(true);
    const partner = await findPartnerByApiKey(db, first?.demo.apiKey ?? '');
    expect(partner?.name).toBe('Demo Shop');
    expect(((await stat(join(dataDir, 'demo-credentials.json'))).mode & 0o777).toString(8)).toBe('600');
    const second = await ensureDemoData(db, dataDir);
    expect(second).toEqual({ demo: first?.demo, created: false });
    const banner = formatBanner({
      url: 'http://localhost:3000',
      driver: 'pglite',
      dataDir,
      sandboxUrl: 'http://127.0.0.1:4000',
      demo: second,
    });
    expect(banner).toContain(`Authorization: Bearer ${first?.demo.apiKey}`);
    expect(banner).toContain(`"license_key":"${first?.demo.licenseKey}"`);
    expect(banner).toContain('/simulate');
    const [license] = await db.select().from(licenses);
    expect(await ledgerBalance(db, license?.id ?? '')).toEqual({
      tokens: DEMO_TOKENS,
      ledgerSum: DEMO_TOKENS,
    });
  });

  it('creates nothing when the database already has partners and no demo file', async () => {
    const { db } = getDatabase();
    const first = await mkdtemp(join(tmpdir(), 'quickcart-demo-'));
    const other = await mkdtemp(join(tmpdir(), 'quickcart-demo-'));
    dirs.push(first, other);
    await ensureDemoData(db, first);
    expect(await ensureDemoData(db, other)).toBeNull();
  });
});
