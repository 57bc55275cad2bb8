import { describe, expect, it } from 'vitest';
import { secretMatcher } from './keys.js';

describe('secretMatcher', () => {
  it('accepts only the exact secret, as a string', () => {
    const isSecret = secretMatcher('s3cret-token');
    expect(isSecret('s3cret-token')).toBe(true);
    for (const wrong of [
      's3cret-toke',
      's3cret-token ',
      'S3CRET-TOKEN',
      '',
      null,
      undefined,
      42,
      ['s3cret-token'],
    ]) {
      expect(isSecret(wrong)).toBe(false);
    }
  });
});
