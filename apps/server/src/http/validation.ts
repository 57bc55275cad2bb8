import type { ZodError, z } from 'zod';
import { type ErrorCode, QuickCartError } from '../payments/errors.js';

/**
 * Request input checked with zod, failures answered with the seeds' codes: an `amount` at fault
 * is INVALID_AMOUNT, a `payment_type` at fault INVALID_PAYMENT_TYPE, anything else
 * VALIDATION_ERROR. `details.issues` lists every field at fault with zod's message, which names
 * the rule and never echoes the value (a license key typed in the wrong field stays out of
 * answers and logs).
 */

/** One field at fault: its dotted path (`items.0.price`) and what is wrong with it. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Fields with a code of their own in the seeds (004 "Error Codes"). */
const FIELD_CODES: ReadonlyArray<[field: string, code: ErrorCode]> = [
  ['amount', 'INVALID_AMOUNT'],
  ['payment_type', 'INVALID_PAYMENT_TYPE'],
];

/** A QuickCartError for a failed zod parse of the request `part` (body, query, params). */
export function fromZodError(error: ZodError, part = 'body'): QuickCartError {
  const issues: FieldIssue[] = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const special = FIELD_CODES.find(([field]) => issues.some((issue) => issue.field === field));
  if (special) {
    const [field, code] = special;
    const issue = issues.find((i) => i.field === field);
    return new QuickCartError(code, {
      message: `${field} is invalid: ${issue?.message ?? 'bad value'}`,
      details: { field, issues },
    });
  }
  const where = first?.field ? `${part} field ${first.field}` : part;
  return new QuickCartError('VALIDATION_ERROR', {
    message: `the request ${where} is invalid: ${first?.message ?? 'bad value'}`,
    details: { ...(first?.field && { field: first.field }), issues },
  });
}

/**
 * Parses `value` with `schema`, or throws the QuickCartError of `fromZodError`.
 * @example const body = parseInput(createPaymentBody, request.body);
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, part);
  return result.data;
}

/** `T` with every property that may be `undefined` made optional instead. */
export type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** `value` without its `undefined` properties (optional fields under exactOptionalPropertyTypes). */
export function compact<T extends Record<string, unknown>>(value: T): Compact<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Compact<T>;
}
