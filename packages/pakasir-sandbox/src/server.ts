// startSandbox: the node:http server that ties the ledger, the routes, the faults and the
// webhooks together, and closes promptly (keep-alive sockets, hung requests, webhook timers).

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchAnswer } from '@quickcart/pakasir';
import { v1Routes } from './api-v1.js';
import { v2Routes } from './api-v2.js';
import { controlRoutes } from './control-routes.js';
import { HttpError, SandboxError } from './errors.js';
import { FaultController, parseFaultHeader, type WebhookFaults } from './faults.js';
import {
  errorReply,
  type ParsedBody,
  parseBody,
  type Reply,
  readBody,
  sendReply,
  toLightAnswer,
  toResponse,
} from './http-io.js';
import { Ledger } from './ledger.js';
import { resolveOptions, type SandboxOptions } from './options.js';
import { pageRoutes } from './page-routes.js';
import { streamOf } from './random.js';
import { matchRoute, type RequestContext, type Route, type Services } from './routes.js';
import { StateStore } from './store.js';
import type { SandboxMethod } from './transaction.js';
import { type SandboxTransaction, sandboxTransaction } from './views.js';
import { type WebhookDelivery, WebhookDispatcher } from './webhooks.js';

/** The faults of a running sandbox: read, change (the given fields only), clear. */
export type SandboxFaults = Pick<FaultController, 'current' | 'set' | 'reset'>;

/** A running sandbox. */
export interface SandboxHandle {
  /** Base URL, e.g. "http://127.0.0.1:41234" (or `publicUrl`). */
  readonly url: string;
  readonly port: number;
  readonly project: string;
  readonly faults: SandboxFaults;
  /** Every transaction, oldest first, with its status at the sandbox clock's now. */
  transactions(): SandboxTransaction[];
  /** One transaction by order id or txn_id. */
  transaction(id: string): SandboxTransaction | undefined;
  /** Pays a pending transaction as the payer would (and sends its webhook); throws HttpError(409) otherwise. */
  pay(
    id: string,
    options?: { method?: SandboxMethod; webhookFaults?: Partial<WebhookFaults> },
  ): SandboxTransaction;
  readonly webhooks: {
    /** Every webhook so far, with its attempts. */
    log(): WebhookDelivery[];
    /** Resolves when no webhook is scheduled or in flight. */
    idle(): Promise<void>;
  };
  /**
   * The sandbox's API without a socket: a `fetch` that answers from this process, through the same
   * routes and faults as the HTTP server (a `reset` fault rejects like a reset connection, `hang`
   * waits for the caller's abort). Give it to a Pakasir client embedded in the same process:
   * `new Pakasir({ …, baseUrl: sandbox.url, fetch: sandbox.fetch })`.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /**
   * `fetch` answering with a plain `FetchAnswer` (status, ok, headers.get, text) instead of a
   * WHATWG Response, whose body stream costs tens of µs to build on Node 20: enough for
   * `@quickcart/pakasir`, whose `fetch` option takes it (`fetch: sandbox.lightFetch`).
   */
  lightFetch(input: string | URL | Request, init?: RequestInit): Promise<FetchAnswer>;
  /** Stops listening, drops every connection (keep-alive and hung ones) and every webhook timer. */
  close(): Promise<void>;
}

/** What routing needs of a request, whether it came over a socket or through `fetch`. */
interface Incoming {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  readBody(): Promise<string>;
  /** Drops the connection without an answer (the `reset` fault). */
  reset(): void;
}

/** What undici's fetch rejects with when the connection is reset. */
function connectionReset(): TypeError {
  const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  return new TypeError('fetch failed', { cause });
}

/** The methods fetch() uppercases; any other keeps its case. */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** What the sandbox reads of a fetch() call. */
interface FetchCall {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body(): Promise<string>;
  signal: AbortSignal | null | undefined;
}

/**
 * A fetch() call's method, URL, headers, body and signal. A plain call (a URL and a string body, as
 * clients send JSON) is read as it is; anything else goes through a WHATWG Request, whose
 * construction and body stream were a tenth of the CPU of a payment create against the sandbox.
 */
