import { describe, expect, it } from 'vitest';
import { fromEnv } from './env.js';
import { PakasirValidationError } from './errors.js';

describe('fromEnv', () => {
  it('reads the variables of seed 000', () => {
    const client = fromEnv({
      PAKASIR_API_KEY: 'key_123',
      PAKASIR_PROJECT_SLUG: 'depodomain',
      PAKASIR_BASE_URL: 'http://127.0.0.1:9999/',
      PAKASIR_PAYMENT_CUSTOM_DOMAIN: 'https://pots.my.id',
      PAKASIR_WEBHOOK_SECRET: 's3cret',
      PAKASIR_API_VERSION: 'v1',
    });
    expect(client).toMatchObject({
      project: 'depodomain',
      baseUrl: 'http://127.0.0.1:9999',
      publicDomain: 'https://pots.my.id',
      webhookSecret: 's3cret',
      apiVersion: 'v1',
    });
    expect(
      fromEnv({ PAKASIR_API_KEY: 'k', PAKASIR_PROJECT_SLUG: 'p', PAKASIR_PUBLIC_DOMAIN: 'https://x.id' })
        .publicDomain,
    ).toBe('https://x.id');
    expect(fromEnv({ PAKASIR_API_KEY: 'k', PAKASIR_PROJECT_SLUG: 'p' }).apiVersion).toBe('v2');
  });

  it('names missing variables, never values', () => {
    expect(() => fromEnv({ PAKASIR_API_KEY: 'secret_value' })).toThrow(
      new PakasirValidationError('missing environment variable: PAKASIR_PROJECT_SLUG'),
    );
    expect(() =>
      fromEnv({ PAKASIR_API_KEY: 'k', PAKASIR_PROJECT_SLUG: 'p', PAKASIR_API_VERSION: 'v3' }),
    ).toThrow(/v1 or v2/);
  });

  it('never shows the api key when the client is printed', () => {
    const client = fromEnv({ PAKASIR_API_KEY: 'key_do_not_print', PAKASIR_PROJECT_SLUG: 'p' });
    expect(JSON.stringify(client)).not.toContain('key_do_not_print');
    expect(String(Object.keys(client))).not.toContain('key_do_not_print');
  });
});
