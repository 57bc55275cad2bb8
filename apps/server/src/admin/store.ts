// The shop owner's administration (`quickcart product add | product list | stock add`), as
// operations on the database that the loopback admin routes serve too (see ./operations.ts). They
// call the store domain (catalog.ts, stock.ts) and turn its StoreErrors into the QuickCartErrors
// every admin command fails with, so the CLI prints them the same way wherever they ran.
import { DrizzleQueryError } from 'drizzle-orm';
import { z } from 'zod';
import { logMessage } from '../db/errors.js';
import type { StoreProduct } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { QuickCartError } from '../payments/errors.js';
import { audited, CLI_ACTOR } from '../store/audit.js';
import { addProduct, getProduct, listAllProducts, type ProductWithStock } from '../store/catalog.js';
import { StoreError } from '../store/errors.js';
import { uploadStock } from '../store/stock.js';
import { assertStockReadable } from '../store/stock-check.js';
import { StockKeyError, stockCipherOf } from '../store/stock-crypto.js';

/** Where a product goes when `--category` is not given. */
export const DEFAULT_CATEGORY = 'Umum';

/** Seed 003's Product object: the `--json` output of `product add`, and each row of `product list`. */
export interface ProductView {
  id: number;
  name: string;
  description: string;
  category: string;
  customer_price: number;
  reseller_price: number;
  sold_count: number;
  stock_count: number;
  is_active: boolean;
}

/** The `--json` output of `product list`. */
export interface ProductList {
  products: ProductView[];
}

/** The `--json` output of `stock add`: items added, and items refused as duplicates (of the stock or each other). */
export interface StockAdded {
  product_id: number;
  added: number;
  duplicates: number;
  stock_count: number;
}

export interface AddProductInput {
  name: string;
  /** Integer rupiah. */
  price: number;
  /** Default: `price`. */
  resellerPrice?: number | undefined;
  /** Default: DEFAULT_CATEGORY. */
  category?: string | undefined;
  description?: string | undefined;
}

export interface AddStockInput {
  productId: number;
  /** One deliverable each (see `splitStockFile`). */
  items: string[];
}

/** The store part of the admin operations. Errors are QuickCartErrors. */
export interface StoreAdminOperations {
  /** VALIDATION_ERROR for a bad name, category or price. */
  addProduct(input: AddProductInput): Promise<ProductView>;
  /**
   * All or nothing; duplicates are refused and counted. NOT_FOUND for an unknown product;
   * VALIDATION_ERROR for no, too many or too long items, or encrypted stock without (or with the
   * wrong) STOCK_ENCRYPTION_KEY.
   */
  addStock(input: AddStockInput): Promise<StockAdded>;
  listProducts(): Promise<ProductList>;
}

/** A product as seed 003 names its fields. */
export function productView(product: StoreProduct, stockCount: number): ProductView {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    category: product.category,
    customer_price: product.customerPrice,
    reseller_price: product.resellerPrice,
    sold_count: product.soldCount,
    stock_count: stockCount,
    is_active: product.isActive,
  };
}

const viewOf = (product: ProductWithStock): ProductView => productView(product, product.stockCount);

/** A StoreError (or StockKeyError) as the QuickCartError the admin commands answer; anything else unchanged. */
export function asAdminError(error: unknown): unknown {
  // A failed query's message carries its parameters (stock contents): keep them out of logs.
  if (error instanceof DrizzleQueryError)
    return new QuickCartError('INTERNAL_ERROR', { message: logMessage(error) });
  if (error instanceof StockKeyError) {
    return new QuickCartError('VALIDATION_ERROR', { message: error.message, cause: error });
  }
  if (!(error instanceof StoreError)) return error;
  const code =
    error.code === 'PRODUCT_NOT_FOUND'
      ? 'NOT_FOUND'
      : error.code === 'INVALID_INPUT'
        ? 'VALIDATION_ERROR'
        : 'CONFLICT';
  return new QuickCartError(code, { message: error.message, details: error.details, cause: error });
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asAdminError(error);
  }
}

/**
 * The store operations straight on a migrated database, each recorded in the audit log as done by
 * CLI_ACTOR (the CLI, directly or through the running server's admin endpoint). Stock is encrypted
 * with the database's cipher (`useStockCipher`).
 * @example
 * const { id } = await storeAdmin(db).addProduct({ name: 'Netflix 1 Bulan', price: 50_000 });
 */
export function storeAdmin(db: Executor): StoreAdminOperations {
  return {
    addProduct: (input) =>
      translated(async () => {
        const product = await audited(
          db,
          (tx) =>
            addProduct(tx, {
              name: input.name,
              category: input.category ?? DEFAULT_CATEGORY,
              customerPrice: input.price,
              resellerPrice: input.resellerPrice ?? input.price,
              ...(input.description !== undefined && { description: input.description }),
            }),
          (p) => ({
            actorId: CLI_ACTOR,
            action: 'product.add',
            target: `product:${p.id}`,
            detail: { customer_price: p.customerPrice, reseller_price: p.resellerPrice },
          }),
        );
        return productView(product, 0);
      }),
    addStock: (input) =>
      translated(async () => {
        // Clear items must not join encrypted ones (nor duplicates go unnoticed) without the key.
        await assertStockReadable(db, stockCipherOf(db));
        const { added, duplicates } = await uploadStock(db, {
          productId: input.productId,
          contents: input.items,
          audit: { actorId: CLI_ACTOR },
        });
        const product = await getProduct(db, input.productId);
        return { product_id: input.productId, added, duplicates, stock_count: product?.stockCount ?? 0 };
      }),
    listProducts: () => translated(async () => ({ products: (await listAllProducts(db)).map(viewOf) })),
  };
}

/**
 * A stock file as deliverables: one per non-empty line, or with `blocks` one per block of lines
 * between blank lines (multi-line content such as "email:…\npassword:…"). Windows line ends and a
 * byte order mark are normalised; surrounding whitespace is trimmed.
 * @example splitStockFile('a\nb\n\nc', { blocks: true }) // ['a\nb', 'c']
 */
export function splitStockFile(text: string, options: { blocks: boolean }): string[] {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const parts = options.blocks ? normalised.split(/\n[ \t]*\n/) : normalised.split('\n');
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

// ── Wire shapes of the loopback admin routes (`/_admin/store/*`) ──

/** `POST /_admin/store/products`. Prices and texts are checked by the store domain, as on the database. */
export const productBody = z.object({
  name: z.string().max(1000),
  price: z.number(),
  reseller_price: z.number().nullish(),
  category: z.string().max(1000).nullish(),
  description: z.string().max(5000).nullish(),
});

/** `POST /_admin/store/products/:id/stock` (count and length limits: the store domain's). */
export const stockBody = z.object({ items: z.array(z.string()).max(100_000) });
export const productParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

export type ProductBody = z.input<typeof productBody>;
export type StockBody = z.input<typeof stockBody>;

/** The operation's input of a parsed `POST /_admin/store/products` body. */
export function productInput(body: z.output<typeof productBody>): AddProductInput {
  return {
    name: body.name,
    price: body.price,
    resellerPrice: body.reseller_price ?? undefined,
    category: body.category ?? undefined,
    description: body.description ?? undefined,
  };
}

/** The largest stock upload the admin route accepts (the store domain's 5000 items of 4000 characters). */
export const STOCK_BODY_LIMIT = 24 * 1024 * 1024;
