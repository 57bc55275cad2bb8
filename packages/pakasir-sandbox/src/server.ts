// startSandbox: the node:http server that ties the ledger, the routes, the faults and the
// webhooks together, and closes promptly (keep-alive sockets, hung requests, webhook timers).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { v1Routes } from './api-v1.js';
import { v2Routes } from './api-v2.js';
import { controlRoutes } from './control-routes.js';
import { HttpError, SandboxError } from './errors.js';
import { FaultController, parseFaultHeader, type WebhookFaults } from './faults.js';
import { errorReply, type ParsedBody, parseBody, type Reply, readBody, sendReply } from './http-io.js';
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
  /** Stops listening, drops every connection (keep-alive and hung ones) and every webhook timer. */
  close(): Promise<void>;
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

  async function answer(request: IncomingMessage, url: URL): Promise<Reply | null> {
    const header = single(request.headers['x-sandbox-fault']);
    let webhookFaults: Partial<WebhookFaults> = {};
    if (url.pathname.startsWith('/api/')) {
      const plan = faults.planRequest(header);
      webhookFaults = plan.webhook;
      if (plan.latencyMs > 0 && !(await sleep(plan.latencyMs))) return null;
      if (plan.action === 'reset') {
        request.socket.resetAndDestroy();
        return null;
      }
      if (plan.action === 'hang') return null; // never answered: the client aborts, or close() drops it
      if (plan.action !== 'answer')
        return errorReply(new HttpError(plan.action, `sandbox fault: injected ${plan.action}`));
    } else if (header !== undefined) {
      webhookFaults = parseFaultHeader(header).webhook;
    }
    const match = matchRoute(routes, request.method ?? 'GET', url.pathname);
    if (match.kind === 'none') throw new HttpError(404, `not found: ${request.method} ${url.pathname}`);
    if (match.kind === 'wrong-method') {
      throw new HttpError(405, `method ${request.method} not allowed on ${url.pathname}`, {
        Allow: [...new Set(match.allowed)].join(', '),
      });
    }
    let body: Promise<string> | undefined;
    const context: RequestContext = {
      method: request.method ?? 'GET',
      url,
      params: match.params,
      headers: request.headers,
      webhookFaults,
      async body(allowForm: boolean, required = true): Promise<ParsedBody> {
        body ??= readBody(request);
        const text = await body;
        if (!required && text.trim() === '') return { fields: {}, form: false };
        return parseBody(text, request.headers['content-type'], allowForm);
      },
    };
    return match.route.handle(context);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    let reply: Reply | null;
    try {
      reply = await answer(request, url);
    } catch (error) {
      if (error instanceof HttpError) reply = errorReply(error);
      else {
        config.log(`internal error: ${(error as Error).stack ?? String(error)}`);
        reply = { status: 500, json: { error: `internal sandbox error: ${(error as Error).message}` } };
      }
    }
    const took = `${Math.round(performance.now() - started)} ms`;
    if (reply === null) {
      config.log(`${request.method} ${loggable(url)} -> no answer (fault), ${took}`);
      return;
    }
    if (response.destroyed || response.headersSent) return;
    sendReply(response, reply);
    config.log(`${request.method} ${loggable(url)} -> ${reply.status}, ${took}`);
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
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
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
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
