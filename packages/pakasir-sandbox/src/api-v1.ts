// Pakasir's v1 API (seed 001): credentials in the body (JSON or form) or the query string.
import type { V1ActionResponse } from '@quickcart/pakasir';
import type { ParsedBody, Reply } from './http-io.js';
import { checkApiKey, checkProject, readAmount, readMetadata, readMethod, readOrderId } from './input.js';
import type { RequestContext, Route, Services } from './routes.js';
import type { TransactionRecord } from './transaction.js';
import { v1Payment, v1Transaction } from './views.js';

/** The v1 routes: transactioncreate, transactiondetail, transactioncancel, paymentsimulation. */
export function v1Routes(services: Services): Route[] {
  const { ledger } = services;

  /** Project (400/404), then api key (401), from a body or query. */
  const authorize = (fields: Record<string, unknown>) => {
    checkProject(fields.project, services.project);
    checkApiKey(fields.api_key, services.apiKey);
  };

  /** The transaction a cancel or simulation body names (404 when none has that order and amount). */
  const named = (body: ParsedBody): TransactionRecord => {
    authorize(body.fields);
    const orderId = readOrderId(body.fields.order_id);
    return ledger.get(orderId, readAmount(body.fields.amount, body.form));
  };

  const ok = (json: unknown): Reply => ({ status: 200, json });

  return [
    {
      method: 'POST',
      path: /^\/api\/transactioncreate\/([^/]+)$/,
      async handle(context: RequestContext) {
        const { fields, form } = await context.body(true);
        authorize(fields);
        const method = readMethod(context.params[0], false);
        const { txn } = ledger.create({
          orderId: readOrderId(fields.order_id),
          amount: readAmount(fields.amount, form),
          method,
          metadata: readMetadata(fields.metadata, form),
          version: 'v1',
        });
        return ok({ payment: v1Payment(txn) });
      },
    },
    {
      method: 'GET',
      path: /^\/api\/transactiondetail$/,
      handle(context: RequestContext) {
        const query = Object.fromEntries(context.url.searchParams);
        const txn = named({ fields: query, form: true });
        return ok({ transaction: v1Transaction(txn, ledger.status(txn)) });
      },
    },
    {
      method: 'POST',
      path: /^\/api\/transactioncancel$/,
      async handle(context: RequestContext) {
        const txn = named(await context.body(true));
        ledger.cancel(txn);
        return ok({
          success: true,
          message: `transaction ${txn.orderId} canceled`,
        } satisfies V1ActionResponse);
      },
    },
    {
      method: 'POST',
      path: /^\/api\/paymentsimulation$/,
      async handle(context: RequestContext) {
        const txn = named(await context.body(true));
        services.pay(txn, undefined, context.webhookFaults);
        return ok({
          success: true,
          message: `payment of ${txn.orderId} simulated`,
        } satisfies V1ActionResponse);
      },
    },
  ];
}
