import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../errors.js';
import { LongRequests } from '../long-requests.js';
import { endToEndHeaders, isOperatorPath, registerSandboxProxy, upstreamPath } from './sandbox-proxy.js';

/** An upstream that echoes what it received, answers redirects, and can hang. */
async function echoServer(): Promise<{ url: string; server: Server; hung: IncomingMessage[] }> {
  const hung: IncomingMessage[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url === '/redirect') {
      response.writeHead(302, { location: '/elsewhere', 'x-upstream': 'yes' }).end();
      return;
    }
    if (request.url === '/hang') {
      hung.push(request);
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      response.writeHead(request.url?.startsWith('/teapot') ? 418 : 200, {
        'content-type': 'application/json',
        connection: 'keep-alive, x-private',
        'x-private': 'hop',
        'set-cookie': ['a=1', 'b=2'],
      });
      response.end(
        JSON.stringify({
          method: request.method,
          url: request.url,
          headers: request.headers,
          bytes: body.length,
          text: body.length < 1000 ? body.toString('utf8') : null,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, hung };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ app: FastifyInstance; upstream: Awaited<ReturnType<typeof echoServer>> }> {
  const upstream = await echoServer();
  cleanups.push(
    () =>
      new Promise((resolve) => {
        upstream.server.closeAllConnections();
        upstream.server.close(resolve);
      }),
  );
  const app = Fastify();
  installErrorHandling(app, { now: () => new Date() });
  const longRequests = new LongRequests();
  app.addHook('preClose', async () => longRequests.abortAll());
  app.post('/json', async (request) => request.body); // outside the proxy, JSON parsing is untouched
  await registerSandboxProxy(app, { target: upstream.url, longRequests });
  await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => app.close());
  return { app, upstream };
}

function urlOf(app: FastifyInstance): string {
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

describe('upstreamPath and endToEndHeaders', () => {
  it('takes the prefix off and keeps the query', () => {
    expect(upstreamPath('/sandbox/pakasir/api/x?a=1', '/sandbox/pakasir')).toBe('/api/x?a=1');
    expect(upstreamPath('/sandbox/pakasir?a=1', '/sandbox/pakasir')).toBe('/?a=1');
    expect(upstreamPath('/sandbox/pakasir', '/sandbox/pakasir')).toBe('/');
    expect(upstreamPath('/sandbox/pay/X', '/sandbox/pakasir')).toBe('/sandbox/pay/X');
  });

  it('drops hop-by-hop headers, those named in Connection, and host', () => {
    expect(
      endToEndHeaders({
        host: 'a',
        connection: 'keep-alive, X-Private',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'x-private': 'p',
        'content-type': 'text/plain',
        'set-cookie': ['a=1'],
      }),
    ).toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a=1'] });
  });
});

describe('registerSandboxProxy', () => {
  it('forwards method, path, query, headers and body; keeps status and end-to-end headers', async () => {
    const { app } = await setup();
    const answer = await fetch(`${urlOf(app)}/sandbox/pakasir/teapot?x=1&y=%20`, {
      method: 'PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-sandbox-fault': 'latency=0' },
      body: 'project=p&amount=1000',
    });
    expect(answer.status).toBe(418);
    expect(answer.headers.get('x-private')).toBeNull();
    expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const echoed = (await answer.json()) as { method: string; url: string; headers: Record<string, string> };
    expect(echoed).toMatchObject({ method: 'PUT', url: '/teapot?x=1&y=%20', text: 'project=p&amount=1000' });
    expect(echoed.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
      'x-sandbox-fault': 'latency=0',
      'x-forwarded-prefix': '/sandbox/pakasir',
      'x-forwarded-for': '127.0.0.1',
    });
    expect(echoed.headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('streams large bodies of any content type, and leaves other routes to their parsers', async () => {
    const { app } = await setup();
    const big = Buffer.alloc(3 * 1024 * 1024, 7); // larger than Fastify's 1 MiB body limit
    const answer = await fetch(`${urlOf(app)}/sandbox/pakasir/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: big,
    });
    expect(await answer.json()).toMatchObject({ method: 'POST', bytes: big.length });
    const json = await fetch(`${urlOf(app)}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await json.json()).toEqual({ a: 1 });
  });

  it('passes redirects to the client instead of following them', async () => {
    const { app } = await setup();
    const answer = await fetch(`${urlOf(app)}/sandbox/pakasir/redirect`, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/elsewhere');
    expect(answer.headers.get('x-upstream')).toBe('yes');
  });

  it('forwards the pay page script paths unchanged', async () => {
    const { app } = await setup();
    const pay = await fetch(`${urlOf(app)}/sandbox/pay/ORDER-1`, { method: 'POST' });
    expect(await pay.json()).toMatchObject({ method: 'POST', url: '/sandbox/pay/ORDER-1' });
    const status = await fetch(`${urlOf(app)}/sandbox/transactions/ORDER-1`);
    expect(await status.json()).toMatchObject({ method: 'GET', url: '/sandbox/transactions/ORDER-1' });
  });

  it('serves the sandbox operator routes to this machine only', async () => {
    expect(
      ['/sandbox/transactions', '/sandbox/transactions?x=1', '/sandbox/faults', '/sandbox/webhooks'].every(
        isOperatorPath,
      ),
    ).toBe(true);
    expect(
      ['/sandbox/transactions/ORDER-1', '/sandbox/pay/ORDER-1', '/api/transactiondetail'].some(
        isOperatorPath,
      ),
    ).toBe(false);
    const { app } = await setup();
    const remote = { remoteAddress: '203.0.113.7' };
    const faults = await app.inject({
      method: 'POST',
      url: '/sandbox/pakasir/sandbox/faults',
      payload: '{}',
      ...remote,
    });
    expect(faults.statusCode).toBe(403);
    expect(faults.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      (await app.inject({ method: 'GET', url: '/sandbox/pakasir/sandbox/transactions', ...remote }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'GET', url: '/sandbox/pakasir/sandbox/transactions/ORDER-1', ...remote }))
        .statusCode,
    ).toBe(200);
    expect((await fetch(`${urlOf(app)}/sandbox/pakasir/sandbox/faults`)).status).toBe(200); // loopback
  });

  it('answers 502 GATEWAY_ERROR when the sandbox is gone', async () => {
    const { app, upstream } = await setup();
    await new Promise((resolve) => upstream.server.close(resolve));
    const answer = await app.inject({ method: 'GET', url: '/sandbox/pakasir/api/transactiondetail' });
    expect(answer.statusCode).toBe(502);
    expect(answer.json()).toMatchObject({ success: false, code: 'GATEWAY_ERROR' });
  });

  it('does not let a hung sandbox request hold up closing the app', async () => {
    const { app, upstream } = await setup();
    const answer = fetch(`${urlOf(app)}/sandbox/pakasir/hang`).then((r) => r.status);
    await expect.poll(() => upstream.hung.length).toBe(1);
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await answer).toBe(502);
  });
});
