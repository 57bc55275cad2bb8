import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QuickCartError } from '../../payments/errors.js';
import type { LongRequests } from '../long-requests.js';

/**
 * Sandbox mode only: the embedded Pakasir sandbox served on the service's own port.
 * - `/sandbox/pakasir/*` → the sandbox's `/*` (its API, v1 and v2, and its pay pages);
 * - `POST /sandbox/pay/:id` and `GET /sandbox/transactions/:id` → the same paths: the pay page's
 *   script calls them by absolute path (its "Simulate payment" button and its status poll).
 * A streaming reverse proxy over `node:http`: method, headers (less hop-by-hop ones), body and
 * status are kept, bodies are neither buffered nor decoded, redirects are passed to the client,
 * not followed. The sandbox not answering is 502 GATEWAY_ERROR; closing the app aborts the
 * requests still open (the sandbox can hang on purpose: fault injection).
 */

/** Where the proxied sandbox appears on the service's port. */
export const SANDBOX_PREFIX = '/sandbox/pakasir';

/** Headers that describe one connection, not the message, and so are not forwarded (RFC 9110 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** `headers` without hop-by-hop ones (those named in `Connection` included) and `host`. */
export function endToEndHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'host' || HOP_BY_HOP.has(name) || named.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * The sandbox's operator routes (list every transaction, webhook log, faults) answer only callers
 * on this machine: through the public port they would show every order and let anyone break the
 * gateway. Paying one payment by id (`/sandbox/pay/:id`) stays open: that is the pay page's button.
 */
export function isOperatorPath(upstream: string): boolean {
  const path = upstream.split('?')[0] ?? '';
  return path === '/sandbox/transactions' || /^\/sandbox\/(faults|webhooks)(\/|$)/.test(path);
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The sandbox path of a request URL: the prefix taken off (`/sandbox/pakasir?x` → `/?x`). */
export function upstreamPath(url: string, prefix: string): string {
  if (!url.startsWith(prefix)) return url;
  const rest = url.slice(prefix.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Registers the proxy routes to the sandbox at `target` (e.g. `http://127.0.0.1:41234`). */
export async function registerSandboxProxy(
  app: FastifyInstance,
  options: { target: string; longRequests: LongRequests },
): Promise<void> {
  const target = new URL(options.target);
  const forward = (strip: boolean) => (request: FastifyRequest, reply: FastifyReply) => {
    const path = strip ? upstreamPath(request.raw.url ?? '/', SANDBOX_PREFIX) : (request.raw.url ?? '/');
    if (isOperatorPath(path) && !LOOPBACK.has(request.raw.socket.remoteAddress ?? '')) {
      throw new QuickCartError('FORBIDDEN', {
        message: 'the sandbox operator routes answer only on this machine',
      });
    }
    return proxy(request, reply, { target, path, longRequests: options.longRequests });
  };

  // An encapsulated scope, so that its catch-all body "parser" (which hands the unread stream on)
  // applies to these routes only.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.all(SANDBOX_PREFIX, forward(true));
    scope.all(`${SANDBOX_PREFIX}/*`, forward(true));
    scope.post('/sandbox/pay/:id', forward(false));
    scope.get('/sandbox/transactions/:id', forward(false));
  });
}

async function proxy(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { target: URL; path: string; longRequests: LongRequests },
): Promise<FastifyReply> {
  const controller = options.longRequests.open();
  const body = request.body instanceof Readable ? request.body : request.raw;
  const upstream = httpRequest({
    protocol: options.target.protocol,
    hostname: options.target.hostname,
    port: options.target.port,
    method: request.method,
    path: options.path,
    headers: {
      ...endToEndHeaders(request.headers),
      host: options.target.host,
      'x-forwarded-for': request.ip,
      'x-forwarded-host': request.headers.host ?? '',
      'x-forwarded-proto': request.protocol,
      'x-forwarded-prefix': SANDBOX_PREFIX,
    },
    signal: controller.signal,
  });
  // Failures surface through the promises below or the answer stream; never as an unhandled 'error'.
  upstream.on('error', () => {});
  // Let the answer go when the client does, and give the controller back once the exchange ends.
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
    options.longRequests.close(controller);
  });
  let answer: IncomingMessage;
  try {
    [answer] = await Promise.all([
      new Promise<IncomingMessage>((resolve, reject) => {
        upstream.once('response', resolve);
        upstream.once('error', reject);
      }),
      pipeline(body, upstream),
    ]);
  } catch (error) {
    upstream.destroy();
    throw new QuickCartError('GATEWAY_ERROR', {
      message: `the embedded Pakasir sandbox did not answer ${request.method} ${options.path.split('?')[0]}`,
      cause: error,
    });
  }
  reply.code(answer.statusCode ?? 502);
  for (const [name, value] of Object.entries(endToEndHeaders(answer.headers))) reply.header(name, value);
  return reply.send(answer);
}
