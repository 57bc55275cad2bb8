import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32 } from './ids.js';

/**
 * Secrets handed to partners: license keys, API keys and webhook secrets. License and API keys
 * are shown once and stored as SHA-256 hashes plus a short visible prefix; a webhook secret is
 * stored as is, because outbound webhooks are signed with it.
 */

/** Hex SHA-256 of a key, as stored in `licenses.key_hash` and `api_keys.hash`. */
export function hashKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/**
 * A constant-time check of presented secrets against `expected` (admin keys, tokens, webhook
 * secrets). Both sides are hashed first, so neither the comparison's time nor a length mismatch
 * tells anything; `expected` is hashed once.
 * @example const isAdmin = secretMatcher(config.adminKey); isAdmin(request.headers['x-admin-key'])
 */
export function secretMatcher(expected: string): (presented: unknown) => boolean {
  const wanted = hash('sha256', expected, 'buffer');
  return (presented) =>
    typeof presented === 'string' && timingSafeEqual(hash('sha256', presented, 'buffer'), wanted);
}

/**
 * A new license key in the seeds' shape: five groups of five base32 characters (125 random bits).
 * @example generateLicenseKey() // 'K7QXM-2D4RT-…'
 */
export function generateLicenseKey(): string {
  const body = base32(randomBytes(16)).slice(0, 25).toUpperCase();
  return body.match(/.{5}/g)?.join('-') ?? body;
}

/**
 * The canonical form of a license key, the one that is hashed: uppercase, without dashes or
 * spaces, so that `k7qxm 2d4rt…` typed by hand finds the same license.
 */
export function normalizeLicenseKey(key: string): string {
  return key.replace(/[\s-]/g, '').toUpperCase();
}

/** The visible prefix stored beside a license key's hash: its first group. */
export function licenseKeyPrefix(key: string): string {
  return normalizeLicenseKey(key).slice(0, 5);
}

/** The hash under which a license key is stored. */
export function hashLicenseKey(key: string): string {
  return hashKey(normalizeLicenseKey(key));
}

/** Live keys talk to the real gateway; test keys to the sandbox. */
export type ApiKeyMode = 'live' | 'test';

/**
 * A new API key: `qc_live_` or `qc_test_` and 32 base32 characters (160 random bits), with the
 * prefix that is stored visibly (`qc_live_` plus 6 characters).
 */
export function generateApiKey(mode: ApiKeyMode = 'live'): { key: string; prefix: string } {
  const key = `qc_${mode}_${base32(randomBytes(20))}`;
  return { key, prefix: key.slice(0, 14) };
}

/** A new webhook signing secret in the Standard Webhooks shape: `whsec_` and base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