function fetchCall(input: string | URL | Request, init: RequestInit | undefined): FetchCall {
  const body = init?.body;
  if (input instanceof Request || (body !== undefined && body !== null && typeof body !== 'string')) {
    const request = new Request(input, init);
    return {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: () => request.text(),
      signal: request.signal,
    };
  }
  const url = new URL(input).href; // throws a TypeError on a bad URL, as fetch() does
  const upper = (init?.method ?? 'GET').toUpperCase();
  const headers: IncomingHttpHeaders = {};
  const given = init?.headers;
  if (given instanceof Headers || Array.isArray(given)) {
    for (const [name, value] of new Headers(given)) headers[name] = value;
  } else if (given) {
    for (const [name, value] of Object.entries(given)) headers[name.toLowerCase()] = String(value);
  }
  return {
    method: NORMALIZED_METHODS.has(upper) ? upper : (init?.method ?? 'GET'),
    url,
    headers,
    body: async () => body ?? '',
    signal: init?.signal,
  };
}

/** Rejects with the signal's reason once it aborts (never, without a signal). */
function aborted(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

/** The path and query for logs, with the api key masked. */
function loggable(url: URL): string {
  const query = new URLSearchParams(url.searchParams);
  if (query.has('api_key')) query.set('api_key', '***');
  const text = query.toString();
  return text === '' ? url.pathname : `${url.pathname}?${text}`;
}

/**
 * Starts a Pakasir-compatible sandbox on `host:port` (127.0.0.1 and a free port by default).
 * @example
 * const sandbox = await startSandbox({ project: 'depodomain', apiKey: 'xxx123' });
 * const pakasir = new Pakasir({ project: 'depodomain', apiKey: 'xxx123', baseUrl: sandbox.url });
 * await sandbox.close();
 */
export async function startSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const config = resolveOptions(options);
  const store = config.statePath === undefined ? null : new StateStore(config.statePath, config.project);
  const ledger = new Ledger({ ...config, store });
  let faults: FaultController;
  try {
    faults = new FaultController(config.faults, streamOf(config.seed, 0));
  } catch (error) {
    throw new SandboxError(`faults: ${(error as Error).message}`);
  }
  const webhooks = new WebhookDispatcher({
    url: config.webhookUrl,
    secret: config.webhookSecret,
    retries: config.webhookRetries,
    baseDelayMs: config.webhookBaseDelayMs,
    timeoutMs: config.webhookTimeoutMs,
    random: streamOf(config.seed, -1),
    now: config.now,
    log: config.log,
  });
  let baseUrl = '';
  const services: Services = {
    project: config.project,
    apiKey: config.apiKey,
    ledger,
    faults,
    webhooks,
    now: config.now,
    baseUrl: () => baseUrl,
    pay(txn, method, webhookFaults) {
      ledger.complete(txn, method);
      webhooks.send(txn, faults.planWebhook(webhookFaults));
    },
  };
  const routes: Route[] = [
    ...v1Routes(services),
    ...v2Routes(services),
    ...pageRoutes(services),
    ...controlRoutes(services),
  ];

  /** Latency timers, so close() can stop them. */
  const sleepers = new Map<NodeJS.Timeout, (slept: boolean) => void>();
  let closed = false;
  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (closed) return resolve(false);
      const timer = setTimeout(() => {
        sleepers.delete(timer);
        resolve(true);
      }, ms);
      sleepers.set(timer, resolve);
    });

  async function answer(request: Incoming): Promise<Reply | null> {
    const { url } = request;
    const header = single(request.headers['x-sandbox-fault']);
    let webhookFaults: Partial<WebhookFaults> = {};
    if (url.pathname.startsWith('/api/')) {
      const plan = faults.planRequest(header);
      webhookFaults = plan.webhook;
      if (plan.latencyMs > 0 && !(await sleep(plan.latencyMs))) return null;
      if (plan.action === 'reset') {
        request.reset();
        return null;
      }
      if (plan.action === 'hang') return null; // never answered: the client aborts, or close() drops it
      if (plan.action !== 'answer')
        return errorReply(new HttpError(plan.action, `sandbox fault: injected ${plan.action}`));
    } else if (header !== undefined) {
      webhookFaults = parseFaultHeader(header).webhook;
    }
    const match = matchRoute(routes, request.method, url.pathname);
    if (match.kind === 'none') throw new HttpError(404, `not found: ${request.method} ${url.pathname}`);
    if (match.kind === 'wrong-method') {
      throw new HttpError(405, `method ${request.method} not allowed on ${url.pathname}`, {
        Allow: [...new Set(match.allowed)].join(', '),
      });
    }
    let body: Promise<string> | undefined;
    const context: RequestContext = {
      method: request.method,
      url,
      params: match.params,
      headers: request.headers,
      webhookFaults,
      async body(allowForm: boolean, required = true): Promise<ParsedBody> {
        body ??= request.readBody();
        const text = await body;
        if (!required && text.trim() === '') return { fields: {}, form: false };
        return parseBody(text, request.headers['content-type'], allowForm);
      },
    };
    return match.route.handle(context);
  }

  /** Answers a request, logs it, and hands the answer (null: none, a fault) to `send`. */
  async function handle(request: Incoming, send: (reply: Reply | null) => void): Promise<void> {
    const started = performance.now();
    let reply: Reply | null;
    try {
      reply = await answer(request);
    } catch (error) {
      if (error instanceof HttpError) reply = errorReply(error);
      else {
        config.log(`internal error: ${(error as Error).stack ?? String(error)}`);
        reply = { status: 500, json: { error: `internal sandbox error: ${(error as Error).message}` } };
      }
    }
    const took = `${Math.round(performance.now() - started)} ms`;
    const what = `${request.method} ${loggable(request.url)}`;
    config.log(
      reply === null ? `${what} -> no answer (fault), ${took}` : `${what} -> ${reply.status}, ${took}`,
    );
    send(reply);
  }

  const server = createServer((request, response) => {
    const incoming: Incoming = {
      method: request.method ?? 'GET',
      url: new URL(request.url ?? '/', 'http://sandbox.invalid'),
      headers: request.headers,
      readBody: () => readBody(request),
      reset: () => request.socket.resetAndDestroy(),
    };
    void handle(incoming, (reply) => {
      if (reply !== null && !response.destroyed && !response.headersSent) sendReply(response, reply);
    });
  });

  /** Requests answered in process that have no answer yet: close() rejects them. */
  const inProcess = new Set<(error: Error) => void>();
  /** The reply to a fetch() call, through the same routes and faults as a socket's request. */
  async function replyInProcess(input: string | URL | Request, init?: RequestInit): Promise<Reply> {
    const call = fetchCall(input, init);
    if (closed) throw connectionReset();
    const target = new URL(call.url);
    let reset = false;
    const incoming: Incoming = {
      method: call.method,
      url: new URL(`${target.pathname}${target.search}`, 'http://sandbox.invalid'),
      headers: call.headers,
      readBody: call.body,
      reset: () => {
        reset = true;
      },
    };
    let dropped: (error: Error) => void = () => {};
    const closing = new Promise<never>((_, reject) => {
      dropped = reject;
      inProcess.add(reject);
    });
    const answered = new Promise<Reply | null>((resolve) => void handle(incoming, resolve));
    try {
      const reply = await Promise.race([answered, aborted(call.signal), closing]);
      if (reply === null) {
        if (reset) throw connectionReset();
        return await Promise.race([aborted(call.signal), closing]); // a hung request
      }
      return reply;
    } finally {
      inProcess.delete(dropped);
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      webhooks.close();
      reject(new SandboxError(`cannot listen on ${config.host}:${config.port}: ${error.message}`));
    });
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  baseUrl = config.publicUrl ?? `http://${host}:${port}`;
  config.log(`pakasir-sandbox for project ${config.project} at ${baseUrl}`);

  let closing: Promise<void> | undefined;
  const view = (id: string) => {
    const txn = ledger.find(id);
    return txn && sandboxTransaction(txn, ledger.status(txn));
  };
  return {
    url: baseUrl,
    port,
    project: config.project,
    faults,
    transactions: () => ledger.list().map((txn) => sandboxTransaction(txn, ledger.status(txn))),
    transaction: view,
    pay(id, payOptions = {}) {
      const txn = ledger.find(id);
      if (!txn) throw new HttpError(404, `transaction not found: ${id}`);
      services.pay(txn, payOptions.method, payOptions.webhookFaults ?? {});
      return sandboxTransaction(txn, ledger.status(txn));
    },
    webhooks: { log: () => webhooks.log(), idle: () => webhooks.idle() },
    fetch: async (input, init) => toResponse(await replyInProcess(input, init)),
    lightFetch: async (input, init) => toLightAnswer(await replyInProcess(input, init)),
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        for (const drop of inProcess) drop(connectionReset());
        inProcess.clear();
        webhooks.close();
        for (const [timer, wake] of sleepers) {
          clearTimeout(timer);
          wake(false);
        }
        sleepers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
