/**
 * The QuickCart database schema (Drizzle, pg-core): one schema for PGlite and PostgreSQL.
 *
 * Conventions:
 * - Money is integer rupiah everywhere (`integer`, never numeric or float).
 * - Public ids are text with a kind prefix (`ptn_…`, `pay_…`, `lic_…`, `key_…`); append-only
 *   logs (ledger, events, outbox) use `bigserial`.
 * - Closed sets (statuses, payment types, ledger reasons) are `text` columns with a CHECK
 *   constraint instead of `CREATE TYPE … AS ENUM`: the TypeScript type is the same union, adding a
 *   value later is a plain constraint swap, and the migrations stay schema-agnostic (drizzle-kit
 *   qualifies enum types with "public", which would break one-schema-per-test-file on PostgreSQL).
 * - Every timestamp is `timestamptz`.
 *
 * This file imports nothing local, so that drizzle-kit can load it on its own.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Payment types of seed 004. */
export const PAYMENT_TYPES = ['QRIS', 'CHECKOUT_PAGE'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

/** Payment states: `pending`, then exactly one terminal state. */
export const PAYMENT_STATUSES = ['pending', 'paid', 'expired', 'cancelled', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Why a license balance moved. */
export const LEDGER_REASONS = ['debit', 'refund', 'topup'] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

/** Outbound partner webhook events; `payment.success` always, the others for partners who opt in. */
export const WEBHOOK_EVENTS = ['payment.success', 'payment.expired', 'payment.cancelled'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Who or what moved a payment: the partner API, a Pakasir webhook, the reconciler, the sweeper… */
export type EventSource = 'api' | 'webhook' | 'reconciler' | 'sweeper' | 'cli' | 'sandbox' | (string & {});

/** The smallest amount a payment may ask for, in rupiah (seed 004: INVALID_AMOUNT below it). */
export const MIN_AMOUNT = 1000;

/** JSON object column type (metadata, event details). */
export type JsonObject = { [key: string]: unknown };

/** A line of a checkout page (seed 004 `items`). */
export interface PaymentItem {
  id?: string;
  name: string;
  price: number;
  quantity: number;
}

/** Customer contact given when the payment was created (seed 004 `customer_*`). */
export interface PaymentCustomer {
  name?: string;
  email?: string;
  phone?: string;
}

/** Who paid, when the gateway tells us (seed 002 `payer_info`). */
export interface PayerInfo {
  bank?: string;
  account_name?: string;
  payment_method?: string;
}

/** `'a', 'b'` for a CHECK constraint over a closed set of literals. */
function literals(values: readonly string[]): ReturnType<typeof sql.raw> {
  return sql.raw(values.map((value) => `'${value}'`).join(', '));
}

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A partner: a POS app, a shop, our own Telegram store. The webhook secret is stored as is (not
 * hashed) because outbound webhooks are signed with it (HMAC needs the secret itself); it is shown
 * once on creation and never returned by the API afterwards.
 */
export const partners = pgTable(
  'partners',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    webhookUrl: text('webhook_url'),
    webhookSecret: text('webhook_secret').notNull(),
    /** After a rotation the old secret still signs (second signature) until this expiry. */
    webhookSecretPrevious: text('webhook_secret_previous'),
    webhookSecretPreviousUntil: timestamp('webhook_secret_previous_until', { withTimezone: true }),
    /** Events this partner receives; `payment.success` is always among them. */
    webhookEvents: text('webhook_events')
      .array()
      .$type<WebhookEvent[]>()
      .notNull()
      .default(sql`ARRAY['payment.success']::text[]`),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'partners_webhook_events',
      sql`${t.webhookEvents} <@ ARRAY[${literals(WEBHOOK_EVENTS)}]::text[] and 'payment.success' = any(${t.webhookEvents})`,
    ),
  ],
);

/** API keys (`qc_live_…`, `qc_test_…`): only the SHA-256 hash and a short visible prefix are kept. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull().unique(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_keys_partner_id_idx').on(t.partnerId)],
);

/** A license: a token balance owned by one partner; each payment costs one token (seed 004). */
export const licenses = pgTable(
  'licenses',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    keyHash: text('key_hash').notNull().unique(),
    keyPrefix: text('key_prefix').notNull(),
    tokens: integer('tokens').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('licenses_partner_id_idx').on(t.partnerId),
    check('licenses_tokens_not_negative', sql`${t.tokens} >= 0`),
  ],
);

