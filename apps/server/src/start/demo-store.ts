// First start in sandbox mode: a few demo products with demo stock in the Telegram store, so a new
// user can buy at once (the QR photo's "Simulasi Bayar (sandbox)" button pays it).
import { count, sql } from 'drizzle-orm';
import { storeProducts } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { addProduct } from '../store/catalog.js';
import { uploadStock } from '../store/stock.js';

interface DemoProduct {
  name: string;
  category: string;
  customerPrice: number;
  resellerPrice: number;
  description: string;
  /** The n-th demo item's content (1-based). */
  item: (n: number) => string;
}

/** How many demo items each demo product gets. */
export const DEMO_STOCK_PER_PRODUCT = 5;

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    name: 'Netflix Premium 1 Bulan (Demo)',
    category: 'Streaming',
    customerPrice: 50_000,
    resellerPrice: 45_000,
    description: 'Produk contoh: akun demo, bukan akun sungguhan.',
    item: (n) => `email:demo${n}@netflix.contoh\npassword:demo-${n}`,
  },
  {
    name: 'Spotify Premium 1 Bulan (Demo)',
    category: 'Musik',
    customerPrice: 25_000,
    resellerPrice: 22_000,
    description: 'Produk contoh: akun demo, bukan akun sungguhan.',
    item: (n) => `email:demo${n}@spotify.contoh\npassword:demo-${n}`,
  },
  {
    name: 'Voucher Game 10K (Demo)',
    category: 'Voucher',
    customerPrice: 10_000,
    resellerPrice: 9_500,
    description: 'Produk contoh: kode voucher demo.',
    item: (n) => `DEMO-VOUCHER-${String(n).padStart(4, '0')}`,
  },
];

/** What the demo seeding did: shown in the start banner. */
export interface DemoStore {
  products: number;
  items: number;
}

/**
 * Adds DEMO_PRODUCTS with DEMO_STOCK_PER_PRODUCT items each when the store has no product yet, in
 * one transaction under an advisory lock (two instances starting together seed once). Returns
 * null when the store already had products. Call it on a first start in sandbox mode only.
 */
export async function ensureDemoStore(db: Db): Promise<DemoStore | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('quickcart:demo-store'))`);
    const [row] = await tx.select({ n: count() }).from(storeProducts);
    if ((row?.n ?? 0) > 0) return null;
    let items = 0;
    for (const demo of DEMO_PRODUCTS) {
      const product = await addProduct(tx, demo);
      const contents = Array.from({ length: DEMO_STOCK_PER_PRODUCT }, (_, i) => demo.item(i + 1));
      const upload = await uploadStock(tx, { productId: product.id, contents });
      items += upload.added;
    }
    return { products: DEMO_PRODUCTS.length, items };
  });
}
