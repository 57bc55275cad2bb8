/**
 * Logging and alerts of the payment domain. The domain takes a `Logger` (the subset of pino's API
 * it uses, so the HTTP layer can pass its pino instance) and an `AlertSink`: the place where
 * things a human must look at go (a payment reported paid after it expired, a wrong amount, a
 * webhook Pakasir does not confirm). For now alerts are log lines at error level.
 */

/** The part of a pino logger the domain uses: `logger.warn({ payment_id }, 'message')`. */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything (the default of library calls and tests). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** What a human must look at. */
export type AlertKind =
  /** The gateway reports a payment completed after it expired, was cancelled or failed. */
  | 'paid_late'
  /** The gateway (or a webhook) reports another amount than the payment asked for. */
  | 'amount_mismatch'
  /** A webhook said "completed" but Pakasir's own record does not confirm it. */
  | 'webhook_unconfirmed'
  /** The gateway reports a sandbox payment while QuickCart runs live. */
  | 'sandbox_payment_in_live'
  /** The store credited a late or mismatched payment to the buyer's balance (store/stray.ts). */
  | 'balance_credited';

/** One alert: a kind, the payment, a sentence for humans, and machine-readable detail. */
export interface Alert {
  kind: AlertKind;
  paymentId: string;
  message: string;
  detail?: Record<string, unknown>;
}

/** Where alerts go. Must not throw; it is called after the database change is committed. */
export type AlertSink = (alert: Alert) => void;

/**
 * The default alert sink: one line at error level per alert, with `alert: <kind>` so that log
 * based alerting can match it.
 * @example const alerts = logAlerts(app.log); alerts({ kind: 'paid_late', paymentId, message: '…' });
 */
export function logAlerts(logger: Logger): AlertSink {
  return (alert) => {
    logger.error({ alert: alert.kind, payment_id: alert.paymentId, ...alert.detail }, alert.message);
  };
}