/**
 * Append-only record of every balance change: for each license, `sum(delta) = tokens`. A database
 * trigger refuses UPDATE and DELETE. At most one debit and one refund per payment.
 */
export const licenseLedger = pgTable(
  'license_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    licenseId: text('license_id')
      .notNull()
      .references(() => licenses.id),
    delta: integer('delta').notNull(),
    reason: text('reason', { enum: LEDGER_REASONS }).notNull(),
    paymentId: text('payment_id').references(() => payments.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('license_ledger_license_id_idx').on(t.licenseId),
    uniqueIndex('license_ledger_one_debit_per_payment').on(t.paymentId).where(sql`${t.reason} = 'debit'`),
    uniqueIndex('license_ledger_one_refund_per_payment').on(t.paymentId).where(sql`${t.reason} = 'refund'`),
    check('license_ledger_reason', sql`${t.reason} in (${literals(LEDGER_REASONS)})`),
    check(
      'license_ledger_delta_sign',
      sql`(${t.reason} = 'debit' and ${t.delta} < 0) or (${t.reason} <> 'debit' and ${t.delta} > 0)`,
    ),
  ],
);

/**
 * A payment. Status changes only through `payments/state.ts` (one conditional UPDATE from
 * `pending`); a trigger refuses any change of a terminal status. `order_id` is the id we give
 * Pakasir; `transaction_id` is the partner's own id, unique per partner among payments that did not fail.
 */
export const payments = pgTable(
  'payments',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    licenseId: text('license_id')
      .notNull()
      .references(() => licenses.id),
    transactionId: text('transaction_id').notNull(),
    paymentType: text('payment_type', { enum: PAYMENT_TYPES }).notNull(),
    amount: integer('amount').notNull(),
    description: text('description'),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('pending'),
    paidLate: boolean('paid_late').notNull().default(false),
    amountMismatch: boolean('amount_mismatch').notNull().default(false),
    /** What the gateway reported as paid, when it differs or once paid (integer rupiah). */
    paidAmount: integer('paid_amount'),
    orderId: text('order_id').notNull().unique(),
    /** The gateway's own id of the transaction (Pakasir v2 `txn_id`), once it is created. */
    upstreamTxnId: text('upstream_txn_id'),
    qrContent: text('qr_content'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    payerInfo: jsonb('payer_info').$type<PayerInfo>(),
    items: jsonb('items').$type<PaymentItem[]>(),
    customer: jsonb('customer').$type<PaymentCustomer>(),
    backUrl: text('back_url'),
    webhookUrl: text('webhook_url'),
    metadata: jsonb('metadata').$type<JsonObject>(),
    /** When the reconciler should next ask the gateway about this pending payment. */
    reconcileAfter: timestamp('reconcile_after', { withTimezone: true }),
    /** How often the reconciler asked already (drives its backoff). */
    reconcileAttempts: integer('reconcile_attempts').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A failed payment never reached the gateway: its transaction id may be used again (a retry after 502).
    uniqueIndex('payments_partner_transaction_id')
      .on(t.partnerId, t.transactionId)
      .where(sql`${t.status} <> 'failed'`),
    index('payments_license_id_idx').on(t.licenseId),
    index('payments_partner_created_idx').on(t.partnerId, t.createdAt),
    index('payments_pending_expires_idx').on(t.expiresAt).where(sql`${t.status} = 'pending'`),
    index('payments_pending_reconcile_idx').on(t.reconcileAfter).where(sql`${t.status} = 'pending'`),
    check('payments_amount_min', sql`${t.amount} >= ${sql.raw(String(MIN_AMOUNT))}`),
    check('payments_paid_amount_positive', sql`${t.paidAmount} is null or ${t.paidAmount} > 0`),
    check('payments_payment_type', sql`${t.paymentType} in (${literals(PAYMENT_TYPES)})`),
    check('payments_status', sql`${t.status} in (${literals(PAYMENT_STATUSES)})`),
    check('payments_paid_has_paid_at', sql`${t.status} <> 'paid' or ${t.paidAt} is not null`),
    check(
      'payments_paid_late_terminal',
      sql`not ${t.paidLate} or ${t.status} in ('expired', 'cancelled', 'failed')`,
    ),
  ],
);

