// `quickcart product add | product list | stock add`: on the database (PGlite, and PostgreSQL
// when TEST_DATABASE_URL is set), and while `quickcart start` holds the PGlite database, through its
// loopback admin endpoint, where the first sandbox start's demo products are listed too.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.js';
import { queryRows } from '../src/db/sql.js';
import { DEMO_PRODUCTS, DEMO_STOCK_PER_PRODUCT } from '../src/start/demo-store.js';
import { CLI_ACTOR, listAudit } from '../src/store/audit.js';
import { runCli as run } from './run-cli.js';
import { type InProcessServer, startInProcess } from './running-server.js';
import { createScratchDatabase } from './scratch.js';
import { itemsOf } from './store/harness.js';

const STOCK_LINES = 'akun1@x.test:pw1\r\nakun2@x.test:pw2\n\n  akun3@x.test:pw3  \n';
const STOCK_BLOCKS = 'email:a@x.test\npassword:1\n\nemail:b@x.test\npassword:2\n';

/** Adds a product and its stock both ways, checks the answers and the database; returns the product id. */
async function stockAShop(env: Record<string, string | undefined>, dir: string): Promise<number> {
  const added = await run(
    [
      'product',
      'add',
      '--name',
      'Netflix 1 Bulan',
      '--price',
      '50000',
      '--reseller-price',
      '45000',
      '--category',
      'Streaming',
      '--description',
      'Akun sharing',
      '--json',
    ],
    env,
  );
  expect(added).toMatchObject({ code: 0, stderr: '' });
  expect(added.stdout.trim().split('\n')).toHaveLength(1);
  const product = JSON.parse(added.stdout) as { id: number };
  expect(product).toEqual({
    id: expect.any(Number),
    name: 'Netflix 1 Bulan',
    description: 'Akun sharing',
    category: 'Streaming',
    customer_price: 50_000,
    reseller_price: 45_000,
    sold_count: 0,
    stock_count: 0,
    is_active: true,
  });
  const lines = join(dir, 'lines.txt');
  const blocks = join(dir, 'blocks.txt');
  await writeFile(lines, STOCK_LINES);
  await writeFile(blocks, STOCK_BLOCKS);
  expect(await run(['stock', 'add', String(product.id), '--file', lines], env)).toMatchObject({
    code: 0,
    stdout: `3 items added to product #${product.id}; in stock now: 3\n`,
  });
  const second = await run(['stock', 'add', String(product.id), '--file', blocks, '--blocks', '--json'], env);
  expect(JSON.parse(second.stdout)).toEqual({
    product_id: product.id,
    added: 2,
    duplicates: 0,
    stock_count: 5,
  });
  // Duplicates, of the stock and within the file, are refused and counted.
  const again = join(dir, 'again.txt');
  await writeFile(again, 'akun1@x.test:pw1\nakun2@x.test:pw2\nakun2@x.test:pw2\n');
  expect(await run(['stock', 'add', String(product.id), '--file', again], env)).toMatchObject({
    code: 0,
    stdout: `0 items added to product #${product.id}, 3 duplicates refused; in stock now: 5\n`,
  });
  const json = await run(['stock', 'add', String(product.id), '--file', again, '--json'], env);
  expect(JSON.parse(json.stdout)).toEqual({
    product_id: product.id,
    added: 0,
    duplicates: 3,
    stock_count: 5,
  });

  const list = await run(['product', 'list', '--json'], env);
  const { products } = JSON.parse(list.stdout) as { products: { id: number; stock_count: number }[] };
  expect(products.find((p) => p.id === product.id)).toMatchObject({ stock_count: 5 });
  const human = await run(['product', 'list'], env);
  expect(human.stdout).toContain(
    `#${product.id} Netflix 1 Bulan [Streaming] Rp 50.000 (reseller Rp 45.000), stock 5, sold 0`,
  );

  // Clear failures: unknown product, bad price, missing file, nothing to add.
  expect(await run(['stock', 'add', '999999', '--file', lines], env)).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('NOT_FOUND: product 999999 does not exist'),
  });
  expect(await run(['product', 'add', '--name', 'Murah', '--price', '0'], env)).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('VALIDATION_ERROR'),
  });
  expect(await run(['product', 'add', '--name', 'X', '--price', 'lima'], env)).toMatchObject({ code: 2 });
  expect(await run(['stock', 'add', String(product.id), '--file', join(dir, 'nope.txt')], env)).toMatchObject(
    {
      code: 1,
      stderr: expect.stringContaining('cannot read the stock file'),
    },
  );
  const empty = join(dir, 'empty.txt');
  await writeFile(empty, '\n\n');
  expect(await run(['stock', 'add', String(product.id), '--file', empty], env)).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('no stock items given'),
  });
  return product.id;
}

