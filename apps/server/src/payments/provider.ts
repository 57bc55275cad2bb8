import {
  type Pakasir,
  PakasirApiError,
  PakasirError,
  PakasirValidationError,
  type TransactionStatus,
} from '@quickcart/pakasir';

/**
 * The upstream payment provider as the payment domain sees it, and its Pakasir implementation
 * over `@quickcart/pakasir` (real Pakasir or the sandbox: the same client in another mode). The
 * adapter maps Pakasir's statuses into our closed union and its errors into `ProviderError`s of
 * three kinds, so the domain never looks at HTTP statuses.
 */

/** A transaction's state upstream, in our words ("canceled" becomes "cancelled", "completed" "paid"). */
export type UpstreamStatus = 'pending' | 'paid' | 'expired' | 'cancelled';

/** How the domain names an upstream transaction: our order id, the amount, and Pakasir v2's txn id. */
export interface UpstreamRef {
  orderId: string;
  amount: number;
  /** Pakasir v2 addresses transactions by it; stored in `payments.upstream_txn_id`. */
  txnId?: string | null;
}

/** A created upstream QRIS transaction. */
export interface CreatedUpstream {
  orderId: string;
  /** The QRIS string to show (or render) to the payer. */
  qrContent: string;
  /** When the gateway stops accepting payment for it. */
  expiresAt: Date;
  /** The gateway's own id (Pakasir v2 `txn_id`). */
  txnId?: string;
}

/** A transaction's current state upstream. */
export interface UpstreamDetail {
  status: UpstreamStatus;
  /** The amount of the gateway's record, integer rupiah. */
  amount: number;
  completedAt: Date | null;
  /** True when the gateway marks it as a sandbox payment. */
  isSandbox?: boolean;
  /** How it was paid, when the gateway tells (e.g. "qris"). */
  paymentMethod?: string;
}

/**
 * Why a provider call failed: `not_found` (the gateway has no such transaction), `rejected` (it
 * refused: not cancellable, bad input), `unavailable` (no answer, a timeout, 429 or 5xx: may work
 * later). The message names the call, never a secret; `cause` keeps the client's error.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly kind: 'not_found' | 'rejected' | 'unavailable',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
  }
}

/** What the payment domain needs from a gateway. */
export interface PaymentProvider {
  /** For logs and event details, e.g. "pakasir". */
  readonly name: string;
  /** Whether payments the gateway marks as sandbox count as paid (true only in sandbox mode). */
  readonly acceptsSandboxPayments: boolean;
  /** Creates a QRIS transaction for `orderId` (our payment id) and `amount`. */
  createQris(input: { orderId: string; amount: number }): Promise<CreatedUpstream>;
  /** The transaction's current state. */
  detail(ref: UpstreamRef): Promise<UpstreamDetail>;
  /** Cancels a pending transaction. */
  cancel(ref: UpstreamRef): Promise<void>;
}

/** Pays an upstream transaction in sandbox mode, as a payer would (the webhook follows). */
export type Simulator = (ref: UpstreamRef) => Promise<void>;

/** Pakasir's status spelled our way. */
export function mapPakasirStatus(status: TransactionStatus): UpstreamStatus {
  switch (status) {
    case 'completed':
      return 'paid';
    case 'canceled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'pending':
      return 'pending';
    default:
      throw new ProviderError('rejected', `Pakasir answered an unknown status ${JSON.stringify(status)}`);
  }
}

/** A Pakasir client error as a ProviderError of the right kind. */
export function providerErrorOf(error: unknown, call: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = `pakasir ${call} failed: ${error instanceof Error ? error.message : String(error)}`;
  if (error instanceof PakasirApiError) {
    if (error.status === 404) return new ProviderError('not_found', message, { cause: error });
    const retryable = error.status === 429 || error.status >= 500 || error.status < 400;
    return new ProviderError(retryable ? 'unavailable' : 'rejected', message, { cause: error });
  }
  if (error instanceof PakasirValidationError)
    return new ProviderError('rejected', message, { cause: error });
  if (error instanceof PakasirError) return new ProviderError('unavailable', message, { cause: error });
  return new ProviderError('unavailable', message, { cause: error });
}

