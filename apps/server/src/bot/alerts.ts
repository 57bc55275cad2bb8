import { eq } from 'drizzle-orm';
import type { Api } from 'grammy';
import { storeOrders } from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { Alert, AlertSink, Logger } from '../payments/alerts.js';
import type { Messages } from './messages/index.js';

/**
 * Messages to the admins (ADMIN_TELEGRAM_IDS): the payment domain's alerts (paid late, amount
 * mismatch…), the gateway being down (seed 003), orders that cannot be delivered. The same
 * notice is sent at most once per `quietMs` (a gateway outage must not flood the admins).
 */
export interface AdminAlerts {
  /** The payment domain's AlertSink; never throws. */
  sink: AlertSink;
  /** Sends `text` to every admin unless `key` was sent within `quietMs`. */
  notice(text: string, key?: string): void;
  /** Resolves when every alert sent so far is done (tests, shutdown). */
  idle(): Promise<void>;
}

export interface AdminAlertsOptions {
  api: Api;
  db: Db;
  adminIds: readonly number[];
  messages: Messages;
  logger: Logger;
  redact: (error: unknown) => string;
  quietMs?: number;
  now?: () => number;
}

export function createAdminAlerts(options: AdminAlertsOptions): AdminAlerts {
  const { api, db, adminIds, messages: t, logger, redact } = options;
  const quietMs = options.quietMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const lastSent = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();

  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const send = async (text: string) => {
    for (const adminId of adminIds) {
      await api.sendMessage(adminId, text).catch((error: unknown) => {
        logger.warn({ admin_id: adminId, err: redact(error) }, 'could not alert an admin');
      });
    }
  };

  const notice = (text: string, key?: string) => {
    if (adminIds.length === 0) return;
    if (key !== undefined) {
      const at = now();
      const last = lastSent.get(key);
      if (last !== undefined && at - last < quietMs) return;
      lastSent.set(key, at);
    }
    track(send(text));
  };

  const describe = async (alert: Alert): Promise<string> => {
    const [order] = await db
      .select({ id: storeOrders.id })
      .from(storeOrders)
      .where(eq(storeOrders.paymentId, alert.paymentId))
      .catch(() => []);
    const orderId = order?.id ?? null;
    if (alert.kind === 'paid_late') return t.alertPaidLate(alert.paymentId, orderId, alert.message);
    if (alert.kind === 'amount_mismatch')
      return t.alertAmountMismatch(alert.paymentId, orderId, alert.message);
    return t.alertOther(alert.kind, alert.paymentId, alert.message);
  };

  return {
    notice,
    sink(alert) {
      if (adminIds.length === 0) return;
      track(
        describe(alert).then(
          (text) => notice(text, `${alert.kind}:${alert.paymentId}`),
          (error: unknown) => logger.warn({ err: redact(error) }, 'could not describe an alert'),
        ),
      );
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