async function expectItems(databaseUrl: string | undefined, dataDir: string, productId: number) {
  const database = await openDatabase({ databaseUrl, dataDir });
  try {
    const items = await itemsOf(database.db, productId);
    expect(items.available.map((i) => i.content).sort()).toEqual([
      'akun1@x.test:pw1',
      'akun2@x.test:pw2',
      'akun3@x.test:pw3',
      'email:a@x.test\npassword:1',
      'email:b@x.test\npassword:2',
    ]);
    // Each change the CLI made is in the audit log, by CLI_ACTOR (0), with counts and no content.
    const audit = (await listAudit(database.db, { limit: 100 })).filter(
      (e) => e.target === `product:${productId}`,
    );
    expect(audit.reverse().map((e) => [e.actorId, e.action, e.detail])).toEqual([
      [CLI_ACTOR, 'product.add', { customer_price: 50_000, reseller_price: 45_000 }],
      [CLI_ACTOR, 'stock.add', { added: 3, duplicates: 0 }],
      [CLI_ACTOR, 'stock.add', { added: 2, duplicates: 0 }],
      [CLI_ACTOR, 'stock.add', { added: 0, duplicates: 3 }],
      [CLI_ACTOR, 'stock.add', { added: 0, duplicates: 3 }],
    ]);
  } finally {
    await database.close();
  }
}

describe('quickcart product / stock on the database', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('adds products and stock on PGlite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quickcart-cli-store-'));
    dirs.push(dir);
    const productId = await stockAShop({ DATA_DIR: dir }, dir);
    await expectItems(undefined, dir, productId);
  }, 60_000);

  it('encrypts stock with STOCK_ENCRYPTION_KEY, and refuses to add stock without it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quickcart-cli-store-'));
    dirs.push(dir);
    const key = randomBytes(32).toString('hex');
    const added = await run(['product', 'add', '--name', 'Rahasia', '--price', '10000', '--json'], {
      DATA_DIR: dir,
    });
    const { id } = JSON.parse(added.stdout) as { id: number };
    const file = join(dir, 'secret.txt');
    await writeFile(file, 'rahasia-1:pw\nrahasia-2:pw\nrahasia-1:pw\n');
    const withKey = { DATA_DIR: dir, STOCK_ENCRYPTION_KEY: key };
    expect(await run(['stock', 'add', String(id), '--file', file], withKey)).toMatchObject({
      code: 0,
      stdout: `2 items added to product #${id}, 1 duplicate refused; in stock now: 2\n`,
    });
    // Duplicates are found through the keyed fingerprints.
    expect(
      JSON.parse((await run(['stock', 'add', String(id), '--file', file, '--json'], withKey)).stdout),
    ).toEqual({ product_id: id, added: 0, duplicates: 3, stock_count: 2 });
    const without = await run(['stock', 'add', String(id), '--file', file], { DATA_DIR: dir });
    expect(without).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('STOCK_ENCRYPTION_KEY is not set'),
    });
    expect(without.stderr).not.toContain(key);
    const database = await openDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      const rows = JSON.stringify(await queryRows(database.db, sql`select * from store_stock_items`));
      expect(rows).toContain('enc:v1:');
      expect(rows).not.toContain('rahasia');
    } finally {
      await database.close();
    }
  }, 60_000);

  it.runIf(process.env.TEST_DATABASE_URL)(
    'adds products and stock on PostgreSQL',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'quickcart-cli-store-'));
      dirs.push(dir);
      const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL as string);
      try {
        const productId = await stockAShop({ DATA_DIR: dir, DATABASE_URL: scratch.url }, dir);
        await expectItems(scratch.url, dir, productId);
      } finally {
        await scratch.drop();
      }
    },
    60_000,
  );
});

describe('quickcart product / stock while quickcart start runs on PGlite', () => {
  let running: InProcessServer;
  let dir: string;
  beforeAll(async () => {
    running = await startInProcess();
    dir = await mkdtemp(join(tmpdir(), 'quickcart-cli-store-'));
  });
  afterAll(async () => {
    await running?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('goes through the admin endpoint; the first start seeded the demo products', async () => {
    const before = JSON.parse((await run(['product', 'list', '--json'], running.env)).stdout) as {
      products: { name: string; stock_count: number }[];
    };
    expect(before.products.map((p) => [p.name, p.stock_count])).toEqual(
      DEMO_PRODUCTS.map((p) => [p.name, DEMO_STOCK_PER_PRODUCT]),
    );
    expect(running.banner).toContain('demo products');
    const productId = await stockAShop(running.env, dir);
    // A stock file over the listener's usual 64 KiB body limit still goes through, all at once.
    const big = join(dir, 'big.txt');
    await writeFile(big, Array.from({ length: 3000 }, (_, i) => `voucher-${i}-${'x'.repeat(40)}`).join('\n'));
    const added = await run(['stock', 'add', String(productId), '--file', big, '--json'], running.env);
    expect(JSON.parse(added.stdout)).toEqual({
      product_id: productId,
      added: 3000,
      duplicates: 0,
      stock_count: 3005,
    });
  }, 60_000);
});
