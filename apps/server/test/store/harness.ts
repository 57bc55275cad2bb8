// The store on a real payment stack (test/gateway.ts: embedded sandbox, webhook receiver,
// notifier, payment service) over a test database, plus helpers to stock products and users.
import { eq } from 'drizzle-orm';
import { storeStockItems } from '../../src/db/schema.js';
import type { Database, Db } from '../../src/db/types.js';
import { silentLogger } from '../../src/payments/alerts.js';
import { ensureStoreAccount, type StoreAccount } from '../../src/store/account.js';
import { addProduct } from '../../src/store/catalog.js';
import { createStore, type Store } from '../../src/store/service.js';
import { uploadStock } from '../../src/store/stock.js';
import { touchUser } from '../../src/store/users.js';
import { type Stack, startStack } from '../gateway.js';

export interface StoreStack {
  stack: Stack;
  store: Store;
  account: StoreAccount;
  db: Db;
  close(): Promise<void>;
}

/** The store over a fresh payment stack on `database`. */
export async function startStoreStack(
  database: Database,
  options: { now?: () => Date; orphanAfterMs?: number } = {},
): Promise<StoreStack> {
  const stack = await startStack(database, options.now ? { now: options.now } : {});
  const account = await ensureStoreAccount(database.db);
  const store = createStore({
    db: database.db,
    payments: stack.service,
    account,
    logger: silentLogger,
    ...(options.orphanAfterMs !== undefined && { orphanAfterMs: options.orphanAfterMs }),
  });
  return { stack, store, account, db: database.db, close: () => stack.close() };
}

let productSerial = 0;

/** A product with `stock` items named `<prefix>-<n>`; prices default to 50,000 / 45,000. */
export async function stockedProduct(
  db: Db,
  options: {
    stock: number;
    customerPrice?: number;
    resellerPrice?: number;
    category?: string;
    name?: string;
  },
) {
  const serial = ++productSerial;
  const product = await addProduct(db, {
    name: options.name ?? `Produk ${serial}`,
    category: options.category ?? 'Streaming',
    customerPrice: options.customerPrice ?? 50_000,
    resellerPrice: options.resellerPrice ?? 45_000,
  });
  const contents = Array.from(
    { length: options.stock },
    (_, i) => `email:p${product.id}-${i + 1}@x.test\npassword:pw${i + 1}`,
  );
  if (contents.length > 0) await uploadStock(db, { productId: product.id, contents });
  return { product, contents };
}

let userSerial = 100_000;

/** A new store user (as if they had written to the bot). */
export async function buyer(db: Db, options: { id?: number; username?: string } = {}) {
  return touchUser(db, { id: options.id ?? ++userSerial, firstName: 'Budi', username: options.username });
}

/** A product's items by status. */
export async function itemsOf(db: Db, productId: number) {
  const rows = await db.select().from(storeStockItems).where(eq(storeStockItems.productId, productId));
  const by = (status: string) => rows.filter((row) => row.status === status);
  return { all: rows, available: by('available'), reserved: by('reserved'), sold: by('sold') };
}
