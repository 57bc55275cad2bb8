import { and, desc, eq, or, sql } from 'drizzle-orm';
import { rawQuery, rawScript, rowMapper } from '../db/raw.js';
import { licenses, type Payment, payments } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { type AlertSink, type Logger, logAlerts, silentLogger } from './alerts.js';
import type { PaymentDetailsInput, PaymentService } from './contract.js';
import { INSERT_PAYMENT, insertPaymentValues, STORE_UPSTREAM } from './create-statements.js';
import { QuickCartError } from './errors.js';
import { isId, newId } from './ids.js';
import { hashLicenseKey } from './keys.js';
import { debitStep, findLicenseByKey, noDebitError } from './licenses.js';
import type { PaymentNotifier } from './notifier.js';
import { type PaymentProvider, ProviderError, type Simulator, type UpstreamRef } from './provider.js';
import { PaymentReadCache } from './read-cache.js';
import { failAndRefund, loadPayment, settleCompleted } from './settle.js';
import { transition } from './state.js';
import { checkCreateInput, checkLicenseKey } from './validate.js';
import { toView } from './view.js';
import { PaymentWaiters } from './waiters.js';

/** The longest a `wait()` may last (the API's `timeout_ms` is at most 60 s). */
export const MAX_WAIT_MS = 60_000;

/** Options of `createPaymentService()`. */
export interface PaymentServiceOptions {
  db: Db;
  provider: PaymentProvider;
  notifier: PaymentNotifier;
  /** This service's public base URL (QR image and checkout page links). */
  publicUrl: string;
  /** The clock of expiry and reconciliation times (default: the system clock). */
  now?: () => Date;
  /** Sandbox mode only: pays a payment upstream (`sandboxSimulator(handle)` or `pakasirSimulator(client)`). */
  simulate?: Simulator;
  logger?: Logger;
  /** Default: `logAlerts(logger)`. */
  alerts?: AlertSink;
  /** When the reconciler first asks the gateway about a new payment (default 15 s after creation). */
  reconcileFirstDelayMs?: number;
  /** How long `simulate()` waits for the webhook to mark the payment paid (default 5 s). */
  simulateWaitMs?: number;
  /** Serve status reads from a `PaymentReadCache` (default true). */
  readCache?: boolean;
}

const toPayment = rowMapper(payments);

const upstreamRef = (row: Payment): UpstreamRef => ({
  orderId: row.orderId,
  amount: row.amount,
  txnId: row.upstreamTxnId,
});

/**
 * The payment service of ARCHITECTURE.md "Data flow of one payment": one DB transaction (insert
 * the payment, debit a token, record the event), then the upstream QRIS outside it; status changes
 * through the state machine; waits driven by the notifier.
 * @example
 * const payments = createPaymentService({ db, provider: pakasirProvider(client), notifier, publicUrl });
 * const payment = await payments.create(partnerId, { transactionId: 'INV-1', amount: 50_000, licenseKey, paymentType: 'QRIS' });
 */
