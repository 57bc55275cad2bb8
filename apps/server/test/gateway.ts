import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pakasir } from '@quickcart/pakasir';
import { type SandboxHandle, startSandbox } from '@quickcart/pakasir-sandbox';
import type { Database } from '../src/db/types.js';
import type { Alert } from '../src/payments/alerts.js';
import type { PaymentService } from '../src/payments/contract.js';
import { QuickCartError } from '../src/payments/errors.js';
import { type PaymentNotifier, startNotifier } from '../src/payments/notifier.js';
import { type PaymentProvider, pakasirProvider, sandboxSimulator } from '../src/payments/provider.js';
import { createPaymentService } from '../src/payments/service.js';
import {
  createPakasirWebhookHandler,
  type PakasirWebhookRequest,
  type PakasirWebhookResult,
} from '../src/webhooks/pakasir-inbound.js';

/**
 * The payment stack of the tests: an embedded Pakasir sandbox on 127.0.0.1 (port 0), a
 * `Pakasir` client in sandbox mode, a tiny HTTP receiver that hands the sandbox's webhooks to
 * `handlePakasirWebhook` (as the Fastify route will), the notifier and the payment service.
 */

export const PROJECT = 'quickcart-test';
export const API_KEY = 'sandbox-api-key';
export const WEBHOOK_SECRET = 'whsec-test-secret';

/** What the receiver saw: one entry per webhook request, with the handler's answer. */
export interface ReceivedWebhook {
  status: number;
  result?: PakasirWebhookResult;
  error?: string;
}

/** Options of `startStack()`. */
export interface StackOptions {
  apiVersion?: 'v1' | 'v2';
  /** The Pakasir client's timeout (default 2 s). */
  timeoutMs?: number;
  /** The secret the sandbox signs with (default WEBHOOK_SECRET); the handler checks WEBHOOK_SECRET. */
  sandboxSecret?: string;
  now?: () => Date;
}

export interface Stack {
  sandbox: SandboxHandle;
  pakasir: Pakasir;
  provider: PaymentProvider;
  notifier: PaymentNotifier;
  service: PaymentService;
  handleWebhook: (request: PakasirWebhookRequest) => Promise<PakasirWebhookResult>;
  /** Every alert raised so far. */
  alerts: Alert[];
  /** Every webhook the receiver answered. */
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/** Answers a webhook request as the route will: 200 with the result, or the error's status. */
async function answer(
  handle: (request: PakasirWebhookRequest) => Promise<PakasirWebhookResult>,
  rawBody: Buffer,
  headers: IncomingHttpHeaders,
): Promise<ReceivedWebhook> {
  try {
    return { status: 200, result: await handle({ rawBody, headers }) };
  } catch (error) {
    const status = error instanceof QuickCartError ? error.status : 500;
    return { status, error: (error as Error).message };
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts the whole stack on `database`. */
export async function startStack(database: Database, options: StackOptions = {}): Promise<Stack> {
  const received: ReceivedWebhook[] = [];
  const alerts: Alert[] = [];
  let handleWebhook: Stack['handleWebhook'] = async () => {
    throw new Error('not ready');
  };
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void answer(handleWebhook, Buffer.concat(chunks), request.headers).then((outcome) => {
        received.push(outcome);
        response.writeHead(outcome.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(outcome));
      });
    });
  });
  const receiverUrl = await listen(receiver);
  const sandbox = await startSandbox({
    project: PROJECT,
    apiKey: API_KEY,
    webhookUrl: `${receiverUrl}/webhooks/pakasir`,
    webhookSecret: options.sandboxSecret ?? WEBHOOK_SECRET,
    webhookRetries: 1,
    webhookBaseDelayMs: 20,
  });
  const pakasir = new Pakasir({
    project: PROJECT,
    apiKey: API_KEY,
    baseUrl: sandbox.url,
    apiVersion: options.apiVersion ?? 'v1',
    mode: 'sandbox',
    timeoutMs: options.timeoutMs ?? 10_000, // generous: a loaded CI machine; fault tests pass their own
    maxRetries: 0,
  });
  const provider = pakasirProvider(pakasir);
  const notifier = await startNotifier(database);
  const sink = (alert: Alert) => alerts.push(alert);
  const service = createPaymentService({
    db: database.db,
    provider,
    notifier,
    publicUrl: 'http://quickcart.test',
    simulate: sandboxSimulator(sandbox),
    alerts: sink,
    ...(options.now && { now: options.now }),
  });
  handleWebhook = createPakasirWebhookHandler({
    db: database.db,
    pakasir,
    secret: WEBHOOK_SECRET,
    alerts: sink,
  });
  return {
    sandbox,
    pakasir,
    provider,
    notifier,
    service,
    handleWebhook: (request) => handleWebhook(request),
    alerts,
    received,
    async close() {
      service.close();
      await sandbox.close();
      await notifier.close();
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    },
  };
}

/** A create input with a fresh transaction id. */
export function qrisInput(licenseKey: string, amount = 50_000) {
  return {
    transactionId: `TRX-${Math.random().toString(36).slice(2, 12)}`,
    amount,
    licenseKey,
    paymentType: 'QRIS' as const,
  };
}
