import { describe, expect, it } from 'vitest';
import { mulberry32, streamOf } from './random.js';
import { rfc3339Nanos, wibTimestamp } from './time.js';

describe('timestamps and randomness', () => {
  it('writes expired_at and completed_at as Pakasir does', () => {
    const ms = Date.UTC(2025, 8, 19, 1, 18, 49, 678);
    expect(rfc3339Nanos(ms, 622564)).toBe('2025-09-19T01:18:49.678622564Z');
    expect(rfc3339Nanos(ms, 5)).toBe('2025-09-19T01:18:49.678000005Z');
    expect(wibTimestamp(Date.UTC(2025, 8, 10, 1, 7, 2, 819))).toBe('2025-09-10T08:07:02.819+07:00');
  });

  it('draws the same numbers for the same seed and stream', () => {
    const draw = (random: () => number) => Array.from({ length: 5 }, random);
    expect(draw(mulberry32(1))).toEqual(draw(mulberry32(1)));
    expect(draw(streamOf(1, 2))).toEqual(draw(streamOf(1, 2)));
    expect(draw(streamOf(1, 2))).not.toEqual(draw(streamOf(1, 3)));
    for (const value of draw(mulberry32(99))) expect(value).toBeGreaterThanOrEqual(0);
  });
});
