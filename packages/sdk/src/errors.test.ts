import { describe, expect, it } from 'vitest';
import {
  ApiError,
  ConnectionError,
  NotFoundError,
  PaymentTimeoutError,
  QuickCartError,
  RequestTimeoutError,
  ValidationError,
} from './errors.js';

const init = { status: 404, code: 'NOT_FOUND', requestId: 'r', details: {}, body: null };

describe('error classes', () => {
  it('have names, codes and the usual prototype chain', () => {
    const error = new NotFoundError('gone', init);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(QuickCartError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).not.toBeInstanceOf(ValidationError);
    expect(error.name).toBe('NotFoundError');
    expect(String(error)).toBe('NotFoundError: gone');
    expect(new RequestTimeoutError('slow', { timeoutMs: 5 })).toBeInstanceOf(ConnectionError);
    expect(new RequestTimeoutError('slow', { timeoutMs: 5 }).code).toBe('REQUEST_TIMEOUT');
    expect(new PaymentTimeoutError('timeout: x', { paymentId: 'p', timeoutMs: 1 }).code).toBe(
      'PAYMENT_TIMEOUT',
    );
  });

  it('are recognised by instanceof when thrown by another copy of the SDK (same kind marker)', () => {
    // A second copy: classes with the same kinds, as the CommonJS build of the package defines them.
    class OtherBase extends Error {
      static readonly kind = 'QuickCartError';
    }
    const foreign = Object.assign(new OtherBase('x'), {});
    Object.defineProperty(foreign, Symbol.for('@quickcart/sdk/error-kinds'), {
      value: ['NotFoundError', 'ApiError', 'QuickCartError'],
    });
    expect(foreign instanceof NotFoundError).toBe(true);
    expect(foreign instanceof ApiError).toBe(true);
    expect(foreign instanceof QuickCartError).toBe(true);
    expect(foreign instanceof ValidationError).toBe(false);
    expect({} instanceof QuickCartError).toBe(false);
    expect((null as unknown) instanceof QuickCartError).toBe(false);
  });

  it('leave subclasses of users to the prototype chain', () => {
    class MyError extends ApiError {}
    expect(new ApiError('x', init) instanceof MyError).toBe(false);
    expect(new MyError('x', init) instanceof ApiError).toBe(true);
    expect(new MyError('x', init).name).toBe('ApiError');
  });
});