/** Append-only history of a payment: one row per transition or flag (`from_status` null on creation). */
export const paymentEvents = pgTable(
  'payment_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    paymentId: text('payment_id')
      .notNull()
      .references(() => payments.id),
    fromStatus: text('from_status', { enum: PAYMENT_STATUSES }),
    toStatus: text('to_status', { enum: PAYMENT_STATUSES }).notNull(),
    source: text('source').$type<EventSource>().notNull(),
    detail: jsonb('detail').$type<JsonObject>(),
    createdAt: createdAt(),
  },
  (t) => [
    index('payment_events_payment_id_idx').on(t.paymentId, t.id),
    check(
      'payment_events_statuses',
      sql`(${t.fromStatus} is null or ${t.fromStatus} in (${literals(PAYMENT_STATUSES)})) and ${t.toStatus} in (${literals(PAYMENT_STATUSES)})`,
    ),
  ],
);

/**
 * Durable outbox: rows written in the same transaction as the change they announce, claimed by
 * workers with `FOR UPDATE SKIP LOCKED` and a lease (`lease_until` + `lease_token`, so a worker
 * whose lease expired cannot record over the next one), delivered outside any transaction.
 * `event_id` stays the same across attempts and redeliveries (the `webhook-id` receivers dedupe
 * on). A row is done when `delivered_at` or `failed_at` (gave up) is set.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id')
      .notNull()
      .unique()
      .default(sql`'msg_' || replace(gen_random_uuid()::text, '-', '')`),
    topic: text('topic').notNull(),
    payload: jsonb('payload').$type<JsonObject>().notNull(),
    /** Partner webhooks: who receives it, about which payment (none for test events), and where. */
    partnerId: text('partner_id').references(() => partners.id),
    paymentId: text('payment_id').references(() => payments.id),
    targetUrl: text('target_url'),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    leaseToken: text('lease_token'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('outbox_due_idx')
      .on(t.topic, t.availableAt)
      .where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
    index('outbox_payment_id_idx').on(t.paymentId),
    index('outbox_partner_created_idx').on(t.partnerId, t.createdAt),
    check('outbox_attempts_not_negative', sql`${t.attempts} >= 0`),
  ],
);

/** Every HTTP attempt of an outbox delivery: status (null when no answer), latency, first 1 KB. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    outboxId: bigint('outbox_id', { mode: 'number' })
      .notNull()
      .references(() => outbox.id),
    attempt: integer('attempt').notNull(),
    url: text('url').notNull(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    responseBody: text('response_body'),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_attempts_outbox_id_idx').on(t.outboxId, t.id)],
);

/** Endpoints that answered 410 Gone: nothing more is sent there until the partner re-enables them. */
export const webhookDisabledEndpoints = pgTable(
  'webhook_disabled_endpoints',
  {
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    url: text('url').notNull(),
    statusCode: integer('status_code').notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.url] })],
);

/**
 * `Idempotency-Key` replay store, per partner. A row with a null `status_code` is a request still in
 * flight (claimed by its first arrival); the answer is filled in when it completes.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    response: jsonb('response').$type<unknown>(),
    statusCode: integer('status_code'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnerId, t.key] }),
    index('idempotency_keys_created_at_idx').on(t.createdAt),
  ],
);

export type Partner = typeof partners.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type License = typeof licenses.$inferSelect;
export type LedgerEntry = typeof licenseLedger.$inferSelect;
export type Payment = typeof payments.$inferSelect;
export type NewPayment = typeof payments.$inferInsert;
export type PaymentEvent = typeof paymentEvents.$inferSelect;
export type OutboxMessage = typeof outbox.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
export type IdempotencyKey = typeof idempotencyKeys.$inferSelect;

/** Every table, as the Drizzle `schema` option (relational queries: `db.query.payments…`). */
export const tables = {
  partners,
  apiKeys,
  licenses,
  licenseLedger,
  payments,
  paymentEvents,
  outbox,
  webhookAttempts,
  webhookDisabledEndpoints,
  idempotencyKeys,
};
export type Tables = typeof tables;

// ─── Telegram store (issue 8) ───────────────────────────────────────────────────────────────────
// The shop of seed 003: users, products, stock items, orders. Orders are paid through `payments`
// (the built-in store partner); `store/settle.ts` moves an order once its payment has settled.

