import { sql } from 'drizzle-orm';
import { queryRows } from '../db/sql.js';
import type { Executor } from '../db/types.js';
import { ENCRYPTED_PREFIX, type StockCipher, StockKeyError } from './stock-crypto.js';

/**
 * The start check of `quickcart start` (issue 9): the service refuses to start when the database
 * holds encrypted stock (items, or delivered contents on order lines) and no STOCK_ENCRYPTION_KEY
 * is set, or when the key set does not decrypt it. Nothing of the content is ever in the message.
 */
export async function assertStockReadable(db: Executor, cipher: StockCipher): Promise<{ encrypted: number }> {
  const pattern = `${ENCRYPTED_PREFIX}%`;
  const [counts] = await queryRows<{ items: number; lines: number }>(
    db,
    sql`select (select count(*)::int from store_stock_items where content like ${pattern}) as items,
               (select count(*)::int from store_order_items where content like ${`%${pattern}`}) as lines`,
  );
  const encrypted = Number(counts?.items ?? 0) + Number(counts?.lines ?? 0);
  if (encrypted === 0) return { encrypted };
  if (!cipher.encrypts) {
    throw new StockKeyError(
      `the database holds ${encrypted} encrypted stock item(s) or order line(s) but STOCK_ENCRYPTION_KEY is not set: set the key they were encrypted with`,
    );
  }
  const [sample] = await queryRows<{ content: string }>(
    db,
    sql`select content from store_stock_items where content like ${pattern} order by id desc limit 1`,
  );
  if (sample) cipher.open(sample.content); // throws StockKeyError for a wrong key
  return { encrypted };
}
