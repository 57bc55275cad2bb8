// The client's one request path against a scripted HTTP server on 127.0.0.1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Pakasir } from './client.js';
import { PakasirApiError, PakasirNetworkError, PakasirTimeoutError } from './errors.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server | undefined;

async function scripted(handlers: Handler[]) {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const handler = handlers[Math.min(seen.length - 1, handlers.length - 1)] as Handler;
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { seen, baseUrl: `http://127.0.0.1:${port}` };
}

async function stop() {
  const running = server;
  server = undefined;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
}

afterEach(stop);

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const detail = {
  transaction: { amount: 22000, order_id: 'A1', project: 'p', status: 'pending', payment_method: 'qris' },
};
const API_KEY = 'key_never_in_messages';

function client(baseUrl: string, extra: Partial<ConstructorParameters<typeof Pakasir>[0]> = {}) {
  return new Pakasir({
    project: 'p',
    apiKey: API_KEY,
    baseUrl,
    apiVersion: 'v1',
    maxRetries: 2,
    timeoutMs: 1000,
    ...extra,
  });
}

describe('request path', () => {
  it('retries a read on 503 and 429 and returns the answer', async () => {
    const { seen, baseUrl } = await scripted([
      json(503, { error: 'busy' }),
      json(429, { error: 'slow down' }, { 'retry-after': '0' }),
      json(200, detail),
    ]);
    const result = await client(baseUrl).transactionDetail({ orderId: 'A1', amount: 22000 });
    expect(result.status).toBe('pending');
    expect(seen).toHaveLength(3);
    expect(seen[0]?.url).toBe(`/api/transactiondetail?project=p&order_id=A1&amount=22000&api_key=${API_KEY}`);
  });

  it('stops after maxRetries and throws PakasirApiError with status and body, without the api key', async () => {
    const { seen, baseUrl } = await scripted([json(500, { error: 'boom' })]);
    const error = await client(baseUrl)
      .transactionDetail({ orderId: 'A1', amount: 22000 })
      .catch((e: unknown) => e);
    expect(seen).toHaveLength(3);
    expect(error).toBeInstanceOf(PakasirApiError);
    expect(error).toMatchObject({ status: 500, body: { error: 'boom' } });
    expect((error as Error).message).toBe('Pakasir answered 500 to GET /api/transactiondetail: boom');
    expect(String((error as Error).stack)).not.toContain(API_KEY);
  });

  it('does not retry 4xx', async () => {
    const { seen, baseUrl } = await scripted([json(401, { error: 'invalid api_key' })]);
    await expect(client(baseUrl).transactionDetail({ orderId: 'A1', amount: 22000 })).rejects.toMatchObject({
      status: 401,
    });
    expect(seen).toHaveLength(1);
  });

  it('does not re-send a v1 create after a 502: it may have created the transaction', async () => {
    const { seen, baseUrl } = await scripted([json(502, { error: 'bad gateway' })]);
    await expect(client(baseUrl).createQris({ orderId: 'A1', amount: 22000 })).rejects.toMatchObject({
      status: 502,
    });
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      project: 'p',
      order_id: 'A1',
      amount: 22000,
      api_key: API_KEY,
    });
  });

  it('re-sends a v2 create (same order id returns the same transaction) with the key in a header', async () => {
    const txn = {
      txn_id: 't1',
      project: 'p',
      order_id: 'A1',
      amount: 22000,
      fee: 464,
      total_payment: 22464,
      payment_method: 'qris',
      qr_string: '000201',
      va_number: null,
      payment_link: 'http://x/pay-v2/t1',
      expired_at: '2026-01-01T00:00:00Z',
      is_sandbox: true,
      status: 'pending',
    };
    const { seen, baseUrl } = await scripted([json(502, { error: 'bad gateway' }), json(200, txn)]);
    const created = await client(baseUrl, { apiVersion: 'v2' }).createQris({ orderId: 'A1', amount: 22000 });
    expect(created).toMatchObject({ txn_id: 't1', payment_number: '000201', total_payment: 22464 });
    expect(seen.map((s) => s.url)).toEqual([
      '/api/v2/create-transaction/p/A1',
      '/api/v2/create-transaction/p/A1',
    ]);
    expect(seen[0]?.headers['x-api-key']).toBe(API_KEY);
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual({ method: 'qris', amount: 22000 });
  });

  it('times out a hanging answer with PakasirTimeoutError, and retries reads', async () => {
    const { seen, baseUrl } = await scripted([() => {}]); // never answers
    const started = Date.now();
    const error = await client(baseUrl, { timeoutMs: 150, maxRetries: 1 })
      .transactionDetail({ orderId: 'A1', amount: 22000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PakasirTimeoutError);
    expect((error as Error).message).toBe('Pakasir did not answer GET /api/transactiondetail within 150 ms');
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a reset connection as PakasirNetworkError', async () => {
    const { baseUrl } = await scripted([(req) => req.socket.destroy()]);
    await expect(
      client(baseUrl, { maxRetries: 0 }).transactionDetail({ orderId: 'A1', amount: 22000 }),
    ).rejects.toBeInstanceOf(PakasirNetworkError);
  });

  it('retries a refused connection even for an unsafe create', async () => {
    const { baseUrl } = await scripted([json(200, detail)]);
    await stop(); // nothing listens on that port any more
    const error = await client(baseUrl, { maxRetries: 1 })
      .createQris({ orderId: 'A1', amount: 22000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PakasirNetworkError);
    expect((error as PakasirNetworkError).beforeRequest).toBe(true);
  });

  it("aborts on the caller's signal with its reason", async () => {
    const { baseUrl } = await scripted([() => {}]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user gave up')), 50);
    await expect(
      client(baseUrl).transactionDetail({ orderId: 'A1', amount: 22000 }, { signal: controller.signal }),
    ).rejects.toThrow('user gave up');
  });
});

describe('v2 txn ids remembered by order id', () => {
  it('keeps at least the newest 10,000, and forgets older ones (bounded)', async () => {
    const answer = (body: unknown) =>
      new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    const fakeFetch = async (input: string | URL | Request) => {
      const path = new URL(String(input)).pathname;
      const orderId = path.split('/').at(-1) ?? '';
      return path.includes('create-transaction')
        ? answer({
            txn_id: `t-${orderId}`,
            project: 'p',
            order_id: orderId,
            amount: 22000,
            status: 'pending',
          })
        : answer({ txn_id: orderId, order_id: 'x', amount: 22000, status: 'pending' });
    };
    const pakasir = client('http://pakasir.invalid', { apiVersion: 'v2', fetch: fakeFetch });
    const statusOf = (n: number) => pakasir.transactionDetail({ orderId: `O${n}`, amount: 22000 });
    for (let n = 0; n < 20_001; n++) await pakasir.createQris({ orderId: `O${n}`, amount: 22000 });
    // The newest 10,000 are found without a txnId; the status path carries the remembered one.
    for (const n of [10_001, 15_000, 20_000]) {
      await expect(statusOf(n)).resolves.toMatchObject({ txn_id: `t-O${n}` });
    }
    await expect(statusOf(0)).rejects.toThrow(/pass the txnId/);
  });
});
