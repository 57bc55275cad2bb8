import { and, asc, eq, sql } from 'drizzle-orm';
import { type StoreProduct, storeProducts } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { StoreError } from './errors.js';
import { assertPrice } from './pricing.js';

/** A product with its stock count (seed 003 `stock_count`: available items, counted). */
export type ProductWithStock = StoreProduct & { stockCount: number };

/** A category of active products and how many items it has in stock. */
export interface CategorySummary {
  category: string;
  products: number;
  stock: number;
}

/** Longest category name: it travels in callback data (64 bytes with its prefix). */
export const MAX_CATEGORY_BYTES = 48;

// Qualified by hand: Drizzle leaves columns unqualified in single-table selects.
const stockCount = sql<number>`(select count(*)::int from store_stock_items s where s.product_id = "store_products"."id" and s.status = 'available')`;

/** What /addproduct gives. */
export interface NewProduct {
  name: string;
  category: string;
  customerPrice: number;
  resellerPrice: number;
  description?: string;
}

/** Adds a product (active, no stock yet). Throws INVALID_INPUT on a bad name, category or price. */
export async function addProduct(db: Executor, input: NewProduct): Promise<StoreProduct> {
  const name = input.name.trim();
  const category = input.category.trim();
  if (name.length === 0 || name.length > 100) {
    throw new StoreError('INVALID_INPUT', 'the product name must be 1 to 100 characters', { field: 'name' });
  }
  if (category.length === 0 || Buffer.byteLength(category) > MAX_CATEGORY_BYTES) {
    throw new StoreError('INVALID_INPUT', `the category must be 1 to ${MAX_CATEGORY_BYTES} bytes`, {
      field: 'category',
    });
  }
  assertPrice(input.customerPrice, 'customer_price');
  assertPrice(input.resellerPrice, 'reseller_price');
  const [row] = await db
    .insert(storeProducts)
    .values({
      name,
      category,
      customerPrice: input.customerPrice,
      resellerPrice: input.resellerPrice,
      description: (input.description ?? '').trim().slice(0, 1000),
    })
    .returning();
  if (!row) throw new Error('insert into store_products returned no row');
  return row;
}

/** Changes a product's prices (the reseller price stays when not given). Throws PRODUCT_NOT_FOUND. */
export async function setPrices(
  db: Executor,
  productId: number,
  prices: { customerPrice: number; resellerPrice?: number | undefined },
): Promise<StoreProduct> {
  assertPrice(prices.customerPrice, 'customer_price');
  if (prices.resellerPrice !== undefined) assertPrice(prices.resellerPrice, 'reseller_price');
  const [row] = await db
    .update(storeProducts)
    .set({
      customerPrice: prices.customerPrice,
      ...(prices.resellerPrice !== undefined && { resellerPrice: prices.resellerPrice }),
    })
    .where(eq(storeProducts.id, productId))
    .returning();
  if (!row) throw productNotFound(productId);
  return row;
}

/** Shows or hides a product in the catalog. */
export async function setActive(db: Executor, productId: number, isActive: boolean): Promise<StoreProduct> {
  const [row] = await db
    .update(storeProducts)
    .set({ isActive })
    .where(eq(storeProducts.id, productId))
    .returning();
  if (!row) throw productNotFound(productId);
  return row;
}

export function productNotFound(productId: number): StoreError {
  return new StoreError('PRODUCT_NOT_FOUND', `product ${productId} does not exist`, {
    product_id: productId,
  });
}

/** Categories of active products, by name. */
export async function listCategories(db: Executor): Promise<CategorySummary[]> {
  const rows = await db
    .select({
      category: storeProducts.category,
      products: sql<number>`count(*)::int`,
      stock: sql<number>`coalesce(sum(${stockCount}), 0)::int`,
    })
    .from(storeProducts)
    .where(eq(storeProducts.isActive, true))
    .groupBy(storeProducts.category)
    .orderBy(asc(storeProducts.category));
  return rows.map((row) => ({ ...row, products: Number(row.products), stock: Number(row.stock) }));
}

/** Active products of a category, by name, with stock counts. */
export async function listProducts(db: Executor, category: string): Promise<ProductWithStock[]> {
  const rows = await db
    .select({ product: storeProducts, stockCount })
    .from(storeProducts)
    .where(and(eq(storeProducts.category, category), eq(storeProducts.isActive, true)))
    .orderBy(asc(storeProducts.name), asc(storeProducts.id));
  return rows.map((row) => ({ ...row.product, stockCount: Number(row.stockCount) }));
}

/** Every product (admins), by id. */
export async function listAllProducts(db: Executor): Promise<ProductWithStock[]> {
  const rows = await db
    .select({ product: storeProducts, stockCount })
    .from(storeProducts)
    .orderBy(asc(storeProducts.id));
  return rows.map((row) => ({ ...row.product, stockCount: Number(row.stockCount) }));
}

/** A product with its stock count, or null. */
export async function getProduct(db: Executor, productId: number): Promise<ProductWithStock | null> {
  if (!Number.isSafeInteger(productId) || productId < 1 || productId > 2_147_483_647) return null;
  const [row] = await db
    .select({ product: storeProducts, stockCount })
    .from(storeProducts)
    .where(eq(storeProducts.id, productId));
  return row ? { ...row.product, stockCount: Number(row.stockCount) } : null;
}
