import { randomInt } from 'node:crypto';

/**
 * Invoice ids of the store, as seed 000 suggests: `tg{telegram id}-{suffix}`, the suffix 8
 * characters of A–Z and 0–9 from a CSPRNG (36^8 ≈ 2.8e12 per user: collisions are not a concern,
 * and the primary key would refuse one). The id is also the payment's transaction id.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SUFFIX_LENGTH = 8;
const INVOICE = /^tg(\d{1,20})-([A-Z0-9]{8})$/;

/** A new invoice id for a Telegram user. @example newInvoiceId(12345) // 'tg12345-K3X9Q2ZB' */
export function newInvoiceId(telegramId: number): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return `tg${telegramId}-${suffix}`;
}

/** Whether `value` has the shape of an invoice id. */
export function isInvoiceId(value: string): boolean {
  return INVOICE.test(value);
}

/** The Telegram id an invoice id carries, or null when it is not one (seed 000's webhook fallback). */
export function telegramIdOf(invoiceId: string): number | null {
  const match = INVOICE.exec(invoiceId);
  return match?.[1] ? Number(match[1]) : null;
}