export function createPaymentService(options: PaymentServiceOptions): PaymentService {
  const { db, provider, notifier } = options;
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const alerts = options.alerts ?? logAlerts(logger);
  const reconcileFirstDelayMs = options.reconcileFirstDelayMs ?? 15_000;
  const waiters = new PaymentWaiters({ notifier, logger, readRow: (id) => loadPayment(db, id) });

  const cache = options.readCache === false ? null : new PaymentReadCache(notifier);
  // Built once: status reads are the hottest query, and Drizzle would rebuild its SQL per call.
  const findStatement = db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.partnerId, sql.placeholder('partnerId')),
        or(eq(payments.id, sql.placeholder('key')), eq(payments.transactionId, sql.placeholder('key'))),
      ),
    )
    // An exact id wins; then, of one transaction id's payments, the one that did not fail, then the newest.
    .orderBy(
      sql`${payments.id} = ${sql.placeholder('key')} desc`,
      sql`${payments.status} = 'failed'`,
      desc(payments.createdAt),
    )
    .limit(1)
    .prepare('quickcart_find_payment');
  const runQuery = rawQuery(db);

  /** The partner's payment by id or transaction id (an exact id wins); NOT_FOUND otherwise. */
  async function find(partnerId: string, idOrTransactionId: string): Promise<Payment> {
    const [row] = await findStatement.execute({ partnerId, key: idOrTransactionId });
    if (!row) {
      throw new QuickCartError('NOT_FOUND', {
        message: `payment ${idOrTransactionId} not found`,
        details: { id: idOrTransactionId },
      });
    }
    return row;
  }

  // A license key names one license of one partner for good (licenses are never deleted or moved),
  // so a known key skips a query; its balance and expiry are checked by the debit itself.
  const licenseIds = new Map<string, string>();
  async function licenseIdFor(partnerId: string, key: string): Promise<string> {
    const cacheKey = `${partnerId}\u0000${hashLicenseKey(key)}`;
    const known = licenseIds.get(cacheKey);
    if (known) return known;
    const license = await findLicenseByKey(db, { key, partnerId });
    if (licenseIds.size >= 10_000) licenseIds.clear();
    licenseIds.set(cacheKey, license.id);
    return license.id;
  }

  /** The transaction of `create`: payment row, creation event, token debit. */
  async function insertAndDebit(partnerId: string, input: PaymentDetailsInput, licenseId: string) {
    const id = newId('payment');
    const createdAt = now();
    const values = insertPaymentValues(id, { partnerId, licenseId }, input, {
      createdAt,
      reconcileAfter: new Date(createdAt.getTime() + reconcileFirstDelayMs),
    });
    const outcome = await rawScript(db, [
      { statement: INSERT_PAYMENT, values, required: true },
      debitStep({ licenseId, paymentId: id }), // last: it holds the license row lock until COMMIT
    ]);
    if (outcome.committed) return toPayment(outcome.rows[0]?.[0] as Record<string, unknown>);
    if (outcome.stoppedAt === 0) {
      throw new QuickCartError('DUPLICATE_TRANSACTION', {
        message: `a payment with transaction_id ${input.transactionId} already exists`,
        details: { transaction_id: input.transactionId },
      });
    }
    throw noDebitError(licenseId, outcome.explained);
  }

  /** The rest of a create once its license is known: insert and debit, then the upstream QRIS. */
  async function createPaid(partnerId: string, input: PaymentDetailsInput, licenseId: string) {
    const row = await insertAndDebit(partnerId, input, licenseId);
    let created: Awaited<ReturnType<PaymentProvider['createQris']>>;
    try {
      created = await provider.createQris({ orderId: row.orderId, amount: row.amount });
    } catch (error) {
      return gatewayFailed(row, error);
    }
    // The QR is payable until the earlier of our expiry and the gateway's.
    const generation = cache?.generation ?? 0;
    const [changed] = await runQuery<{ status: Payment['status']; expires_at: Date; updated_at: Date }>(
      STORE_UPSTREAM,
      [row.id, created.qrContent, created.txnId ?? null, created.expiresAt.toISOString()],
    );
    const stored: Payment | undefined = changed && {
      ...row,
      qrContent: created.qrContent,
      upstreamTxnId: created.txnId ?? null,
      status: changed.status,
      expiresAt: new Date(changed.expires_at),
      updatedAt: new Date(changed.updated_at),
    };
    if (!stored || stored.status === 'failed') {
      // The reconciler gave up on it while the gateway was answering (it had refunded already).
      throw new QuickCartError('GATEWAY_ERROR', {
        message: `the payment gateway answered too late for payment ${row.id}; the token was refunded`,
        details: { payment_id: row.id, upstream: provider.name },
      });
    }
    cache?.remember(stored, generation);
    return toView(stored);
  }

  const ownedLicenses = new Set<string>();
  /** INVALID_LICENSE unless the license belongs to the partner (remembered: that never changes). */
  async function checkLicenseOwner(partnerId: string, licenseId: string): Promise<void> {
    const pair = `${partnerId}\u0000${licenseId}`;
    if (ownedLicenses.has(pair)) return;
    const [owned] = await db
      .select({ id: licenses.id })
      .from(licenses)
      .where(and(eq(licenses.id, licenseId), eq(licenses.partnerId, partnerId)));
    if (!owned) throw new QuickCartError('INVALID_LICENSE', { details: { license_id: licenseId } });
    if (ownedLicenses.size >= 10_000) ownedLicenses.clear();
    ownedLicenses.add(pair);
  }

  /** The gateway failed: the payment fails, its token comes back, and the caller gets a 502. */
  async function gatewayFailed(row: Payment, error: unknown): Promise<never> {
    const reason = error instanceof Error ? error.message : String(error);
    await failAndRefund(db, row, {
      source: 'api',
      detail: { reason: 'upstream create failed', error: reason },
    });
    logger.warn({ payment_id: row.id, err: reason }, 'upstream QRIS creation failed; token refunded');
    throw new QuickCartError('GATEWAY_ERROR', {
      message: `the payment gateway failed to create payment ${row.id}; the token was refunded`,
      details: { payment_id: row.id, upstream: provider.name },
      cause: error,
    });
  }

  return {
    async create(partnerId, input) {
      checkCreateInput(input);
      checkLicenseKey(input.licenseKey);
      return createPaid(partnerId, input, await licenseIdFor(partnerId, input.licenseKey));
    },

    async createForLicense(partnerId, licenseId, input) {
      checkCreateInput(input);
      await checkLicenseOwner(partnerId, licenseId);
      return createPaid(partnerId, input, licenseId);
    },

    async get(partnerId, idOrTransactionId) {
      if (!cache) return toView(await find(partnerId, idOrTransactionId));
      const cached = cache.lookup(partnerId, idOrTransactionId, isId('payment', idOrTransactionId));
      if (cached) return toView(cached);
      const generation = cache.generation;
      const row = await find(partnerId, idOrTransactionId);
      cache.remember(row, generation);
      return toView(row);
    },

    async wait(partnerId, id, waitOptions) {
      const timeoutMs = Math.min(Math.max(0, Number(waitOptions.timeoutMs) || 0), MAX_WAIT_MS);
      const paymentId = isId('payment', id) ? id : (await find(partnerId, id)).id;
      const { row, timeout } = await waiters.wait(paymentId, () => find(partnerId, id), {
        timeoutMs,
        signal: waitOptions.signal,
      });
      return { payment: toView(row), timeout };
    },

    async subscribe(partnerId, id, listener) {
      const paymentId = isId('payment', id) ? id : (await find(partnerId, id)).id;
      return waiters.subscribe(
        paymentId,
        () => find(partnerId, id),
        (row) => listener(toView(row)),
      );
    },

    close() {
      cache?.close();
    },

    async cancel(partnerId, id) {
      const row = await find(partnerId, id);
      if (row.status === 'cancelled') return toView(row);
      if (row.status !== 'pending') {
        throw new QuickCartError('CONFLICT', {
          message: `payment ${row.id} is ${row.status} and cannot be cancelled`,
          details: { payment_id: row.id, status: row.status },
        });
      }
      try {
        await provider.cancel(upstreamRef(row));
      } catch (error) {
        await cancelRefused(row, error);
      }
      await db.transaction((tx) => transition(tx, row.id, 'cancelled', { source: 'api' }));
      const after = await loadPayment(db, row.id);
      if (after.status !== 'cancelled') {
        throw new QuickCartError('CONFLICT', {
          message: `payment ${row.id} became ${after.status} before it could be cancelled`,
          details: { payment_id: row.id, status: after.status },
        });
      }
      return toView(after);
    },

    async simulate(partnerId, id) {
      const simulate = options.simulate;
      if (!simulate) {
        throw new QuickCartError('FORBIDDEN', {
          message: 'simulating a payment is only possible in sandbox mode',
        });
      }
      const row = await find(partnerId, id);
      if (row.status !== 'pending') {
        throw new QuickCartError('CONFLICT', {
          message: `payment ${row.id} is ${row.status}, only a pending payment can be paid`,
          details: { payment_id: row.id, status: row.status },
        });
      }
      try {
        await simulate(upstreamRef(row));
      } catch (error) {
        const rejected = error instanceof ProviderError && error.kind !== 'unavailable';
        throw new QuickCartError(rejected ? 'CONFLICT' : 'GATEWAY_ERROR', {
          message: `the sandbox could not pay payment ${row.id}: ${(error as Error).message}`,
          details: { payment_id: row.id },
          cause: error,
        });
      }
      // The webhook travels the real path (sandbox → POST /webhooks/pakasir → state machine).
      const { row: after } = await waiters.wait(row.id, () => find(partnerId, row.id), {
        timeoutMs: options.simulateWaitMs ?? 5000,
      });
      return toView(after);
    },
  };

  /**
   * Upstream refused to cancel. When it is because the payer just paid, record the payment and
   * answer CONFLICT; when the gateway never had the transaction, cancel locally; otherwise 502.
   */
  async function cancelRefused(row: Payment, error: unknown): Promise<void> {
    if (error instanceof ProviderError && error.kind === 'not_found') return;
    if (error instanceof ProviderError && error.kind === 'rejected') {
      const detail = await provider.detail(upstreamRef(row)).catch(() => null);
      if (detail?.status === 'paid' && (!detail.isSandbox || provider.acceptsSandboxPayments)) {
        await settleCompleted(db, row, {
          paidAmount: detail.amount,
          paidAt: detail.completedAt,
          source: 'api',
          detail: { order_id: row.orderId, upstream_status: detail.status, during: 'cancel' },
          alerts,
        });
        throw new QuickCartError('CONFLICT', {
          message: `payment ${row.id} was paid upstream and cannot be cancelled`,
          details: { payment_id: row.id, status: 'paid' },
        });
      }
      if (detail && detail.status !== 'pending') return; // expired or cancelled upstream: cancel here too
    }
    throw new QuickCartError('GATEWAY_ERROR', {
      message: `the payment gateway failed to cancel payment ${row.id}; nothing changed`,
      details: { payment_id: row.id, upstream: provider.name },
      cause: error,
    });
  }
}
