import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Database } from '../src/db/types.js';
import { type BuildAppOptions, buildApp } from '../src/http/app.js';
import type { AppConfig } from '../src/http/context.js';
import { FakePaymentService } from './fake-payments.js';
import { partnerWithLicense } from './fixtures.js';

/**
 * An HTTP app over a real test database (auth, idempotency keys, QR rows) and a
 * `FakePaymentService`, with two partners and their licenses, and every log line captured.
 */

export const PUBLIC_URL = 'https://pay.example.test';

export interface TestPartner {
  partnerId: string;
  licenseId: string;
  licenseKey: string;
  apiKey: string;
}

export interface Harness {
  app: FastifyInstance;
  fake: FakePaymentService;
  /** The main partner (10 fake tokens) and another one (10 fake tokens). */
  partner: TestPartner;
  other: TestPartner;
  /** Every log line written so far (JSON text). */
  logs: string[];
  close(): Promise<void>;
}

/** A sandbox-mode config with the given overrides. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { publicUrl: PUBLIC_URL, pakasir: { mode: 'sandbox' }, logLevel: 'debug', ...overrides };
}

/** Builds the app on `database` with a fresh fake service and two partners. */
export async function startHarness(
  database: Database,
  options: Partial<BuildAppOptions> & { tokens?: number } = {},
): Promise<Harness> {
  const { db } = database;
  const fake = options.payments instanceof FakePaymentService ? options.payments : new FakePaymentService();
  const partner = await partnerWithLicense(db);
  const other = await partnerWithLicense(db);
  for (const p of [partner, other]) {
    fake.addLicense({ partnerId: p.partnerId, key: p.licenseKey, tokens: options.tokens ?? 10 });
  }
  const logs: string[] = [];
  const { tokens: _tokens, ...rest } = options;
  const app = await buildApp({
    db,
    payments: fake,
    config: testConfig(),
    logger: { level: 'debug', stream: { write: (line) => logs.push(line) } },
    env: {},
    ...rest,
  });
  return { app, fake, partner, other, logs, close: () => app.close() };
}

/** The headers of a partner request. */
export function auth(partner: Pick<TestPartner, 'apiKey'>, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${partner.apiKey}`, ...extra };
}

/** A valid seed 004 body for `partner`. */
export function partnerBody(
  partner: Pick<TestPartner, 'licenseKey'>,
  overrides: Record<string, unknown> = {},
) {
  return {
    transaction_id: `TRX-${Math.random().toString(36).slice(2, 12)}`,
    amount: 50_000,
    license_key: partner.licenseKey,
    payment_type: 'QRIS',
    description: 'Laundry Payment',
    ...overrides,
  };
}

/** The error body of ARCHITECTURE.md "Errors", with `code`. */
export function expectError(body: unknown, code: string, requestId?: string) {
  expect(body).toEqual({
    success: false,
    error: expect.any(String),
    code,
    details: expect.any(Object),
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    request_id: requestId ?? expect.any(String),
  });
}
