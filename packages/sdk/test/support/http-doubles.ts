// Local HTTP servers for the request-path tests: a scripted server that answers from a list of
// handlers and records what it saw, and a proxy to a real server that can drop answers.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a server saw it. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Proxy only: the upstream status. */
  status?: number;
  /** Proxy only: whether the answer was dropped. */
  dropped?: boolean;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface Double {
  baseUrl: string;
  seen: Seen[];
  close(): Promise<void>;
}

async function listen(server: Server, seen: Seen[]): Promise<Double> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** Answers the n-th request with `handlers[n]` (the last one for any after). */
export function scripted(handlers: Handler[]): Promise<Double> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    (handlers[Math.min(seen.length - 1, handlers.length - 1)] as Handler)(req, res, body);
  });
  return listen(server, seen);
}

/** A JSON answer. */
export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

/** Never answers (the client's timeout or abort ends it). */
export const hang: Handler = () => {};

/** The error body of the API. */
export const errorBody = (code: string, extra: Record<string, unknown> = {}) => ({
  success: false,
  error: `scripted ${code}`,
  code,
  details: {},
  timestamp: new Date().toISOString(),
  request_id: `req-${code}`,
  ...extra,
});

/**
 * Forwards every request to `target` and relays the answer, except when `drop(seen, index)` says
 * so: then the upstream answer is read (the server did the work) and the client's connection is
 * destroyed instead, as when a network drops a response on its way back.
 */
export function dropProxy(target: string, drop: (seen: Seen, index: number) => boolean): Promise<Double> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        ([name]) => !['host', 'connection', 'content-length'].includes(name),
      ),
    ) as Record<string, string>;
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method ?? 'GET',
      headers,
      ...(body !== '' && { body }),
    });
    const text = await upstream.text();
    const entry: Seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
      status: upstream.status,
    };
    entry.dropped = drop(entry, seen.length);
    seen.push(entry);
    if (entry.dropped) {
      req.socket.destroy();
      return;
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      ...(upstream.headers.get('idempotent-replayed') && { 'idempotent-replayed': 'true' }),
    });
    res.end(text);
  });
  return listen(server, seen);
}