/** Seed 003 `member_status`: resellers pay `reseller_price`. */
export const MEMBER_STATUSES = ['customer', 'reseller'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** A stock item is sold once: available → reserved (by one order) → sold, or back to available. */
export const STOCK_STATUSES = ['available', 'reserved', 'sold'] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

/** Seed 003 order statuses; `paid` = goods assigned (durable), `delivered` = sent to the buyer. */
export const ORDER_STATUSES = ['pending', 'paid', 'delivered', 'expired', 'cancelled', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What an order sells: stock items, or balance (a QRIS top-up). */
export const ORDER_KINDS = ['goods', 'topup'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/** How an order is paid: QRIS, the balance alone, or the balance and QRIS for the rest. */
export const PAYMENT_METHODS = ['qris', 'balance', 'balance+qris'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Why a buyer's balance moved (issue 9). */
export const BALANCE_REASONS = [
  'topup',
  'order_payment',
  'refund',
  'late_payment',
  'overpayment',
  'underpayment',
  'adjustment',
] as const;
export type BalanceReason = (typeof BALANCE_REASONS)[number];

/** A voucher takes a percentage or a fixed number of rupiah off the goods. */
export const VOUCHER_KINDS = ['percent', 'fixed'] as const;
export type VoucherKind = (typeof VOUCHER_KINDS)[number];

/** Languages the bot speaks (message files in bot/messages/). */
export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Store admins: the owner does everything; staff only stock and orders. */
export const ADMIN_ROLES = ['owner', 'staff'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** A buyer's report of a delivered item: waits for an admin, then approved (replaced) or rejected. */
export const REPLACEMENT_STATUSES = ['requested', 'approved', 'rejected'] as const;
export type ReplacementStatus = (typeof REPLACEMENT_STATUSES)[number];

/** A Telegram user of the store (seed 003 User object); the id is the Telegram user id. */
export const storeUsers = pgTable(
  'store_users',
  {
    telegramId: bigint('telegram_id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    username: text('username'),
    email: text('email'),
    whatsappNumber: text('whatsapp_number'),
    memberStatus: text('member_status', { enum: MEMBER_STATUSES }).notNull().default('customer'),
    /**
     * Integer rupiah. Changes only through `store/wallet.ts`, in the same transaction as a row of
     * `store_balance_ledger`, so the ledger's sum for a user always equals this balance.
     */
    accountBalance: integer('account_balance').notNull().default(0),
    isBanned: boolean('is_banned').notNull().default(false),
    /** Chosen with /language; null: follow the Telegram client's language. */
    language: text('language', { enum: LANGUAGES }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('store_users_member_status', sql`${t.memberStatus} in (${literals(MEMBER_STATUSES)})`),
    check('store_users_balance_not_negative', sql`${t.accountBalance} >= 0`),
    check('store_users_language', sql`${t.language} is null or ${t.language} in (${literals(LANGUAGES)})`),
  ],
);

/** A product (seed 003 Product object); `stock_count` is counted from `store_stock_items`. */
export const storeProducts = pgTable(
  'store_products',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    category: text('category').notNull(),
    customerPrice: integer('customer_price').notNull(),
    resellerPrice: integer('reseller_price').notNull(),
    soldCount: integer('sold_count').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    /** Hours after delivery in which a buyer may report an item for replacement; 0: no warranty. */
    warrantyHours: integer('warranty_hours').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('store_products_category_idx').on(t.category),
    check('store_products_warranty_hours', sql`${t.warrantyHours} >= 0`),
    check('store_products_prices_positive', sql`${t.customerPrice} > 0 and ${t.resellerPrice} > 0`),
    check('store_products_sold_not_negative', sql`${t.soldCount} >= 0`),
  ],
);

/**
 * An order (seed 003 Order object). `id` is the invoice id, `tg{telegram id}-{suffix}` (seed 000),
 * also the payment's transaction id. `notified_at` is set once the buyer was told the outcome
 * (goods sent, expiry…); `notify_lease_until` keeps two senders from telling twice.
 */
export const storeOrders = pgTable(
  'store_orders',
  {
    id: text('id').primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => storeUsers.telegramId),
    paymentId: text('payment_id')
      .unique()
      .references(() => payments.id),
    subtotal: integer('subtotal').notNull(),
    fee: integer('fee').notNull(),
    totalBill: integer('total_bill').notNull(),
    paymentMethod: text('payment_method', { enum: PAYMENT_METHODS }).notNull().default('qris'),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('pending'),
    /** `goods` (stock items) or `topup` (its paid transition credits `subtotal` to the balance). */
    kind: text('kind', { enum: ORDER_KINDS }).notNull().default('goods'),
    /** Voucher discount (integer rupiah) off `subtotal`; its use is in `store_voucher_uses`. */
    discount: integer('discount').notNull().default(0),
    voucherId: integer('voucher_id').references(() => storeVouchers.id),
    /** Paid from the buyer's balance in the order's transaction; refunded if the order closes unpaid. */
    balancePaid: integer('balance_paid').notNull().default(0),
    /** The button press that made the order: a double tap with the same key makes one order. */
    checkoutKey: text('checkout_key'),
    /** Where the bot talks to the buyer, and the QR photo it edits when the order settles. */
    chatId: bigint('chat_id', { mode: 'number' }).notNull(),
    qrMessageId: integer('qr_message_id'),
    notifyLeaseUntil: timestamp('notify_lease_until', { withTimezone: true }),
    notifyAttempts: integer('notify_attempts').notNull().default(0),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('store_orders_user_created_idx').on(t.userId, t.createdAt),
    index('store_orders_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`),
    index('store_orders_unnotified_idx')
      .on(t.updatedAt)
      .where(sql`${t.notifiedAt} is null and ${t.status} <> 'pending'`),
    uniqueIndex('store_orders_user_checkout_key').on(t.userId, t.checkoutKey),
    check('store_orders_status', sql`${t.status} in (${literals(ORDER_STATUSES)})`),
    check('store_orders_kind', sql`${t.kind} in (${literals(ORDER_KINDS)})`),
    check('store_orders_payment_method', sql`${t.paymentMethod} in (${literals(PAYMENT_METHODS)})`),
    check(
      'store_orders_amounts',
      sql`${t.subtotal} > 0 and ${t.fee} >= 0 and ${t.discount} >= 0 and ${t.discount} <= ${t.subtotal} and ${t.totalBill} = ${t.subtotal} - ${t.discount} + ${t.fee} and ${t.balancePaid} >= 0 and ${t.balancePaid} <= ${t.totalBill}`,
    ),
  ],
);

/** One product line of an order; `content` is what was delivered (the sold items, joined). */
export const storeOrderItems = pgTable(
  'store_order_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => storeOrders.id),
    productId: integer('product_id')
      .notNull()
      .references(() => storeProducts.id),
    productName: text('product_name').notNull(),
    quantity: integer('quantity').notNull(),
    pricePerUnit: integer('price_per_unit').notNull(),
    content: text('content'),
  },
  (t) => [
    uniqueIndex('store_order_items_order_product').on(t.orderId, t.productId),
    check('store_order_items_quantity', sql`${t.quantity} > 0 and ${t.pricePerUnit} > 0`),
  ],
);

/**
 * One deliverable unit (e.g. "email:…\npassword:…"). `order_id` is set exactly while reserved or
 * sold; a trigger (migration 0005) refuses any change of a sold item, so nothing is sold twice.
 */
export const storeStockItems = pgTable(
  'store_stock_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    productId: integer('product_id')
      .notNull()
      .references(() => storeProducts.id),
    /** The item, or `enc:v1:…` (AES-256-GCM, store/stock-crypto.ts) when STOCK_ENCRYPTION_KEY is set. */
    content: text('content').notNull(),
    /**
     * HMAC-SHA256 of the clear content (key derived from STOCK_ENCRYPTION_KEY; plain SHA-256 without
     * one), unique per product: a duplicate upload is found without decrypting anything.
     */
    contentHash: text('content_hash'),
    status: text('status', { enum: STOCK_STATUSES }).notNull().default('available'),
    orderId: text('order_id').references(() => storeOrders.id),
    createdAt: createdAt(),
    soldAt: timestamp('sold_at', { withTimezone: true }),
  },
  (t) => [
    index('store_stock_items_available_idx').on(t.productId, t.id).where(sql`${t.status} = 'available'`),
    index('store_stock_items_order_idx').on(t.orderId),
    uniqueIndex('store_stock_items_product_hash').on(t.productId, t.contentHash),
    check('store_stock_items_status', sql`${t.status} in (${literals(STOCK_STATUSES)})`),
    check('store_stock_items_order_iff_taken', sql`(${t.status} = 'available') = (${t.orderId} is null)`),
  ],
);

/** The store's own partner and license (one row): the license key in clear, since `create` needs it. */
export const storeSettings = pgTable(
  'store_settings',
  {
    id: integer('id').primaryKey().default(1),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    licenseId: text('license_id')
      .notNull()
      .references(() => licenses.id),
    createdAt: createdAt(),
  },
  (t) => [check('store_settings_single_row', sql`${t.id} = 1`)],
);

// ─── Store wallet and vouchers (issue 9) ───────────────────────────────────────────────────────

/**
 * Append-only history of buyers' balances (a trigger of migration 0007 refuses UPDATE and DELETE).
 * Each row moves `store_users.account_balance` by `delta` in the same transaction; the partial
 * unique indexes make one order debit once, one closed order refund once and one payment credit once.
 */
export const storeBalanceLedger = pgTable(
  'store_balance_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => storeUsers.telegramId),
    delta: integer('delta').notNull(),
    balanceAfter: integer('balance_after').notNull(),
    reason: text('reason', { enum: BALANCE_REASONS }).notNull(),
    orderId: text('order_id').references(() => storeOrders.id),
    paymentId: text('payment_id').references(() => payments.id),
    /** Who or why, for adjustments (an admin's id, a note); never secrets. */
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('store_balance_ledger_user_idx').on(t.userId, t.id),
    uniqueIndex('store_balance_ledger_order_debit').on(t.orderId).where(sql`${t.reason} = 'order_payment'`),
    uniqueIndex('store_balance_ledger_order_refund').on(t.orderId).where(sql`${t.reason} = 'refund'`),
    uniqueIndex('store_balance_ledger_order_topup').on(t.orderId).where(sql`${t.reason} = 'topup'`),
    uniqueIndex('store_balance_ledger_payment_credit')
      .on(t.paymentId)
      .where(sql`${t.reason} in ('topup', 'late_payment', 'overpayment', 'underpayment')`),
    check('store_balance_ledger_reason', sql`${t.reason} in (${literals(BALANCE_REASONS)})`),
    check('store_balance_ledger_delta', sql`${t.delta} <> 0 and ${t.balanceAfter} >= 0`),
  ],
);

/** A voucher code (stored upper case). `used_count` counts uses of orders not given back. */
export const storeVouchers = pgTable(
  'store_vouchers',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    kind: text('kind', { enum: VOUCHER_KINDS }).notNull(),
    /** Percent (1–100) or rupiah. */
    value: integer('value').notNull(),
    /** Only for this product, when set. */
    productId: integer('product_id').references(() => storeProducts.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    maxUses: integer('max_uses'),
    maxUsesPerUser: integer('max_uses_per_user'),
    usedCount: integer('used_count').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    createdBy: bigint('created_by', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('store_vouchers_kind', sql`${t.kind} in (${literals(VOUCHER_KINDS)})`),
    check('store_vouchers_value', sql`${t.value} > 0 and (${t.kind} <> 'percent' or ${t.value} <= 100)`),
    check(
      'store_vouchers_limits',
      sql`(${t.maxUses} is null or ${t.maxUses} > 0) and (${t.maxUsesPerUser} is null or ${t.maxUsesPerUser} > 0)`,
    ),
    check(
      'store_vouchers_used_count',
      sql`${t.usedCount} >= 0 and (${t.maxUses} is null or ${t.usedCount} <= ${t.maxUses})`,
    ),
  ],
);

/** One use of a voucher by one order; `released_at` once the order closed unpaid (the use given back). */
export const storeVoucherUses = pgTable(
  'store_voucher_uses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    voucherId: integer('voucher_id')
      .notNull()
      .references(() => storeVouchers.id),
    orderId: text('order_id')
      .notNull()
      .unique()
      .references(() => storeOrders.id),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => storeUsers.telegramId),
    discount: integer('discount').notNull(),
    createdAt: createdAt(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    index('store_voucher_uses_voucher_user_idx').on(t.voucherId, t.userId),
    check('store_voucher_uses_discount', sql`${t.discount} > 0`),
  ],
);

// ─── Replacements, restock alerts, admin roles and audit (issue 9) ───────────────────────────

/**
 * A buyer's report of one delivered item (`stock_item_id`) within the product's warranty. An admin
 * approves (a new item from stock, `replacement_item_id`, sold to the same order) or rejects it.
 * At most one report per item that is not rejected, so an item is replaced at most once.
 */
export const storeReplacements = pgTable(
  'store_replacements',
  {
    id: serial('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => storeOrders.id),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => storeUsers.telegramId),
    stockItemId: bigint('stock_item_id', { mode: 'number' })
      .notNull()
      .references(() => storeStockItems.id),
    reason: text('reason').notNull().default(''),
    status: text('status', { enum: REPLACEMENT_STATUSES }).notNull().default('requested'),
    replacementItemId: bigint('replacement_item_id', { mode: 'number' })
      .unique()
      .references(() => storeStockItems.id),
    decidedBy: bigint('decided_by', { mode: 'number' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** Keeps two senders from sending the replacement twice; `delivered_at` once the buyer has it. */
    deliverLeaseUntil: timestamp('deliver_lease_until', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('store_replacements_open_item').on(t.stockItemId).where(sql`${t.status} <> 'rejected'`),
    index('store_replacements_requested_idx').on(t.createdAt).where(sql`${t.status} = 'requested'`),
    index('store_replacements_undelivered_idx')
      .on(t.decidedAt)
      .where(sql`${t.status} = 'approved' and ${t.deliveredAt} is null`),
    check('store_replacements_status', sql`${t.status} in (${literals(REPLACEMENT_STATUSES)})`),
    check(
      'store_replacements_decision',
      sql`(${t.status} = 'requested') = (${t.decidedAt} is null) and (${t.status} = 'approved') = (${t.replacementItemId} is not null)`,
    ),
  ],
);

/** "Kabari saya": a buyer waiting for a sold-out product; `notified_at` once told (one message each). */
export const storeRestockSubscriptions = pgTable(
  'store_restock_subscriptions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => storeUsers.telegramId),
    productId: integer('product_id')
      .notNull()
      .references(() => storeProducts.id),
    createdAt: createdAt(),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('store_restock_subscriptions_waiting')
      .on(t.productId, t.userId)
      .where(sql`${t.notifiedAt} is null`),
  ],
);

/** Admins kept in the database (staff added by an owner); ADMIN_TELEGRAM_IDS are always owners. */
export const storeAdmins = pgTable(
  'store_admins',
  {
    telegramId: bigint('telegram_id', { mode: 'number' }).primaryKey(),
    role: text('role', { enum: ADMIN_ROLES }).notNull(),
    addedBy: bigint('added_by', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [check('store_admins_role', sql`${t.role} in (${literals(ADMIN_ROLES)})`)],
);

/** Append-only log of admin actions (a trigger of migration 0008 refuses UPDATE and DELETE). */
export const storeAuditLog = pgTable(
  'store_audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Telegram id of the admin, or 0 for the CLI. */
    actorId: bigint('actor_id', { mode: 'number' }).notNull(),
    /** e.g. `stock.add`, `voucher.create`, `replacement.approve`. */
    action: text('action').notNull(),
    /** What was acted on: `product:3`, `voucher:HEMAT10`, `user:42`… */
    target: text('target'),
    /** Facts about the action; never secrets or stock contents. */
    detail: jsonb('detail').$type<JsonObject>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('store_audit_log_created_idx').on(t.createdAt)],
);

export type StoreUser = typeof storeUsers.$inferSelect;
export type StoreProduct = typeof storeProducts.$inferSelect;
export type StoreOrder = typeof storeOrders.$inferSelect;
export type StoreOrderItem = typeof storeOrderItems.$inferSelect;
export type StoreStockItem = typeof storeStockItems.$inferSelect;
export type StoreBalanceEntry = typeof storeBalanceLedger.$inferSelect;
export type StoreVoucher = typeof storeVouchers.$inferSelect;
export type StoreVoucherUse = typeof storeVoucherUses.$inferSelect;
export type StoreReplacement = typeof storeReplacements.$inferSelect;
export type StoreRestockSubscription = typeof storeRestockSubscriptions.$inferSelect;
export type StoreAdmin = typeof storeAdmins.$inferSelect;
export type StoreAuditEntry = typeof storeAuditLog.$inferSelect;
