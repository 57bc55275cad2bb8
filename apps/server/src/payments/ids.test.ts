import { describe, expect, it } from 'vitest';
import { base32, ID_PREFIXES, isId, newId } from './ids.js';
import {
  generateApiKey,
  generateLicenseKey,
  generateWebhookSecret,
  hashKey,
  hashLicenseKey,
  licenseKeyPrefix,
  normalizeLicenseKey,
} from './keys.js';

describe('ids', () => {
  it('base32 follows RFC 4648 (lowercase, unpadded)', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'my'],
      ['fo', 'mzxq'],
      ['foo', 'mzxw6'],
      ['foob', 'mzxw6yq'],
      ['fooba', 'mzxw6ytb'],
      ['foobar', 'mzxw6ytboi'],
    ];
    for (const [input, output] of vectors) expect(base32(Buffer.from(input))).toBe(output);
  });

  it('are prefixed, 120 random bits, and unique', () => {
    for (const kind of Object.keys(ID_PREFIXES) as (keyof typeof ID_PREFIXES)[]) {
      const id = newId(kind);
      expect(id).toMatch(new RegExp(`^${ID_PREFIXES[kind]}_[a-z2-7]{24}$`));
      expect(isId(kind, id)).toBe(true);
    }
    expect(isId('payment', newId('partner'))).toBe(false);
    expect(isId('payment', 'pay_short')).toBe(false);
    expect(new Set(Array.from({ length: 1000 }, () => newId('payment'))).size).toBe(1000);
  });
});

describe('keys', () => {
  it('license keys have the seeds’ shape and hash the same however they are typed', () => {
    const key = generateLicenseKey();
    expect(key).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){4}$/);
    expect(normalizeLicenseKey(` ${key.toLowerCase().replaceAll('-', ' ')} `)).toBe(key.replaceAll('-', ''));
    expect(hashLicenseKey(key.toLowerCase())).toBe(hashLicenseKey(key));
    expect(licenseKeyPrefix(key)).toBe(key.slice(0, 5));
    expect(generateLicenseKey()).not.toBe(key);
  });

  it('API keys are prefixed by mode and stored as SHA-256', () => {
    const live = generateApiKey();
    expect(live.key).toMatch(/^qc_live_[a-z2-7]{32}$/);
    expect(live.prefix).toBe(live.key.slice(0, 14));
    expect(generateApiKey('test').key).toMatch(/^qc_test_/);
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('webhook secrets have the Standard Webhooks shape', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
  });
});
