import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type StockStatus, storeStockItems } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { recordAudit } from './audit.js';
import { getProduct, productNotFound } from './catalog.js';
import { StoreError } from './errors.js';
import { ENCRYPTED_PREFIX, maskContent, type StockCipher, stockCipherOf } from './stock-crypto.js';
import { MAX_ITEM_LENGTH, MAX_ITEMS_PER_UPLOAD } from './stock-text.js';

const CHUNK = 500;

/** What an upload did: items added, and items refused as duplicates (of the product's stock or each other). */
export interface StockUpload {
  added: number;
  duplicates: number;
}

/**
 * Adds stock items to a product in one transaction, encrypted when the database's stock cipher
 * encrypts (store/stock-crypto.ts). An item equal to one the product already has (available,
 * reserved or sold) or to an earlier one of the same upload is refused and counted, found by its
 * keyed fingerprint (`content_hash`, unique per product) without decrypting anything.
 * With `audit`, the upload is recorded (`stock.add`, the counts, never a content) in its transaction.
 * Throws PRODUCT_NOT_FOUND, or INVALID_INPUT for no items, too many, or one too long.
 */
export async function uploadStock(
  db: Executor,
  input: {
    productId: number;
    contents: readonly string[];
    cipher?: StockCipher;
    /** Records the upload in the audit log as done by `actorId` (a Telegram id, or CLI_ACTOR). */
    audit?: { actorId: number };
  },
): Promise<StockUpload> {
  const { productId, contents } = input;
  const cipher = input.cipher ?? stockCipherOf(db);
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
  const sealed = contents.findIndex((content) => content.includes(ENCRYPTED_PREFIX));
  if (sealed >= 0) {
    throw new StoreError(
      'INVALID_INPUT',
      `item ${sealed + 1} contains the reserved marker ${ENCRYPTED_PREFIX}`,
      {
        field: 'items',
        index: sealed,
      },
    );
  }
  if (!(await getProduct(db, productId))) throw productNotFound(productId);
  const seen = new Set<string>();
  const rows: { productId: number; content: string; contentHash: string }[] = [];
  for (const content of contents) {
    const contentHash = cipher.fingerprint(content);
    if (seen.has(contentHash)) continue;
    seen.add(contentHash);
    rows.push({ productId, content: cipher.seal(content), contentHash });
  }
  return db.transaction(async (tx) => {
    let added = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const done = await tx
        .insert(storeStockItems)
        .values(rows.slice(i, i + CHUNK))
        .onConflictDoNothing({ target: [storeStockItems.productId, storeStockItems.contentHash] })
        .returning({ id: storeStockItems.id });
      added += done.length;
    }
    const upload = { added, duplicates: contents.length - added };
    if (input.audit) {
      await recordAudit(tx, {
        actorId: input.audit.actorId,
        action: 'stock.add',
        target: `product:${productId}`,
        detail: { ...upload },
      });
    }
    return upload;
  });
}

/** A stock item as admins list it: the content masked (first characters and length), never whole. */
export interface StockListing {
  id: number;
  status: StockStatus;
  orderId: string | null;
  preview: string;
}

/** A product's items, oldest first (`newest`: newest first), with masked contents (opened with the database's cipher). */
export async function listStock(
  db: Executor,
  productId: number,
  options: { status?: StockStatus; limit?: number; newest?: boolean } = {},
): Promise<StockListing[]> {
  const cipher = stockCipherOf(db);
  const rows = await db
    .select()
    .from(storeStockItems)
    .where(
      and(
        eq(storeStockItems.productId, productId),
        options.status ? eq(storeStockItems.status, options.status) : undefined,
      ),
    )
    .orderBy(options.newest ? desc(storeStockItems.id) : asc(storeStockItems.id))
    .limit(options.limit ?? 50);
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    orderId: row.orderId,
    preview: maskContent(cipher.open(row.content)),
  }));
}

/** How many items of a product are in each status. */
export async function stockCounts(db: Executor, productId: number): Promise<Record<StockStatus, number>> {
  const rows = await db
    .select({ status: storeStockItems.status, n: sql<number>`count(*)::int` })
    .from(storeStockItems)
    .where(eq(storeStockItems.productId, productId))
    .groupBy(storeStockItems.status);
  const counts: Record<StockStatus, number> = { available: 0, reserved: 0, sold: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
