import { and, asc, eq, gt, inArray, isNull, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import {
  type StoreReplacement,
  storeOrderItems,
  storeOrders,
  storeProducts,
  storeReplacements,
  storeStockItems,
  storeUsers,
} from '../db/schema.js';
import type { Executor, Tx } from '../db/types.js';
import { recordAudit } from './audit.js';
import { productNotFound } from './catalog.js';
import { StoreError } from './errors.js';
import { stockCipherOf } from './stock-crypto.js';

/**
 * Replacements with warranty (issue 9). A buyer reports one delivered item within its product's
 * warranty (`warranty_hours` after the order's delivery); an admin approves, which in ONE
 * transaction takes a new item from stock, sells it to the same order and records who did it
 * (`store_audit_log`), or rejects. The new item then reaches the buyer at least once through a
 * lease (`deliver_lease_until`), like orders do (store/notify.ts): bot/replacements.ts sends it
 * right after the approval and its sweeper again after a crash.
 */

/** Longest reason a buyer may give (longer is cut). */
export const MAX_REASON_LENGTH = 500;
/** Longest warranty an admin may set: one year. */
export const MAX_WARRANTY_HOURS = 24 * 365;
/** How long one sender holds a replacement's delivery. */
export const REPLACEMENT_LEASE_MS = 60_000;
/** Approved replacements older than this are no longer retried (left to the admins). */
const DELIVERY_RETRY_DAYS = 7;

const DELIVERED_STATUSES = ['paid', 'delivered'] as const;
const HOUR_MS = 3_600_000;

/** One item of an order that its buyer may report now. */
export interface ReportableItem {
  stockItemId: number;
  productId: number;
  productName: string;
  /** 1-based position among the order's items still held (what the buyer sees: #1, #2…). */
  position: number;
  warrantyUntil: Date;
}

/** When the warranty of an item sold by `order` ends; null without warranty or before delivery. */
export function warrantyEnd(
  order: { deliveredAt: Date | null; paidAt: Date | null },
  warrantyHours: number,
): Date | null {
  const start = order.deliveredAt ?? order.paidAt;
  if (!start || warrantyHours <= 0) return null;
  return new Date(start.getTime() + warrantyHours * HOUR_MS);
}

/** Items the buyer holds from an order (sold to it and not replaced), oldest first, with products. */
async function heldItems(db: Executor, orderId: string) {
  const replaced = db
    .select({ id: storeReplacements.stockItemId })
    .from(storeReplacements)
    .where(and(eq(storeReplacements.orderId, orderId), eq(storeReplacements.status, 'approved')));
  return db
    .select({
      stockItemId: storeStockItems.id,
      productId: storeStockItems.productId,
      productName: storeProducts.name,
      warrantyHours: storeProducts.warrantyHours,
    })
    .from(storeStockItems)
    .innerJoin(storeProducts, eq(storeProducts.id, storeStockItems.productId))
    .where(
      and(
        eq(storeStockItems.orderId, orderId),
        eq(storeStockItems.status, 'sold'),
        notInArray(storeStockItems.id, replaced),
      ),
    )
    .orderBy(asc(storeStockItems.id));
}

/**
 * The items of `orderId` its buyer `userId` may report at `now`: held, under a running warranty,
 * not already reported (an open or approved report). Empty for someone else's order.
 */
export async function reportableItems(
  db: Executor,
  input: { userId: number; orderId: string; now: Date },
): Promise<ReportableItem[]> {
  const [order] = await db.select().from(storeOrders).where(eq(storeOrders.id, input.orderId));
  if (!order || order.userId !== input.userId || !isDelivered(order.status)) return [];
  const items = await heldItems(db, order.id);
  if (items.length === 0) return [];
  const reported = new Set(
    (
      await db
        .select({ id: storeReplacements.stockItemId })
        .from(storeReplacements)
        .where(
          and(
            inArray(
              storeReplacements.stockItemId,
              items.map((item) => item.stockItemId),
            ),
            ne(storeReplacements.status, 'rejected'),
          ),
        )
    ).map((row) => row.id),
  );
  const result: ReportableItem[] = [];
  for (const [index, item] of items.entries()) {
    const until = warrantyEnd(order, item.warrantyHours);
    if (!until || until <= input.now || reported.has(item.stockItemId)) continue;
    result.push({
      stockItemId: item.stockItemId,
      productId: item.productId,
      productName: item.productName,
      position: index + 1,
      warrantyUntil: until,
    });
  }
  return result;
}

/** Of `orderIds`, the orders with at least one item their buyer may report at `now` (for /orders). */
export async function ordersUnderWarranty(
  db: Executor,
  input: { userId: number; orderIds: readonly string[]; now: Date },
): Promise<Set<string>> {
  const found = new Set<string>();
  if (input.orderIds.length === 0) return found;
  const rows = await db
    .select({
      orderId: storeOrders.id,
      deliveredAt: storeOrders.deliveredAt,
      paidAt: storeOrders.paidAt,
      warrantyHours: sql<number>`max(${storeProducts.warrantyHours})::int`,
    })
    .from(storeOrders)
    .innerJoin(storeOrderItems, eq(storeOrderItems.orderId, storeOrders.id))
    .innerJoin(storeProducts, eq(storeProducts.id, storeOrderItems.productId))
    .where(
      and(
        inArray(storeOrders.id, [...input.orderIds]),
        eq(storeOrders.userId, input.userId),
        inArray(storeOrders.status, [...DELIVERED_STATUSES]),
        gt(storeProducts.warrantyHours, 0),
      ),
    )
    .groupBy(storeOrders.id, storeOrders.deliveredAt, storeOrders.paidAt);
  for (const row of rows) {
    const until = warrantyEnd(row, Number(row.warrantyHours));
    if (until && until > input.now) found.add(row.orderId);
  }
  return found;
}

/**
 * Records a buyer's report of one item of their order. Throws REPLACEMENT_REFUSED with
 * `details.reason`: not_yours (not the buyer's order or not an item of it), not_delivered,
 * no_warranty, warranty_expired, already_reported (an open or approved report of the item:
 * the partial unique index decides, so two racing reports make one).
 */
export async function requestReplacement(
  db: Executor,
  input: { userId: number; orderId: string; stockItemId: number; reason?: string; now: Date },
): Promise<StoreReplacement> {
  const refuse = (reason: string) =>
    new StoreError('REPLACEMENT_REFUSED', `item ${input.stockItemId} of order ${input.orderId}: ${reason}`, {
      reason,
      order_id: input.orderId,
      stock_item_id: input.stockItemId,
    });
  if (!Number.isSafeInteger(input.stockItemId)) throw refuse('not_yours');
  const [found] = await db
    .select({
      order: storeOrders,
      itemOrderId: storeStockItems.orderId,
      itemStatus: storeStockItems.status,
      warrantyHours: storeProducts.warrantyHours,
    })
    .from(storeStockItems)
    .innerJoin(storeProducts, eq(storeProducts.id, storeStockItems.productId))
    .innerJoin(storeOrders, eq(storeOrders.id, input.orderId))
    .where(eq(storeStockItems.id, input.stockItemId));
  if (!found || found.order.userId !== input.userId || found.itemOrderId !== input.orderId) {
    throw refuse('not_yours');
  }
  if (!isDelivered(found.order.status) || found.itemStatus !== 'sold') throw refuse('not_delivered');
  if (found.warrantyHours <= 0) throw refuse('no_warranty');
  const until = warrantyEnd(found.order, found.warrantyHours);
  if (!until || until <= input.now) throw refuse('warranty_expired');
  const [row] = await db
    .insert(storeReplacements)
    .values({
      orderId: input.orderId,
      userId: input.userId,
      stockItemId: input.stockItemId,
      reason: (input.reason ?? '').trim().slice(0, MAX_REASON_LENGTH),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw refuse('already_reported');
  return row;
}

/** What an approval did. */
export interface ApprovedReplacement {
  replacement: StoreReplacement;
  productId: number;
}

/**
 * Approves a report in ONE transaction: the report is locked (REPLACEMENT_NOT_FOUND; not
 * `requested` → REPLACEMENT_DECIDED with `details.status` and `details.decided_by`), one available
 * item of the same product is taken with FOR UPDATE SKIP LOCKED (none → OUT_OF_STOCK, the report
 * stays requested) and sold to the same order, the order's line shows the items now held, the
 * report becomes approved, and `replacement.approve` is audited (ids only, never contents).
 */
export async function approveReplacement(
  db: Executor,
  input: { replacementId: number; adminId: number },
): Promise<ApprovedReplacement> {
  return db.transaction(async (tx) => {
    const report = await lockRequested(tx, input.replacementId);
    const [old] = await tx
      .select({ productId: storeStockItems.productId })
      .from(storeStockItems)
      .where(eq(storeStockItems.id, report.stockItemId));
    if (!old) throw new Error(`stock item ${report.stockItemId} of replacement ${report.id} is missing`);
    const [fresh] = await tx
      .select({ id: storeStockItems.id })
      .from(storeStockItems)
      .where(and(eq(storeStockItems.productId, old.productId), eq(storeStockItems.status, 'available')))
      .orderBy(asc(storeStockItems.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!fresh) {
      throw new StoreError(
        'OUT_OF_STOCK',
        `no stock of product ${old.productId} to replace item ${report.stockItemId}`,
        {
          product_id: old.productId,
          replacement_id: report.id,
        },
      );
    }
    await tx
      .update(storeStockItems)
      .set({ status: 'sold', orderId: report.orderId, soldAt: sql`now()` })
      .where(eq(storeStockItems.id, fresh.id));
    const [approved] = await tx
      .update(storeReplacements)
      .set({
        status: 'approved',
        replacementItemId: fresh.id,
        decidedBy: input.adminId,
        decidedAt: sql`now()`,
      })
      .where(eq(storeReplacements.id, report.id))
      .returning();
    if (!approved) throw new Error(`replacement ${report.id} vanished while being approved`);
    await refreshOrderLine(tx, report.orderId, old.productId);
    await recordAudit(tx, {
      actorId: input.adminId,
      action: 'replacement.approve',
      target: `replacement:${report.id}`,
      detail: {
        order_id: report.orderId,
        product_id: old.productId,
        old_item: report.stockItemId,
        new_item: fresh.id,
      },
    });
    return { replacement: approved, productId: old.productId };
  });
}

/** Rejects a report (same locking and errors as `approveReplacement`), audited as `replacement.reject`. */
export async function rejectReplacement(
  db: Executor,
  input: { replacementId: number; adminId: number },
): Promise<StoreReplacement> {
  return db.transaction(async (tx) => {
    const report = await lockRequested(tx, input.replacementId);
    const [rejected] = await tx
      .update(storeReplacements)
      .set({ status: 'rejected', decidedBy: input.adminId, decidedAt: sql`now()` })
      .where(eq(storeReplacements.id, report.id))
      .returning();
    if (!rejected) throw new Error(`replacement ${report.id} vanished while being rejected`);
    await recordAudit(tx, {
      actorId: input.adminId,
      action: 'replacement.reject',
      target: `replacement:${report.id}`,
      detail: { order_id: report.orderId, old_item: report.stockItemId },
    });
    return rejected;
  });
}

async function lockRequested(tx: Tx, replacementId: number): Promise<StoreReplacement> {
  const [report] = Number.isSafeInteger(replacementId)
    ? await tx.select().from(storeReplacements).where(eq(storeReplacements.id, replacementId)).for('update')
    : [];
  if (!report) {
    throw new StoreError('REPLACEMENT_NOT_FOUND', `replacement ${replacementId} does not exist`, {
      replacement_id: replacementId,
    });
  }
  if (report.status !== 'requested') {
    throw new StoreError('REPLACEMENT_DECIDED', `replacement ${replacementId} is already ${report.status}`, {
      replacement_id: replacementId,
      status: report.status,
      decided_by: report.decidedBy,
    });
  }
  return report;
}

/** The order's line of `productId` holds the contents of the items still held (replaced ones out). */
async function refreshOrderLine(tx: Tx, orderId: string, productId: number): Promise<void> {
  const held = (await heldItems(tx, orderId)).filter((item) => item.productId === productId);
  const rows = await tx
    .select({ id: storeStockItems.id, content: storeStockItems.content })
    .from(storeStockItems)
    .where(
      inArray(
        storeStockItems.id,
        held.map((item) => item.stockItemId),
      ),
    )
    .orderBy(asc(storeStockItems.id));
  await tx
    .update(storeOrderItems)
    .set({ content: rows.map((row) => row.content).join('\n\n') })
    .where(and(eq(storeOrderItems.orderId, orderId), eq(storeOrderItems.productId, productId)));
}

/** A replacement claimed for sending: where to, and the new item in clear. */
export interface ReplacementToDeliver {
  replacement: StoreReplacement;
  chatId: number;
  productName: string;
  content: string;
}

/**
 * Claims the sending of an approved, undelivered replacement with a lease; null when there is
 * nothing to send or another sender holds it. The new item is opened with the database's cipher.
 */
export async function claimReplacementDelivery(
  db: Executor,
  replacementId: number,
  leaseMs = REPLACEMENT_LEASE_MS,
): Promise<ReplacementToDeliver | null> {
  const [claimed] = await db
    .update(storeReplacements)
    .set({ deliverLeaseUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where(and(eq(storeReplacements.id, replacementId), deliverable()))
    .returning();
  if (!claimed?.replacementItemId) return null;
  const [found] = await db
    .select({ chatId: storeOrders.chatId, productName: storeProducts.name, content: storeStockItems.content })
    .from(storeStockItems)
    .innerJoin(storeProducts, eq(storeProducts.id, storeStockItems.productId))
    .innerJoin(storeOrders, eq(storeOrders.id, claimed.orderId))
    .where(eq(storeStockItems.id, claimed.replacementItemId));
  if (!found) throw new Error(`replacement ${replacementId}: its new item or order is missing`);
  return {
    replacement: claimed,
    chatId: found.chatId,
    productName: found.productName,
    content: stockCipherOf(db).open(found.content),
  };
}

function deliverable() {
  return and(
    eq(storeReplacements.status, 'approved'),
    isNull(storeReplacements.deliveredAt),
    or(isNull(storeReplacements.deliverLeaseUntil), lt(storeReplacements.deliverLeaseUntil, sql`now()`)),
  );
}

/** Records that the buyer has the new item (once). */
export async function markReplacementDelivered(db: Executor, replacementId: number): Promise<boolean> {
  const rows = await db
    .update(storeReplacements)
    .set({ deliveredAt: sql`now()`, deliverLeaseUntil: null })
    .where(and(eq(storeReplacements.id, replacementId), isNull(storeReplacements.deliveredAt)))
    .returning({ id: storeReplacements.id });
  return rows.length > 0;
}

/** Approved replacements still to be sent whose lease is free (decided in the last week), oldest first. */
export async function replacementsToDeliver(db: Executor, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: storeReplacements.id })
    .from(storeReplacements)
    .where(
      and(
        deliverable(),
        gt(storeReplacements.decidedAt, sql`now() - make_interval(days => ${DELIVERY_RETRY_DAYS})`),
      ),
    )
    .orderBy(asc(storeReplacements.decidedAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** A report with what an admin needs to decide it. */
export interface ReplacementView {
  replacement: StoreReplacement;
  productId: number;
  productName: string;
  buyerName: string;
  buyerUsername: string | null;
}

/** One report with its product and buyer; null when there is none. */
export async function getReplacement(db: Executor, replacementId: number): Promise<ReplacementView | null> {
  if (!Number.isSafeInteger(replacementId)) return null;
  const [row] = await viewQuery(db).where(eq(storeReplacements.id, replacementId));
  return row ?? null;
}

/** Reports waiting for a decision, oldest first. */
export async function listOpenReplacements(db: Executor, limit = 20): Promise<ReplacementView[]> {
  return viewQuery(db)
    .where(eq(storeReplacements.status, 'requested'))
    .orderBy(asc(storeReplacements.createdAt), asc(storeReplacements.id))
    .limit(Math.min(Math.max(limit, 1), 100));
}

function viewQuery(db: Executor) {
  return db
    .select({
      replacement: storeReplacements,
      productId: storeProducts.id,
      productName: storeProducts.name,
      buyerName: storeUsers.name,
      buyerUsername: storeUsers.username,
    })
    .from(storeReplacements)
    .innerJoin(storeStockItems, eq(storeStockItems.id, storeReplacements.stockItemId))
    .innerJoin(storeProducts, eq(storeProducts.id, storeStockItems.productId))
    .innerJoin(storeUsers, eq(storeUsers.telegramId, storeReplacements.userId))
    .$dynamic();
}

/**
 * Sets a product's warranty (0: none), audited as `product.warranty` by `actorId` in the same
 * transaction. Throws INVALID_INPUT (not 0 … MAX_WARRANTY_HOURS whole hours) or PRODUCT_NOT_FOUND.
 */
export async function setWarranty(
  db: Executor,
  input: { productId: number; hours: number; actorId: number },
): Promise<{ productId: number; name: string; warrantyHours: number }> {
  const { productId, hours } = input;
  if (!Number.isSafeInteger(hours) || hours < 0 || hours > MAX_WARRANTY_HOURS) {
    throw new StoreError('INVALID_INPUT', `the warranty must be 0 to ${MAX_WARRANTY_HOURS} whole hours`, {
      field: 'warranty_hours',
    });
  }
  if (!Number.isSafeInteger(productId) || productId < 1 || productId > 2_147_483_647) {
    throw productNotFound(productId);
  }
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ hours: storeProducts.warrantyHours })
      .from(storeProducts)
      .where(eq(storeProducts.id, productId))
      .for('update');
    if (!before) throw productNotFound(productId);
    const [row] = await tx
      .update(storeProducts)
      .set({ warrantyHours: hours })
      .where(eq(storeProducts.id, productId))
      .returning({
        productId: storeProducts.id,
        name: storeProducts.name,
        warrantyHours: storeProducts.warrantyHours,
      });
    if (!row) throw productNotFound(productId);
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'product.warranty',
      target: `product:${productId}`,
      detail: { from_hours: before.hours, to_hours: hours },
    });
    return row;
  });
}

function isDelivered(status: string): boolean {
  return (DELIVERED_STATUSES as readonly string[]).includes(status);
}
