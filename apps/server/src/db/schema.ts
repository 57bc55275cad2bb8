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
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
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
export const partners = pgTable('partners', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  webhookUrl: text('webhook_url'),
  webhookSecret: text('webhook_secret').notNull(),
  createdAt: createdAt(),
});

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
 * Pakasir; `transaction_id` is the partner's own id, unique per partner.
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
    uniqueIndex('payments_partner_transaction_id').on(t.partnerId, t.transactionId),
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
 * workers with `FOR UPDATE SKIP LOCKED` and a lease (`lease_until`), delivered outside any transaction.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    topic: text('topic').notNull(),
    payload: jsonb('payload').$type<JsonObject>().notNull(),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('outbox_undelivered_idx').on(t.availableAt).where(sql`${t.deliveredAt} is null`),
    check('outbox_attempts_not_negative', sql`${t.attempts} >= 0`),
  ],
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
  idempotencyKeys,
};
export type Tables = typeof tables;
