// What request handlers see: the request, the sandbox's services, and how routes are matched.
import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from './errors.js';
import type { FaultController, WebhookFaults } from './faults.js';
import type { ParsedBody, Reply } from './http-io.js';
import type { Ledger } from './ledger.js';
import type { SandboxMethod, TransactionRecord } from './transaction.js';
import type { WebhookDispatcher } from './webhooks.js';

export interface RequestContext {
  method: string;
  url: URL;
  /** The route pattern's groups, percent-decoded. */
  params: string[];
  headers: IncomingHttpHeaders;
  /**
   * Reads and parses the body (JSON; also a form when `allowForm`). An empty body is a 400
   * unless `required` is false, when it reads as no fields.
   */
  body(allowForm: boolean, required?: boolean): Promise<ParsedBody>;
  /** Webhook faults this request's X-Sandbox-Fault header asks for. */
  webhookFaults: Partial<WebhookFaults>;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Anchored pattern of the path; groups become `params`. */
  path: RegExp;
  handle(context: RequestContext): Reply | Promise<Reply>;
}

/** Everything the handlers share. */
export interface Services {
  project: string;
  apiKey: string;
  ledger: Ledger;
  faults: FaultController;
  webhooks: WebhookDispatcher;
  now(): number;
  /** The sandbox's public base URL, without a trailing slash. */
  baseUrl(): string;
  /** Marks `txn` paid (409 unless pending) and sends its webhook. */
  pay(txn: TransactionRecord, method: SandboxMethod | undefined, faults: Partial<WebhookFaults>): void;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: string[] }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

/** The route for `method` and `pathname`; a 405 needs the allowed methods of a known path. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.path.exec(pathname);
    if (!match) continue;
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
      return { kind: 'found', route, params: match.slice(1).map(decodePart) };
    }
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}

function decodePart(part: string | undefined): string {
  try {
    return decodeURIComponent(part ?? '');
  } catch {
    throw badRequest(`malformed percent-encoding in the path: ${part}`);
  }
}
