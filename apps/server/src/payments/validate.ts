import { MIN_AMOUNT, PAYMENT_TYPES } from '../db/schema.js';
import type { PaymentDetailsInput } from './contract.js';
import { QuickCartError } from './errors.js';

/**
 * The checks `PaymentService.create` makes itself, whatever the route already did: the domain
 * never trusts its caller for the rules that cost money. Throws the seeds' codes.
 */

/** The largest amount a payment may ask for: the `integer` column's range, with room for fees. */
export const MAX_AMOUNT = 2_000_000_000;
/** Longest partner transaction id. */
export const MAX_TRANSACTION_ID_LENGTH = 255;

function invalid(field: string, message: string): QuickCartError {
  return new QuickCartError('VALIDATION_ERROR', { message, details: { field } });
}

/**
 * Checks a create input: INVALID_AMOUNT (not an integer, below 1000 or above MAX_AMOUNT),
 * INVALID_PAYMENT_TYPE, VALIDATION_ERROR for a missing transaction id, or an expiry outside 1 to
 * 1440 minutes.
 */
export function checkCreateInput(input: PaymentDetailsInput): void {
  const { amount } = input;
  if (
    typeof amount !== 'number' ||
    !Number.isSafeInteger(amount) ||
    amount < MIN_AMOUNT ||
    amount > MAX_AMOUNT
  ) {
    throw new QuickCartError('INVALID_AMOUNT', {
      message: `the amount must be a whole number of rupiah from ${MIN_AMOUNT} to ${MAX_AMOUNT}, got ${String(amount)}`,
      details: { field: 'amount' },
    });
  }
  if (!(PAYMENT_TYPES as readonly unknown[]).includes(input.paymentType)) {
    throw new QuickCartError('INVALID_PAYMENT_TYPE', {
      message: `the payment type must be ${PAYMENT_TYPES.join(' or ')}, got ${JSON.stringify(input.paymentType)}`,
      details: { field: 'payment_type' },
    });
  }
  const { transactionId } = input;
  if (
    typeof transactionId !== 'string' ||
    transactionId.trim() === '' ||
    transactionId.length > MAX_TRANSACTION_ID_LENGTH
  ) {
    throw invalid('transaction_id', `transaction_id must be 1 to ${MAX_TRANSACTION_ID_LENGTH} characters`);
  }
  const minutes = input.expiryMinutes;
  if (minutes !== undefined && (!Number.isSafeInteger(minutes) || minutes < 1 || minutes > 1440)) {
    throw invalid(
      'expiry_minutes',
      `expiry_minutes must be a whole number from 1 to 1440, got ${String(minutes)}`,
    );
  }
}

/** The license key of a create: present and not blank. */
export function checkLicenseKey(licenseKey: unknown): void {
  if (typeof licenseKey !== 'string' || licenseKey.trim() === '') {
    throw invalid('license_key', 'license_key is required');
  }
}
