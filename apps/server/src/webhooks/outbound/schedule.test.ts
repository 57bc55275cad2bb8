import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_SCHEDULE_MS,
  decide,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  withJitter,
} from './schedule.js';

const response = (status: number, retryAfterMs: number | null = null) =>
  ({ kind: 'response', status, retryAfterMs }) as const;

describe('retry decisions', () => {
  it('retries for about a day: 7 retries, 8 attempts', () => {
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(24);
    expect(total / 3_600_000).toBeLessThan(30);
    expect(DEFAULT_RETRY_SCHEDULE_MS[0]).toBe(5000);
  });

  it('counts any 2xx as delivered', () => {
    for (const status of [200, 201, 202, 204, 299]) {
      expect(decide({ outcome: response(status), attempt: 1 })).toEqual({ action: 'delivered' });
    }
  });

  it('disables on 410 and gives up at once on a refused target', () => {
    expect(decide({ outcome: response(410), attempt: 1 }).action).toBe('disable');
    expect(decide({ outcome: { kind: 'refused' }, attempt: 1 }).action).toBe('give_up');
  });

  it('retries 3xx, 4xx, 5xx and network failures on the schedule with ±20 % jitter', () => {
    const schedule = [1000, 2000];
    for (const outcome of [response(302), response(400), response(500), { kind: 'network' } as const]) {
      expect(decide({ outcome, attempt: 1, schedule, random: () => 0 })).toEqual({
        action: 'retry',
        delayMs: 800,
      });
      expect(decide({ outcome, attempt: 2, schedule, random: () => 0.999999 })).toEqual({
        action: 'retry',
        delayMs: 2400,
      });
      expect(decide({ outcome, attempt: 3, schedule }).action).toBe('give_up');
    }
    expect(withJitter(5000, 0.5)).toBe(5000);
  });

  it('never retries sooner than Retry-After, capped at 24 h, and never sooner than the schedule', () => {
    const schedule = [1000];
    const random = () => 0.5;
    expect(decide({ outcome: response(429, 60_000), attempt: 1, schedule, random })).toEqual({
      action: 'retry',
      delayMs: 60_000,
    });
    expect(decide({ outcome: response(503, 10), attempt: 1, schedule, random })).toEqual({
      action: 'retry',
      delayMs: 1000,
    });
    expect(decide({ outcome: response(503, 10 * MAX_RETRY_AFTER_MS), attempt: 1, schedule, random })).toEqual(
      {
        action: 'retry',
        delayMs: MAX_RETRY_AFTER_MS,
      },
    );
    // Retry-After does not add attempts: the schedule still runs out.
    expect(decide({ outcome: response(429, 60_000), attempt: 2, schedule, random }).action).toBe('give_up');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-01-15T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 15 Jan 2026 10:02:00 GMT', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 15 Jan 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('12345', now)).toBe(12_345_000);
  });
});
