import type { Statement } from '../db/raw.js';
import type { PaymentType } from '../db/schema.js';
import type { PaymentDetailsInput } from './contract.js';

/**
 * The SQL of a payment create (ARCHITECTURE.md "Data flow of one payment"), written out because
 * it is the hottest write (see db/raw.ts). In one transaction: INSERT_PAYMENT, then
 * `debitToken()`'s statement; after the gateway answered, STORE_UPSTREAM on its own. The
 * benchmark's floor runs the same two transactional statements with the same values.
 */

/** The payment and its creation event in one statement (a data-modifying CTE): one round trip. Answers the row, or nothing on a duplicate transaction id. */
export const INSERT_PAYMENT: Statement = {
  name: 'quickcart_insert_payment',
  text: `with inserted as (
      insert into payments (id, partner_id, license_id, transaction_id, payment_type, amount,
        description, order_id, created_at, expires_at, reconcile_after, items, customer, back_url,
        webhook_url, metadata)
      values ($1, $2, $3, $4, $5, $6, $7, $1, $8::timestamptz, $9::timestamptz, $10::timestamptz,
        $11::jsonb, $12::jsonb, $13, $14, $15::jsonb)
      on conflict (partner_id, transaction_id) where status <> 'failed' do nothing
      returning *),
    creation_event as (
      insert into payment_events (payment_id, from_status, to_status, source, detail)
      select id, null, 'pending', 'api', $16::jsonb from inserted)
    select * from inserted`,
};

/**
 * The gateway's answer: its QRIS, its id, and the earlier of both expiries. Answers only what the
 * caller does not already know from INSERT_PAYMENT's row and its own values (reading back every
 * column was a tenth of PGlite's work per create).
 */
export const STORE_UPSTREAM: Statement = {
  name: 'quickcart_store_upstream',
  text: `update payments set qr_content = $2, upstream_txn_id = $3,
      expires_at = least(expires_at, $4::timestamptz), updated_at = now()
    where id = $1 returning status, expires_at, updated_at`,
};

/** Default expiry per payment type (ARCHITECTURE.md "Payment model"). */
export const DEFAULT_EXPIRY_MINUTES: Record<PaymentType, number> = { QRIS: 30, CHECKOUT_PAGE: 120 };

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** The values of INSERT_PAYMENT for a new payment `id` of `input`. */
export function insertPaymentValues(
  id: string,
  owner: { partnerId: string; licenseId: string },
  input: PaymentDetailsInput,
  times: { createdAt: Date; reconcileAfter: Date },
): unknown[] {
  const minutes = input.expiryMinutes ?? DEFAULT_EXPIRY_MINUTES[input.paymentType];
  const customer = {
    ...(input.customerName !== undefined && { name: input.customerName }),
    ...(input.customerEmail !== undefined && { email: input.customerEmail }),
    ...(input.customerPhone !== undefined && { phone: input.customerPhone }),
  };
  return [
    id,
    owner.partnerId,
    owner.licenseId,
    input.transactionId,
    input.paymentType,
    input.amount,
    input.description ?? null,
    times.createdAt.toISOString(),
    new Date(times.createdAt.getTime() + minutes * 60_000).toISOString(),
    times.reconcileAfter.toISOString(),
    json(input.items),
    Object.keys(customer).length > 0 ? JSON.stringify(customer) : null,
    input.backUrl ?? null,
    input.webhookUrl ?? null,
    json(input.metadata),
    JSON.stringify({ amount: input.amount, payment_type: input.paymentType }),
  ];
}
