import {
  type Pakasir,
  PakasirWebhookError,
  parseWebhook,
  type RawBody,
  type WebhookEvent,
  type WebhookHeaders,
} from '@quickcart/pakasir';
import type { Db } from '../db/types.js';
import { type AlertSink, type Logger, logAlerts, silentLogger } from '../payments/alerts.js';
import { QuickCartError } from '../payments/errors.js';
import { providerErrorOf } from '../payments/provider.js';
import { findByOrderId, type SettleOutcome, settleCompleted } from '../payments/settle.js';

/**
 * Inbound Pakasir webhooks (`POST /webhooks/pakasir`), ARCHITECTURE.md "Webhooks":
 * 1. parse the raw body; with PAKASIR_WEBHOOK_SECRET set, verify `X-Pakasir-Signature` (v1) or
 *    `X-Secret` (v2) in constant time;
 * 2. find the payment by order id (the id we gave Pakasir);
 * 3. never trust the body: a different amount is recorded as `amount_mismatch` (not paid, alert);
 *    otherwise Pakasir's own record is read back (`confirmWebhook`: project, order, amount,
 *    status completed) before anything is marked paid;
 * 4. settle through the state machine: paid, duplicate (idempotent), or paid late (alert).
 *
 * The route answers 200 with the returned result, and a thrown QuickCartError's status otherwise:
 * 400 malformed body, 401 bad signature (Pakasir's retries will not help, but a forger learns
 * nothing), 409 not confirmed by Pakasir (it may be early: Pakasir retries, the reconciler also
 * catches it), 502 Pakasir unreachable while confirming (retry later).
 *
 * An order id we do not know is answered 200 and ignored with a warning. The payment row is
 * committed before Pakasir hears of the order, so a webhook cannot outrun it: an unknown order is
 * not ours (another application sharing the Pakasir project, or a stale test), and a non-2xx
 * answer would only make Pakasir retry something that can never succeed.
 */

/** What one webhook did, for the route to log. */
export type PakasirWebhookResult =
  | { outcome: SettleOutcome; paymentId: string; orderId: string }
  | { outcome: 'ignored'; reason: 'unknown_order' | 'not_completed'; orderId: string; paymentId?: string };

/** The request as the route hands it over: the exact bytes received and the headers. */
export interface PakasirWebhookRequest {
  rawBody: RawBody;
  headers: WebhookHeaders;
}

/** Options of `createPakasirWebhookHandler()`. */
export interface PakasirWebhookOptions {
  db: Db;
  /** The client that confirms webhooks (`confirmWebhook` re-reads the transaction). */
  pakasir: Pakasir;
  /** PAKASIR_WEBHOOK_SECRET; unset or empty: signatures are not checked (log says so once). */
  secret?: string | undefined;
  logger?: Logger;
  /** Default: `logAlerts(logger)`. */
  alerts?: AlertSink;
}

/**
 * Builds the handler of Pakasir's webhooks.
 * @example
 * const handlePakasirWebhook = createPakasirWebhookHandler({ db, pakasir, secret: config.pakasir.webhookSecret });
 * app.post('/webhooks/pakasir', async (req) => handlePakasirWebhook({ rawBody: req.rawBody, headers: req.headers }));
 */
export function createPakasirWebhookHandler(
  options: PakasirWebhookOptions,
): (request: PakasirWebhookRequest) => Promise<PakasirWebhookResult> {
  const { db, pakasir } = options;
  const logger = options.logger ?? silentLogger;
  const alerts = options.alerts ?? logAlerts(logger);
  const secret = options.secret === '' ? undefined : options.secret;
  if (secret === undefined)
    logger.warn({}, 'PAKASIR_WEBHOOK_SECRET is not set: webhook signatures are not checked');

  return async function handlePakasirWebhook(request) {
    const event = await parse(request, secret);
    const { orderId } = event;
    const payment = await findByOrderId(db, orderId);
    if (!payment) {
      logger.warn({ order_id: orderId }, 'Pakasir webhook for an unknown order ignored');
      return { outcome: 'ignored', reason: 'unknown_order', orderId };
    }
    const base = { paymentId: payment.id, orderId };
    if (event.status !== 'completed') {
      logger.info(
        { payment_id: payment.id, status: event.status },
        'Pakasir webhook that is not a payment ignored',
      );
      return { outcome: 'ignored', reason: 'not_completed', ...base };
    }
    const detail = { order_id: orderId, webhook_version: event.version };
    if (payment.status === 'paid' || payment.paidLate) return { outcome: 'duplicate', ...base };
    if (event.amount !== payment.amount) {
      const outcome = await settleCompleted(db, payment, {
        paidAmount: event.amount,
        paidAt: null,
        source: 'webhook',
        detail,
        alerts,
      });
      return { outcome, ...base };
    }
    let confirmed: Awaited<ReturnType<Pakasir['confirmWebhook']>>;
    try {
      // Pakasir's record is read by the txn_id we stored at creation, not the one the body names.
      const asStored: WebhookEvent = payment.upstreamTxnId
        ? { ...event, txnId: payment.upstreamTxnId }
        : event;
      confirmed = await pakasir.confirmWebhook(asStored, { orderId, amount: payment.amount });
    } catch (error) {
      if (error instanceof PakasirWebhookError) {
        alerts({
          kind: 'webhook_unconfirmed',
          paymentId: payment.id,
          message: `a Pakasir webhook for payment ${payment.id} was not confirmed: ${error.message}`,
          detail,
        });
        throw new QuickCartError('CONFLICT', {
          message: `webhook for order ${orderId} not confirmed by Pakasir`,
          details: { order_id: orderId },
          cause: error,
        });
      }
      const failure = providerErrorOf(error, `confirmWebhook for order ${orderId}`);
      throw new QuickCartError('GATEWAY_ERROR', {
        message: `could not confirm the webhook for order ${orderId} with Pakasir; retry later`,
        details: { order_id: orderId },
        cause: failure,
      });
    }
    const outcome = await settleCompleted(db, payment, {
      paidAmount: confirmed.amount,
      paidAt: confirmed.completed_at ? new Date(confirmed.completed_at) : null,
      ...(confirmed.payment_method !== undefined && {
        payerInfo: { payment_method: confirmed.payment_method },
      }),
      source: 'webhook',
      detail,
      alerts,
    });
    if (outcome === 'paid') logger.info({ payment_id: payment.id }, 'payment paid (Pakasir webhook)');
    return { outcome, ...base };
  };
}

/**
 * The typed event, or a QuickCartError: VALIDATION_ERROR (400) when the body is no webhook,
 * UNAUTHORIZED (401) when the signature or secret is missing or wrong. The body is parsed once
 * without the secret to tell the two apart.
 */
async function parse(request: PakasirWebhookRequest, secret: string | undefined): Promise<WebhookEvent> {
  let event: WebhookEvent;
  try {
    event = await parseWebhook(request.rawBody, request.headers);
  } catch (error) {
    throw new QuickCartError('VALIDATION_ERROR', {
      message: error instanceof Error ? error.message : 'the Pakasir webhook body is malformed',
      cause: error,
    });
  }
  if (secret === undefined) return event;
  try {
    return await parseWebhook(request.rawBody, request.headers, { secret });
  } catch (error) {
    throw new QuickCartError('UNAUTHORIZED', {
      message: error instanceof Error ? error.message : 'the Pakasir webhook signature is invalid',
      cause: error,
    });
  }
}
