// Pakasir's v2 API: X-Api-Key header, slug and ids in the path, JSON bodies.
import {
  PAYMENT_METHODS,
  type PaymentMethod,
  V2_API_KEY_HEADER,
  V2_STATUS_INTERVAL_MS,
  type V2CancelResponse,
  type V2FeeResponse,
} from '@quickcart/pakasir';
import { HttpError, notFound } from './errors.js';
import type { Reply } from './http-io.js';
import { checkApiKey, checkProject, readAmount, readMetadata, readMethod, readOrderId } from './input.js';
import type { RequestContext, Route, Services } from './routes.js';
import { feeFor, type TransactionRecord } from './transaction.js';
import { v2Status, v2Transaction } from './views.js';

/** The v2 routes: create-transaction, transaction-status, cancel-transaction, payment-fee. */
export function v2Routes(services: Services): Route[] {
  const { ledger } = services;
  /** Sandbox clock of the last answered transaction-status call, per txn_id. */
  const lastStatusCall = new Map<string, number>();

  /** Slug (404), then X-Api-Key (401). */
  const authorize = (context: RequestContext) => {
    checkProject(context.params[0], services.project);
    checkApiKey(context.headers[V2_API_KEY_HEADER], services.apiKey);
  };

  const transaction = (txnId: string | undefined): TransactionRecord => {
    const txn = ledger.byTxnId(txnId ?? '');
    if (!txn) throw notFound(`transaction not found: ${txnId}`);
    return txn;
  };

  /** One transaction-status call per V2_STATUS_INTERVAL_MS per transaction; 429 with Retry-After beyond. */
  const rateLimit = (txnId: string) => {
    const now = services.now();
    const last = lastStatusCall.get(txnId);
    if (last !== undefined && now - last < V2_STATUS_INTERVAL_MS) {
      const retryAfter = Math.max(1, Math.ceil((V2_STATUS_INTERVAL_MS - (now - last)) / 1000));
      throw new HttpError(
        429,
        `too many requests: one transaction-status call per ${V2_STATUS_INTERVAL_MS / 1000} s per transaction; retry after ${retryAfter} s`,
        { 'Retry-After': String(retryAfter) },
      );
    }
    lastStatusCall.set(txnId, now);
  };

  const ok = (json: unknown): Reply => ({ status: 200, json });

  return [
    {
      method: 'POST',
      path: /^\/api\/v2\/create-transaction\/([^/]+)\/([^/]+)$/,
      async handle(context: RequestContext) {
        authorize(context);
        const { fields } = await context.body(false);
        const method = readMethod(fields.method, true);
        const { txn } = ledger.create({
          orderId: readOrderId(context.params[1]),
          amount: readAmount(fields.amount, false),
          method,
          metadata: readMetadata(fields.metadata, false),
          version: 'v2',
        });
        return ok(v2Transaction(txn, ledger.status(txn), services.baseUrl()));
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v2\/transaction-status\/([^/]+)\/([^/]+)$/,
      handle(context: RequestContext) {
        authorize(context);
        const txn = transaction(context.params[1]);
        rateLimit(txn.txnId);
        return ok(v2Status(txn, ledger.status(txn)));
      },
    },
    {
      method: 'POST',
      path: /^\/api\/v2\/cancel-transaction\/([^/]+)\/([^/]+)$/,
      handle(context: RequestContext) {
        authorize(context);
        const txn = transaction(context.params[1]);
        ledger.cancel(txn);
        return ok({ txn_id: txn.txnId, status: ledger.status(txn) } satisfies V2CancelResponse);
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v2\/payment-fee\/([^/]+)$/,
      handle(context: RequestContext) {
        const amount = readAmount(context.params[0], true);
        const fees: Partial<Record<PaymentMethod, number>> = {};
        for (const method of PAYMENT_METHODS) fees[method] = feeFor(method, amount);
        return ok({ amount, fees } satisfies V2FeeResponse);
      },
    },
  ];
}
