// Test helpers: a sandbox on 127.0.0.1 with a settable clock, a webhook receiver, JSON requests.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterEach } from 'vitest';
import type { SandboxHandle, SandboxOptions } from '../src/index.js';
import { startSandbox } from '../src/index.js';

export const PROJECT = 'depodomain';
export const API_KEY = 'xxx123';
export const SECRET = 'whsec-test';

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2025, 8, 19, 0, 18, 49, 678)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A sandbox for `depodomain`/`xxx123` with a 10 ms webhook backoff; close it in afterEach. */
export function sandbox(options: Partial<SandboxOptions> = {}): Promise<SandboxHandle> {
  return startSandbox({ project: PROJECT, apiKey: API_KEY, webhookBaseDelayMs: 10, ...options });
}

/** For a test file: `start(options)` whose sandbox is closed after each test; `start.current()` is it. */
export function sandboxPerTest() {
  let running: SandboxHandle | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  const start = async (options: Partial<SandboxOptions> = {}) => {
    running = await sandbox(options);
    return running;
  };
  return Object.assign(start, { current: () => running });
}

/** The v1 body fields every call carries (seed 001). */
export const credentials = (orderId: string, amount = 10000) => ({
  project: PROJECT,
  order_id: orderId,
  amount,
  api_key: API_KEY,
});

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1. `respond` picks the status of each request (default 200);
 * `next(n)` resolves once n requests have arrived.
 */
export async function receiver(respond: (request: Received, index: number) => number = () => 200) {
  const requests: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((request, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received: Received = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      response.writeHead(respond(received, requests.length - 1)).end();
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/pakasir`,
    requests,
    next(count: number): Promise<void> {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** fetch() returning the status, headers and the JSON body (typed as the test expects it). */
export async function call<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body !== undefined && { body }),
  });
  const text = await response.text();
  let json: T | null = null;
  try {
    json = JSON.parse(text) as T;
  } catch {}
  return { status: response.status, headers: response.headers, json: json as T, text };
}

const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ??
  jsQRModule) as unknown as typeof jsQRModule.default;

/** The text of the QR code in a PNG data URL, read back the way a phone camera would. */
export function decodeQrDataUrl(dataUrl: string): string {
  const png = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!result) throw new Error('jsQR found no QR code in the image');
  return new TextDecoder().decode(new Uint8Array(result.binaryData));
}
