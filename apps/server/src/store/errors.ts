/**
 * Errors of the store domain. Handlers map a code to a message for the buyer (bot/messages.ts);
 * the message here is for logs and names what failed.
 */
export const STORE_ERROR_CODES = [
  'PRODUCT_NOT_FOUND',
  'PRODUCT_INACTIVE',
  'OUT_OF_STOCK',
  'INVALID_QUANTITY',
  'INVALID_INPUT',
  'USER_BANNED',
  'ORDER_NOT_FOUND',
  'ORDER_NOT_PENDING',
  'PAYMENT_FAILED',
  /** The balance does not cover what is to be paid from it. */
  'INSUFFICIENT_BALANCE',
  /** The same button press (checkout key) already made an order; `details.order_id` names it. */
  'DUPLICATE_REQUEST',
  /** The voucher cannot be used; `details.reason`: not_found | inactive | expired | exhausted | user_limit | wrong_product | not_applicable. */
  'VOUCHER_INVALID',
  'VOUCHER_NOT_FOUND',
  /** No replacement for this item: `details.reason`: not_delivered | warranty_expired | no_warranty | already_reported | not_yours. */
  'REPLACEMENT_REFUSED',
  'REPLACEMENT_NOT_FOUND',
  /** Another admin decided this replacement first. */
  'REPLACEMENT_DECIDED',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** A store operation refused or failed; `details` is safe to log. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
  }
}

/** Whether `error` is a StoreError of `code`. */
export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}