function orderRef(ref: UpstreamRef): { orderId: string; amount: number; txnId?: string } {
  return {
    orderId: ref.orderId,
    amount: ref.amount,
    ...(ref.txnId !== undefined && ref.txnId !== null && { txnId: ref.txnId }),
  };
}

/** Parses a Pakasir timestamp (RFC 3339 with up to nanoseconds, or WIB offsets). */
function parseTime(value: string, what: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new ProviderError('rejected', `Pakasir answered an unreadable ${what}: ${JSON.stringify(value)}`);
  return date;
}

/**
 * The Pakasir provider. The order id we send is our payment id; v2's `txn_id` comes back in
 * `CreatedUpstream.txnId` for the caller to store (the client's own memory of it is per process).
 * @example
 * const provider = pakasirProvider(new Pakasir({ project, apiKey, baseUrl: sandbox.url, mode: 'sandbox' }));
 * const { qrContent } = await provider.createQris({ orderId: 'pay_…', amount: 50_000 });
 */
export function pakasirProvider(client: Pakasir): PaymentProvider {
  return {
    name: 'pakasir',
    acceptsSandboxPayments: client.mode === 'sandbox',
    async createQris(input) {
      let created: Awaited<ReturnType<Pakasir['createQris']>>;
      try {
        created = await client.createQris(input);
      } catch (error) {
        throw providerErrorOf(error, `createQris for order ${input.orderId}`);
      }
      if (created.order_id !== input.orderId || typeof created.payment_number !== 'string') {
        throw new ProviderError(
          'rejected',
          `Pakasir answered createQris for ${input.orderId} with another order`,
        );
      }
      if (created.payment_number === '')
        throw new ProviderError(
          'rejected',
          `Pakasir answered createQris for ${input.orderId} without a QRIS`,
        );
      return {
        orderId: created.order_id,
        qrContent: created.payment_number,
        expiresAt: parseTime(created.expired_at, 'expired_at'),
        ...(created.txn_id !== undefined && { txnId: created.txn_id }),
      };
    },
    async detail(ref) {
      let detail: Awaited<ReturnType<Pakasir['transactionDetail']>>;
      try {
        detail = await client.transactionDetail(orderRef(ref));
      } catch (error) {
        throw providerErrorOf(error, `transactionDetail for order ${ref.orderId}`);
      }
      return {
        status: mapPakasirStatus(detail.status),
        amount: detail.amount,
        completedAt: detail.completed_at ? parseTime(detail.completed_at, 'completed_at') : null,
        ...(detail.is_sandbox !== undefined && { isSandbox: detail.is_sandbox }),
        ...(detail.payment_method !== undefined && { paymentMethod: detail.payment_method }),
      };
    },
    async cancel(ref) {
      try {
        await client.cancelTransaction(orderRef(ref));
      } catch (error) {
        throw providerErrorOf(error, `cancelTransaction for order ${ref.orderId}`);
      }
    },
  };
}

/** A simulator over Pakasir's `paymentsimulation` (the sandbox, or a sandbox project). */
export function pakasirSimulator(client: Pakasir): Simulator {
  return async (ref) => {
    try {
      await client.simulatePayment(orderRef(ref));
    } catch (error) {
      throw providerErrorOf(error, `simulatePayment for order ${ref.orderId}`);
    }
  };
}

/**
 * A simulator over an embedded sandbox's handle (`startSandbox()`): pays in process, and the
 * sandbox sends the webhook. Its HttpError 404/409 become ProviderErrors.
 */
export function sandboxSimulator(sandbox: { pay(id: string): unknown }): Simulator {
  return async (ref) => {
    try {
      sandbox.pay(ref.orderId);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const kind = status === 404 ? 'not_found' : status === 409 ? 'rejected' : 'unavailable';
      throw new ProviderError(
        kind,
        `sandbox pay for order ${ref.orderId} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  };
}
