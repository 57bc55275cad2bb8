// The sandbox's own endpoints (no API key: it is a sandbox): pay a transaction as the payer
// would, list transactions and webhooks, read and change the faults. Never subject to faults.
import { badRequest, notFound, SandboxError } from './errors.js';
import type { Reply } from './http-io.js';
import { readMethod } from './input.js';
import type { RequestContext, Route, Services } from './routes.js';
import type { SandboxMethod, TransactionRecord } from './transaction.js';
import { sandboxTransaction } from './views.js';

export function controlRoutes(services: Services): Route[] {
  const { ledger } = services;
  const ok = (json: unknown): Reply => ({ status: 200, json });

  const transaction = (id: string | undefined): TransactionRecord => {
    const txn = ledger.find(id ?? '');
    if (!txn) throw notFound(`transaction not found: ${id}`);
    return txn;
  };
  const view = (txn: TransactionRecord) => sandboxTransaction(txn, ledger.status(txn));

  const changeFaults = async (context: RequestContext) => {
    const { fields } = await context.body(false);
    try {
      return ok({ faults: services.faults.set(fields) });
    } catch (error) {
      if (error instanceof SandboxError) throw badRequest(error.message);
      throw error;
    }
  };

  return [
    {
      method: 'GET',
      path: /^\/$/,
      handle: () =>
        ok({
          name: 'pakasir-sandbox',
          project: services.project,
          time: new Date(services.now()).toISOString(),
        }),
    },
    {
      method: 'POST',
      path: /^\/sandbox\/pay\/([^/]+)$/,
      async handle(context: RequestContext) {
        const txn = transaction(context.params[0]);
        const { fields } = await context.body(false, false);
        const method: SandboxMethod | undefined =
          fields.method === undefined
            ? undefined
            : fields.method === 'paypal'
              ? 'paypal'
              : readMethod(fields.method, false);
        services.pay(txn, method, context.webhookFaults);
        return ok({ transaction: view(txn) });
      },
    },
    {
      method: 'GET',
      path: /^\/sandbox\/transactions$/,
      handle: () => ok({ transactions: ledger.list().map(view) }),
    },
    {
      method: 'GET',
      path: /^\/sandbox\/transactions\/([^/]+)$/,
      handle: (context: RequestContext) => ok({ transaction: view(transaction(context.params[0])) }),
    },
    {
      method: 'GET',
      path: /^\/sandbox\/webhooks$/,
      handle: () => ok({ deliveries: services.webhooks.log() }),
    },
    { method: 'GET', path: /^\/sandbox\/faults$/, handle: () => ok({ faults: services.faults.current() }) },
    { method: 'POST', path: /^\/sandbox\/faults$/, handle: changeFaults },
    { method: 'DELETE', path: /^\/sandbox\/faults$/, handle: () => ok({ faults: services.faults.reset() }) },
  ];
}
