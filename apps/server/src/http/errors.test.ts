import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { QuickCartError } from '../payments/errors.js';
import { codeForStatus, toQuickCartError } from './errors.js';
import { compact, fromZodError, parseInput } from './validation.js';

describe('codeForStatus', () => {
  it('maps statuses without a code of their own to the catalog', () => {
    expect([400, 401, 403, 404, 405, 409, 413, 415, 429, 500, 502, 503].map(codeForStatus)).toEqual([
      'VALIDATION_ERROR',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'NOT_FOUND',
      'VALIDATION_ERROR',
      'CONFLICT',
      'VALIDATION_ERROR',
      'VALIDATION_ERROR',
      'RATE_LIMITED',
      'INTERNAL_ERROR',
      'GATEWAY_ERROR',
      'SERVICE_UNAVAILABLE',
    ]);
  });
});

describe('toQuickCartError', () => {
  it('keeps a QuickCartError, hides anything unknown behind INTERNAL_ERROR', () => {
    const known = new QuickCartError('CONFLICT');
    expect(toQuickCartError(known)).toBe(known);
    const hidden = toQuickCartError(new Error('password=hunter2'));
    expect(hidden.code).toBe('INTERNAL_ERROR');
    expect(hidden.message).not.toContain('hunter2');
    expect(toQuickCartError('a string').code).toBe('INTERNAL_ERROR');
  });

  it('answers Fastify client errors with fixed messages', () => {
    const error = Object.assign(new Error('Unexpected token } in JSON at position 12: {"license_key":"K'), {
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      statusCode: 400,
    });
    const mapped = toQuickCartError(error);
    expect(mapped.code).toBe('VALIDATION_ERROR');
    expect(mapped.message).toBe('the request body is not valid JSON');
    const tooLarge = Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    expect(toQuickCartError(tooLarge)).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
    const crash = Object.assign(new Error('x'), { code: 'FST_ERR_SOMETHING', statusCode: 500 });
    expect(toQuickCartError(crash).code).toBe('INTERNAL_ERROR');
  });
});

describe('validation', () => {
  const schema = z.object({ amount: z.int().min(1000), payment_type: z.enum(['QRIS']), name: z.string() });

  it('gives the amount and the payment type their seed codes, anything else VALIDATION_ERROR', () => {
    expect(() => parseInput(schema, { amount: 1, payment_type: 'QRIS', name: 'a' })).toThrow(
      expect.objectContaining({ code: 'INVALID_AMOUNT' }),
    );
    expect(() => parseInput(schema, { amount: 1000, payment_type: 'X', name: 'a' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PAYMENT_TYPE' }),
    );
    const error = fromZodError(schema.safeParse({ amount: 1000, payment_type: 'QRIS' }).error as z.ZodError);
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'name', issues: [{ field: 'name', message: expect.any(String) }] },
    });
    expect(error.message).toBe(
      'the request body field name is invalid: Invalid input: expected string, received undefined',
    );
  });

  it('never echoes the rejected value', () => {
    const secret = 'K7QXM-2D4RT-AAAAA-BBBBB-CCCCC';
    const result = schema.safeParse({ amount: secret, payment_type: secret, name: secret });
    const error = fromZodError(result.error as z.ZodError);
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(secret);
  });

  it('drops undefined properties', () => {
    expect(compact({ a: 1, b: undefined, c: null })).toEqual({ a: 1, c: null });
    expect('b' in compact({ a: 1, b: undefined })).toBe(false);
  });
});
