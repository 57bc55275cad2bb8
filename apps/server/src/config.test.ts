import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadEnvFile } from './config.js';

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults that start the embedded sandbox on PGlite', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: resolve('data'),
      redisUrl: undefined,
      logLevel: 'info',
      pakasir: {
        mode: 'sandbox',
        apiKey: undefined,
        projectSlug: undefined,
        baseUrl: 'https://app.pakasir.com',
        apiVersion: 'v2',
        publicDomain: undefined,
        webhookSecret: undefined,
      },
      telegram: { botToken: undefined, apiRoot: undefined, adminIds: [] },
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://pay.example.com/',
      DATABASE_URL: 'postgres://u:p@db:5432/quickcart',
      DATA_DIR: '/var/lib/quickcart',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'debug',
      PAKASIR_API_KEY: 'key_123',
      PAKASIR_PROJECT_SLUG: 'depodomain',
      PAKASIR_BASE_URL: 'http://127.0.0.1:9999/',
      PAKASIR_API_VERSION: 'v1',
      PAKASIR_PUBLIC_DOMAIN: 'https://pots.my.id',
      PAKASIR_WEBHOOK_SECRET: 's3cret',
      TELEGRAM_BOT_TOKEN: '123456:ABC-def_1',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      ADMIN_TELEGRAM_IDS: '111, 222,-333',
    });
    expect(config).toMatchObject({
      port: 8080,
      publicUrl: 'https://pay.example.com',
      databaseUrl: 'postgres://u:p@db:5432/quickcart',
      dataDir: '/var/lib/quickcart',
      redisUrl: 'redis://127.0.0.1:6379',
      logLevel: 'debug',
      pakasir: {
        mode: 'live',
        apiKey: 'key_123',
        projectSlug: 'depodomain',
        baseUrl: 'http://127.0.0.1:9999',
        apiVersion: 'v1',
        publicDomain: 'https://pots.my.id',
        webhookSecret: 's3cret',
      },
      telegram: {
        botToken: '123456:ABC-def_1',
        apiRoot: 'http://127.0.0.1:8081',
        adminIds: [111, 222, -333],
      },
    });
  });

  it('treats empty variables as unset and prefers the custom payment domain', () => {
    const config = loadConfig({
      PORT: '',
      DATABASE_URL: '',
      PAKASIR_API_KEY: '',
      PAKASIR_PAYMENT_CUSTOM_DOMAIN: 'https://a.id',
      PAKASIR_PUBLIC_DOMAIN: 'https://b.id',
    });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.pakasir.mode).toBe('sandbox');
    expect(config.pakasir.publicDomain).toBe('https://a.id');
  });

  it('lists every bad variable by name, and never a value', () => {
    const secrets = {
      DATABASE_URL: 'mysql://root:hunter2-db@db/x',
      REDIS_URL: 'http://:hunter2-redis@cache',
      TELEGRAM_BOT_TOKEN: 'hunter2-telegram',
    };
    const error = problemsOf({
      ...secrets,
      PORT: '99999',
      PUBLIC_URL: 'pay.example.com',
      LOG_LEVEL: 'loud',
      PAKASIR_API_KEY: 'hunter2-pakasir',
      PAKASIR_API_VERSION: 'v3',
      ADMIN_TELEGRAM_IDS: 'alice',
    });
    expect(error.problems.map((p) => p.variable).sort()).toEqual(
      [
        'ADMIN_TELEGRAM_IDS',
        'DATABASE_URL',
        'LOG_LEVEL',
        'PAKASIR_API_VERSION',
        'PAKASIR_PROJECT_SLUG',
        'PORT',
        'PUBLIC_URL',
        'REDIS_URL',
        'TELEGRAM_BOT_TOKEN',
      ].sort(),
    );
    expect(error.message).toMatch(/^invalid configuration \(9 environment variables\):/);
    expect(error.message).toContain('PAKASIR_PROJECT_SLUG: is required when PAKASIR_API_KEY is set');
    expect(error.message).toContain('PAKASIR_API_VERSION: must be v1 or v2');
    expect(error.message).toContain('PORT: must be a port number from 0 to 65535');
    expect(error.message).toContain('DATABASE_URL: must be a postgres or postgresql URL');
    expect(error.message).not.toMatch(/hunter2|99999|loud|alice|v3|mysql/);
  });

  it('reads STOCK_ENCRYPTION_KEY (hex or base64, 32 bytes), never showing it', () => {
    const hex = 'a1'.repeat(32);
    const config = loadConfig({ STOCK_ENCRYPTION_KEY: hex });
    expect(config.stockEncryptionKey?.reveal()).toEqual(Buffer.from(hex, 'hex'));
    expect(JSON.stringify(config)).not.toContain(hex);
    expect(
      loadConfig({ STOCK_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).stockEncryptionKey,
    ).toBeDefined();
    expect(loadConfig({ STOCK_ENCRYPTION_KEY: '' }).stockEncryptionKey).toBeUndefined();
    const error = problemsOf({ STOCK_ENCRYPTION_KEY: 'hunter2-too-short' });
    expect(error.problems.map((p) => p.variable)).toEqual(['STOCK_ENCRYPTION_KEY']);
    expect(error.message).toContain('STOCK_ENCRYPTION_KEY: must be 32 bytes');
    expect(error.message).not.toContain('hunter2');
  });

  it('loads a .env file without overriding what is already set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quickcart-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'QUICKCART_TEST_A=from-file\nQUICKCART_TEST_B=from-file\n');
    process.env.QUICKCART_TEST_B = 'already-set';
    try {
      expect(loadEnvFile(join(dir, 'missing.env'))).toBe(false);
      expect(loadEnvFile(file)).toBe(true);
      expect(process.env.QUICKCART_TEST_A).toBe('from-file');
      expect(process.env.QUICKCART_TEST_B).toBe('already-set');
    } finally {
      delete process.env.QUICKCART_TEST_A;
      delete process.env.QUICKCART_TEST_B;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
