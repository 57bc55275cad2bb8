import { storeStockItems } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { getProduct, productNotFound } from './catalog.js';
import { StoreError } from './errors.js';
import { MAX_ITEM_LENGTH, MAX_ITEMS_PER_UPLOAD } from './stock-text.js';

const CHUNK = 500;

/**
 * Adds stock items to a product, all or nothing (one transaction). Returns how many were added.
 * Throws PRODUCT_NOT_FOUND, or INVALID_INPUT for no items, too many, or one too long.
 */
export async function addStock(
  db: Executor,
  productId: number,
  contents: readonly string[],
): Promise<number> {
  if (contents.length === 0)
    throw new StoreError('INVALID_INPUT', 'no stock items given', { field: 'items' });
  if (contents.length > MAX_ITEMS_PER_UPLOAD) {
    throw new StoreError('INVALID_INPUT', `at most ${MAX_ITEMS_PER_UPLOAD} items at once`, {
      field: 'items',
      count: contents.length,
    });
  }
  const tooLong = contents.findIndex((content) => content.length > MAX_ITEM_LENGTH);
  if (tooLong >= 0) {
    throw new StoreError(
      'INVALID_INPUT',
      `item ${tooLong + 1} is longer than ${MAX_ITEM_LENGTH} characters`,
      {
        field: 'items',
        index: tooLong,
      },
    );
  }
  if (!(await getProduct(db, productId))) throw productNotFound(productId);
  return db.transaction(async (tx) => {
    for (let i = 0; i < contents.length; i += CHUNK) {
      await tx
        .insert(storeStockItems)
        .values(contents.slice(i, i + CHUNK).map((content) => ({ productId, content })));
    }
    return contents.length;
  });
}
