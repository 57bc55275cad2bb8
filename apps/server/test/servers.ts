// Whole QuickCart servers for tests: an in-process `startQuickCart()` on 127.0.0.1 with a
// temporary DATA_DIR (on PGlite, or on a scratch PostgreSQL database from scratch.ts, selected the
// way an operator would: DATABASE_URL with `?options=-c search_path=…`), and small helpers for
// the API's JSON answers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { RateLimitConfig } from '../src/http/rate-limit.js';
import { type RunningServer, startQuickCart } from '../src/start/run.js';
import { freePort } from './scratch.js';

export { createScratchDatabase, freePort, type ScratchDatabase, withSearchPath } from './scratch.js';

/** Options of `startTestServer()`. */
export interface TestServerOptions {
  /** PostgreSQL URL; unset: PGlite in the temporary data directory. */
  databaseUrl?: string | undefined;
  /** Default: limits no test reaches. */
  rateLimits?: RateLimitConfig;
  /** Default: one hour, so that no sweep touches the gateway (or its injected faults) during a test. */
  sweepIntervalMs?: number;
  /** More environment for `loadConfig` (e.g. WEBHOOK_ALLOWED_HOSTS). */
  env?: Record<string, string>;
}

/** A running in-process server on 127.0.0.1 with its own temporary DATA_DIR. */
export interface TestServer {
  server: RunningServer;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/** `quickcart start` in this process, as start.test.ts runs it, on PGlite or `databaseUrl`. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-server-'));
  try {
    const port = await freePort();
    const config = {
      ...loadConfig({
        DATA_DIR: dataDir,
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: 'silent',
        ...(options.databaseUrl && { DATABASE_URL: options.databaseUrl }),
        ...options.env,
      }),
      // Config has no rate limits (yet); the HTTP layer reads them from the object it is given.
      rateLimits: options.rateLimits ?? { createPerWindow: 100_000, readPerWindow: 100_000 },
    };
    const server = await startQuickCart(config, {
      host: '127.0.0.1',
      httpLogs: false,
      sweepIntervalMs: options.sweepIntervalMs ?? 3_600_000,
    });
    return {
      server,
      url: server.url,
      dataDir,
      async close() {
        await server.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A JSON answer: status and parsed body. */
export interface JsonAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Sends a JSON request with a partner's API key and parses the answer. */
export async function callApi<T = Record<string, unknown>>(
  url: string,
  apiKey: string,
  options: { method?: string; body?: unknown } = {},
): Promise<JsonAnswer<T>> {
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
}

/** Asserts the ARCHITECTURE.md error body with `code`. */
export function expectErrorBody(body: unknown, code: string): void {
  expect(body).toEqual({
    success: false,
    error: expect.any(String),
    code,
    details: expect.any(Object),
    timestamp: expect.any(String),
    request_id: expect.any(String),
  });
}

/** Resolves when `check()` resolves truthy, trying every `everyMs` for at most `ms`; throws `what` after. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  options: { ms?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.ms ?? 10_000);
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 50));
  }
}
