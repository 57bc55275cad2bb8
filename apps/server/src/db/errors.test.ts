import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { describeError } from '../bot/redact.js';
import { logMessage } from './errors.js';

describe('logMessage', () => {
  const failed = new DrizzleQueryError(
    'insert into "store_stock_items" ("content") values ($1)',
    ['email:rahasia@x.test password:Sup3r'],
    new Error('connection terminated'),
  );

  it('keeps the statement and the reason of a failed query, never its parameters', () => {
    expect(failed.message).toContain('rahasia');
    expect(logMessage(failed)).toBe(
      'Failed query: insert into "store_stock_items" ("content") values ($1) (parameters not logged): connection terminated',
    );
    expect(describeError(failed)).not.toContain('rahasia');
    expect(describeError(failed)).toContain('connection terminated');
  });

  it('passes other errors through', () => {
    expect(logMessage(new Error('boom'))).toBe('boom');
    expect(logMessage('plain')).toBe('plain');
  });
});
