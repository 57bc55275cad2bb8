import { QrisError } from './errors.js';
import { isValidAmount } from './rules.js';

/**
 * The integer rupiah of a QRIS amount string ("100003.00" → 100003). Throws a `QrisError` for a
 * malformed amount or one with a non-zero fraction: rupiah have no minor unit in QRIS payments.
 * @example amountToRupiah('100003.00') // 100003
 */
export function amountToRupiah(amount: string): number {
  if (!isValidAmount(amount)) {
    throw new QrisError('INVALID_AMOUNT', `amount ${JSON.stringify(amount)} is not a QRIS amount`, {
      tag: '54',
      path: '54',
    });
  }
  const [whole = '', fraction = ''] = amount.split('.');
  if (/[1-9]/.test(fraction)) {
    throw new QrisError('INVALID_AMOUNT', `amount ${amount} has a fraction of a rupiah`, {
      tag: '54',
      path: '54',
    });
  }
  return Number(whole); // at most 13 digits: always a safe integer
}

/** The amount string for a positive integer number of rupiah, or a validated amount string. */
export function formatAmount(amount: number | string, what = 'amount'): string {
  const text = typeof amount === 'number' ? (Number.isSafeInteger(amount) ? String(amount) : '') : amount;
  if (!isValidAmount(text)) {
    throw new QrisError(
      'INVALID_AMOUNT',
      `${what} must be a positive whole number of rupiah or an amount string of at most 13 characters, got ${JSON.stringify(amount)}`,
    );
  }
  return text;
}
