import { z } from 'zod';
import { MIN_AMOUNT, PAYMENT_TYPES } from '../db/schema.js';
import { MAX_AMOUNT, MAX_TRANSACTION_ID_LENGTH } from '../payments/validate.js';

/**
 * The request shapes of the partner API (seeds 002 and 004, snake_case), as zod schemas. Unknown
 * fields are dropped; `null` counts as absent for optional fields, as JSON clients often send it.
 */

/** An optional field that also accepts `null` (read as absent). */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}

/** Printable ASCII without leading or trailing spaces: ids that travel in URLs and logs. */
const PRINTABLE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048);

/** The partner's own id of a payment (seed 004 transaction_id, seed 002 reference_id). */
export const transactionId = z
  .string()
  .max(MAX_TRANSACTION_ID_LENGTH)
  .regex(PRINTABLE, { error: 'must be 1 to 255 printable ASCII characters' });

/** Integer rupiah from MIN_AMOUNT (seed 004: INVALID_AMOUNT below 1000). */
export const amount = z.int().min(MIN_AMOUNT).max(MAX_AMOUNT);

const licenseKey = z.string().trim().min(1).max(200);

const description = z.string().max(500);

/** Seed 002 metadata: a JSON object of at most 8 KB, kept and echoed, never interpreted. */
const metadata = z
  .record(z.string(), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 8192, { error: 'must be at most 8192 bytes of JSON' });

const item = z.object({
  id: optional(z.union([z.string().max(100), z.int()]).transform(String)),
  name: z.string().min(1).max(200),
  price: z.int().min(0).max(MAX_AMOUNT),
  quantity: z.int().min(1).max(100_000),
});

/** Body of `POST /v1/partner/payments`: seed 004's raw `generate`. */
export const partnerPaymentBody = z.object({
  transaction_id: transactionId,
  amount,
  license_key: licenseKey,
  payment_type: z.preprocess(
    (value) => (value === null ? undefined : value),
    z.enum(PAYMENT_TYPES, { error: `must be ${PAYMENT_TYPES.join(' or ')}` }).default('QRIS'),
  ),
  description: optional(description),
  expiry_minutes: optional(z.int().min(1).max(1440)),
  webhook_url: optional(httpUrl),
  back_url: optional(httpUrl),
  items: optional(z.array(item).max(100)),
  customer_name: optional(z.string().max(200)),
  customer_email: optional(z.email({ error: 'must be an e-mail address' }).max(254)),
  customer_phone: optional(z.string().regex(/^\+?\d[\d ()-]{4,24}$/, { error: 'must be a phone number' })),
  metadata: optional(metadata),
});
export type PartnerPaymentBody = z.output<typeof partnerPaymentBody>;

/** Body of `POST /v1/payments/qris`: seed 002's `generateQRIS`. */
export const qrisPaymentBody = z.object({
  license_key: licenseKey,
  amount,
  reference_id: optional(transactionId),
  description: optional(description),
  metadata: optional(metadata),
});
export type QrisPaymentBody = z.output<typeof qrisPaymentBody>;

/** `:id` of the payment routes: a payment id or the partner's transaction id. */
export const paymentParams = z.object({ id: z.string().min(1).max(MAX_TRANSACTION_ID_LENGTH) });

/** The longest long-poll (issue 5: at most 60 s). */
export const MAX_WAIT_MS = 60_000;

/** Query of `GET /v1/payments/:id/wait`. */
export const waitQuery = z.object({
  timeout_ms: z.preprocess(
    (value) => (value === undefined || value === '' ? undefined : Number(value)),
    z.int().min(0).max(MAX_WAIT_MS).default(30_000),
  ),
});
