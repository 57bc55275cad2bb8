// Checks of request fields, each failing with the HTTP error the package README documents.
import { type Metadata, ORDER_ID_MAX_LENGTH, PAYMENT_METHODS, type PaymentMethod } from '@quickcart/pakasir';
import { badRequest, notFound, unauthorized } from './errors.js';

/** A project slug: 400 when missing, 404 when it is not the sandbox's project. */
export function checkProject(given: unknown, project: string): void {
  if (typeof given !== 'string' || given === '') throw badRequest('project is required');
  if (given !== project) throw notFound(`project not found: ${given}`);
}

/** An API key: 401 when missing or wrong. */
export function checkApiKey(given: unknown, apiKey: string): void {
  if (typeof given !== 'string' || given === '') throw unauthorized('api key is required');
  if (given !== apiKey) throw unauthorized('invalid api key');
}

/** An order id: 1-64 printable ASCII characters, no spaces (as @quickcart/pakasir's client checks). */
export function readOrderId(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw badRequest('order_id is required');
  if (value.length > ORDER_ID_MAX_LENGTH)
    throw badRequest(`order_id is ${value.length} characters, at most ${ORDER_ID_MAX_LENGTH}`);
  if (!/^[\x21-\x7e]+$/.test(value)) throw badRequest('order_id holds spaces or non-ASCII characters');
  return value;
}

/**
 * An amount of rupiah: a positive safe integer. JSON must give a number; forms, query strings
 * and paths (`textual`) give digits.
 */
export function readAmount(value: unknown, textual: boolean): number {
  const amount = textual && typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1) {
    throw badRequest(
      value === undefined
        ? 'amount is required'
        : `amount must be a positive whole number of rupiah, got ${JSON.stringify(value)}`,
    );
  }
  return amount;
}

/** A payment method of seed 001 §3.3 (and, for v2, "payment_link"). */
export function readMethod(value: unknown, allowPaymentLink: boolean): PaymentMethod | 'payment_link' {
  if ((PAYMENT_METHODS as readonly unknown[]).includes(value)) return value as PaymentMethod;
  if (allowPaymentLink && value === 'payment_link') return 'payment_link';
  throw badRequest(
    `unknown payment method ${JSON.stringify(value)}; one of ${PAYMENT_METHODS.join(', ')}${allowPaymentLink ? ', payment_link' : ''}`,
  );
}

/** Optional metadata: a JSON object (a form sends it as JSON text). */
export function readMetadata(value: unknown, textual: boolean): Metadata | undefined {
  if (value === undefined) return undefined;
  let parsed = value;
  if (textual && typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw badRequest('metadata must be a JSON object');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest('metadata must be a JSON object');
  return parsed as Metadata;
}
