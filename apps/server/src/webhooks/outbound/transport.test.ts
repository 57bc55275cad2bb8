import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectRequest, createHttpConnector } from './transport.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  if (server?.listening) await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server on 127.0.0.1:0 that notes which socket carried each request; `onRequest` may drop one. */
async function listen(onRequest: (index: number, socket: Socket) => 'answer' | 'drop') {
  const sockets: Socket[] = [];
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const index = sockets.push(request.socket) - 1;
      if (onRequest(index, request.socket) === 'drop') request.socket.destroy();
      else response.writeHead(200).end(`answer ${index}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const request = (): ConnectRequest => ({
    url: new URL(`http://127.0.0.1:${port}/hook`),
    address: { address: '127.0.0.1', family: 4 },
    headers: { 'content-type': 'application/json' },
    body: '{}',
    signal: new AbortController().signal,
    maxBodyBytes: 1024,
  });
  return { sockets, request };
}

describe('createHttpConnector', () => {
  it('keeps the connection to a checked address alive between attempts', async () => {
    const { sockets, request } = await listen(() => 'answer');
    const connector = createHttpConnector();
    try {
      for (let i = 0; i < 3; i++) expect((await connector(request())).body).toBe(`answer ${i}`);
    } finally {
      connector.close();
    }
    expect(sockets).toHaveLength(3);
    expect(new Set(sockets).size).toBe(1);
  });

  it('sends once more on a fresh connection when a reused one is closed before any answer', async () => {
    // The second request (the first on a reused socket) is dropped, as a server closing an idle
    // connection at that moment would.
    const { sockets, request } = await listen((index) => (index === 1 ? 'drop' : 'answer'));
    const connector = createHttpConnector();
    try {
      expect(await connector(request())).toMatchObject({ status: 200, body: 'answer 0' });
      expect(await connector(request())).toMatchObject({ status: 200, body: 'answer 2' });
    } finally {
      connector.close();
    }
    expect(sockets).toHaveLength(3);
    expect(sockets[1]).toBe(sockets[0]);
    expect(sockets[2]).not.toBe(sockets[0]);
  });

  it('does not send again when a fresh connection fails', async () => {
    const { sockets, request } = await listen(() => 'drop');
    const connector = createHttpConnector();
    try {
      await expect(connector(request())).rejects.toMatchObject({ code: 'ECONNRESET' });
    } finally {
      connector.close();
    }
    expect(sockets).toHaveLength(1);
  });
});
