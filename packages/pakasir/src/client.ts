import { PakasirApiError, PakasirError, PakasirValidationError, PakasirWebhookError } from './errors.js';
import { assertAmount, assertMethod, estimateFee } from './fees.js';
import { defaultSleep, type FetchLike, type HttpOptions, type RetryPolicy, send } from './http.js';
import { buildPayUrl, type PayUrlOptions } from './pay-url.js';
import {
  type ApiVersion,
  type Metadata,
  type PaymentMethod,
  type TransactionStatus,
  V1_PATHS,
  type V1ActionResponse,
  type V1CreateResponse,
  type V1DetailResponse,
  type V1Payment,
  V2_API_KEY_HEADER,
  V2_PATHS,
  V2_STATUS_INTERVAL_MS,
  type V2CancelResponse,
  type V2FeeResponse,
  type V2StatusResponse,
  type V2Transaction,
} from './protocol.js';
import { assertOrderId } from './validate.js';
import { type WaitOptions, waitForStatus } from './wait.js';
import type { WebhookEvent } from './webhook.js';

export interface PakasirOptions {
  /** Project slug. */
  project: string;
  apiKey: string;
  /** API host, default https://app.pakasir.com. */
  baseUrl?: string;
  /** Custom domain for pay URLs, e.g. https://pots.my.id (default: baseUrl). */
  publicDomain?: string;
  /** v2 (default) or v1, the API of seed 001 that Pakasir retires on 20 October 2026. */
  apiVersion?: ApiVersion;
  /** "live" (default) refuses payments Pakasir marks as sandbox; "sandbox" accepts them. */
  mode?: 'live' | 'sandbox';
  /** Per-request timeout, default 15 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt, default 2. */
  maxRetries?: number;
  /** Default `globalThis.fetch`; anything answering its calls with a `FetchAnswer` will do. */
  fetch?: FetchLike;
  /** Secret for `parseWebhook` (X-Pakasir-Signature for v1, X-Secret for v2). */
  webhookSecret?: string;
}

export interface OrderRef {
  orderId: string;
  amount: number;
  /** v2's transaction id; remembered from `createTransaction` when omitted. */
  txnId?: string;
}

/** A created transaction, shaped as seed 001's `payment`, plus what v2 adds. */
export interface CreatedTransaction extends V1Payment {
  txn_id?: string;
  payment_link?: string;
  is_sandbox?: boolean;
  status?: TransactionStatus;
}

/** A transaction's current state, shaped as seed 001's `transaction`, plus what v2 adds. */
export interface TransactionDetail {
  amount: number;
  order_id: string;
  project: string;
  status: TransactionStatus;
  payment_method?: PaymentMethod;
  completed_at: string | null;
  txn_id?: string;
  is_sandbox?: boolean;
}

export interface HealthResult {
  ok: boolean;
  /** HTTP status when Pakasir answered. */
  status?: number;
  latencyMs: number;
  error?: string;
}

const DEFAULT_BASE_URL = 'https://app.pakasir.com';
/** How many order id → txn_id pairs a client remembers at least (v2); older ones need an explicit txnId. */
const REMEMBERED_TXN_IDS = 10_000;

/**
 * Client for Pakasir's v1 and v2 APIs behind one interface. Zero dependencies: web-standard
 * fetch, AbortSignal and WebCrypto; runs on Node >= 20, Deno, Bun and edge runtimes.
 * @example
 * const pakasir = new Pakasir({ project: 'depodomain', apiKey: process.env.PAKASIR_API_KEY });
 * const payment = await pakasir.createQris({ orderId: 'INV-1001', amount: 99000 });
 * payment.payment_number; // the QRIS string to draw
 */
export class Pakasir {
  readonly project: string;
  readonly apiVersion: ApiVersion;
  readonly mode: 'live' | 'sandbox';
  readonly baseUrl: string;
  readonly publicDomain: string;
  readonly webhookSecret: string | undefined;
  readonly #apiKey: string;
  readonly #http: HttpOptions;
  /**
   * v2 addresses transactions by txn_id; the latest created ones are remembered by order id, in
   * two generations: when the newer one is full it becomes the older one. (Evicting a Map's
   * oldest entry one by one made every create scan the deleted entries at the Map's front.)
   */
  #txnIds = new Map<string, string>();
  #olderTxnIds = new Map<string, string>();

  constructor(options: PakasirOptions) {
    if (!options || typeof options.project !== 'string' || options.project === '') {
      throw new PakasirValidationError('project (the Pakasir project slug) is required');
    }
    if (typeof options.apiKey !== 'string' || options.apiKey === '')
      throw new PakasirValidationError('apiKey is required');
    const apiVersion = options.apiVersion ?? 'v2';
    if (apiVersion !== 'v1' && apiVersion !== 'v2')
      throw new PakasirValidationError(`apiVersion must be v1 or v2, got ${String(apiVersion)}`);
    this.project = options.project;
    this.#apiKey = options.apiKey;
    this.apiVersion = apiVersion;
    this.mode = options.mode ?? 'live';
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.publicDomain = (options.publicDomain ?? this.baseUrl).replace(/\/+$/, '');
    this.webhookSecret = options.webhookSecret;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function')
      throw new PakasirValidationError('no fetch available: pass options.fetch');
    this.#http = {
      baseUrl: this.baseUrl,
      timeoutMs: options.timeoutMs ?? 15_000,
      maxRetries: options.maxRetries ?? 2,
      fetch: fetchImpl,
    };
  }

  /** Never shows the api key, e.g. in console.log(client). */
  toJSON() {
    return {
      project: this.project,
      apiVersion: this.apiVersion,
      mode: this.mode,
      baseUrl: this.baseUrl,
      apiKey: '[redacted]',
    };
  }

  #v1Credentials(ref: OrderRef) {
    return { project: this.project, order_id: ref.orderId, amount: ref.amount, api_key: this.#apiKey };
  }

  #v2Headers() {
    return { [V2_API_KEY_HEADER]: this.#apiKey };
  }

  #request(
    method: 'GET' | 'POST',
    path: string,
    retry: RetryPolicy,
    extra: {
      body?: unknown;
      query?: Record<string, string>;
      headers?: Record<string, string>;
      signal?: AbortSignal | undefined;
      timeoutMs?: number;
    } = {},
  ) {
    return send(this.#http, { method, path, retry, ...extra });
  }

  /** Keeps at least the newest REMEMBERED_TXN_IDS ids: enough for waits right after create, bounded for long-running servers. */
  #remember(orderId: string, txnId: string): void {
    this.#txnIds.set(orderId, txnId);
    if (this.#txnIds.size >= REMEMBERED_TXN_IDS) {
      this.#olderTxnIds = this.#txnIds;
      this.#txnIds = new Map();
    }
  }

  #txnId(ref: OrderRef): string {
    const txnId = ref.txnId ?? this.#txnIds.get(ref.orderId) ?? this.#olderTxnIds.get(ref.orderId);
    if (!txnId) {
      throw new PakasirValidationError(
        `v2 addresses transactions by txn_id: pass the txnId createTransaction returned for order ${ref.orderId}`,
      );
    }
    return txnId;
  }

  /**
   * Creates a transaction (seed 001 `transactioncreate`, or v2 `create-transaction`). Creating the
   * same order id again returns the same transaction in v2, so v2 creates are retried; v1 creates
   * are retried only when Pakasir surely did not receive them.
   */
  async createTransaction(
    method: PaymentMethod,
    input: { orderId: string; amount: number; metadata?: Metadata },
    options: { signal?: AbortSignal } = {},
  ): Promise<CreatedTransaction> {
    assertMethod(method);
    assertOrderId(input.orderId);
    assertAmount(input.amount);
    const metadata = input.metadata === undefined ? {} : { metadata: input.metadata };
    if (this.apiVersion === 'v1') {
      const body = await this.#request('POST', V1_PATHS.create(method), 'unsafe', {
        body: { ...this.#v1Credentials(input), ...metadata },
        signal: options.signal,
      });
      return expectShape<V1CreateResponse>(body, 'payment', 'transactioncreate').payment;
    }
    const body = await this.#request('POST', V2_PATHS.create(this.project, input.orderId), 'idempotent', {
      body: { method, amount: input.amount, ...metadata },
      headers: this.#v2Headers(),
      signal: options.signal,
    });
    const txn = expectShape<V2Transaction>(body, 'txn_id', 'create-transaction');
    this.#remember(txn.order_id, txn.txn_id);
    return {
      project: txn.project,
      order_id: txn.order_id,
      amount: txn.amount,
      fee: txn.fee,
      total_payment: txn.total_payment,
      payment_method: method,
      payment_number: txn.qr_string ?? txn.va_number ?? '',
      expired_at: txn.expired_at,
      txn_id: txn.txn_id,
      payment_link: txn.payment_link,
      is_sandbox: txn.is_sandbox,
      status: txn.status,
    };
  }

  /** `createTransaction('qris', …)`: `payment_number` is the QRIS string. */
  createQris(
    input: { orderId: string; amount: number; metadata?: Metadata },
    options: { signal?: AbortSignal } = {},
  ) {
    return this.createTransaction('qris', input, options);
  }

  /** The transaction's current state (v1 `transactiondetail`, v2 `transaction-status`). */
  async transactionDetail(ref: OrderRef, options: { signal?: AbortSignal } = {}): Promise<TransactionDetail> {
    assertOrderId(ref.orderId);
    assertAmount(ref.amount);
    if (this.apiVersion === 'v1') {
      const query = Object.fromEntries(
        Object.entries(this.#v1Credentials(ref)).map(([k, v]) => [k, String(v)]),
      );
      const body = await this.#request('GET', V1_PATHS.detail, 'idempotent', {
        query,
        signal: options.signal,
      });
      const { transaction } = expectShape<V1DetailResponse>(body, 'transaction', 'transactiondetail');
      return { ...transaction, completed_at: transaction.completed_at ?? null };
    }
    const body = await this.#request('GET', V2_PATHS.status(this.project, this.#txnId(ref)), 'idempotent', {
      headers: this.#v2Headers(),
      signal: options.signal,
    });
    const status = expectShape<V2StatusResponse>(body, 'txn_id', 'transaction-status');
    return { ...status, project: this.project };
  }

  /** Cancels a pending transaction. */
  async cancelTransaction(ref: OrderRef, options: { signal?: AbortSignal } = {}): Promise<void> {
    assertOrderId(ref.orderId);
    assertAmount(ref.amount);
    if (this.apiVersion === 'v1') {
      const body = await this.#request('POST', V1_PATHS.cancel, 'unsafe', {
        body: this.#v1Credentials(ref),
        signal: options.signal,
      });
      expectSuccess(body as V1ActionResponse, 'transactioncancel');
      return;
    }
    const body = await this.#request('POST', V2_PATHS.cancel(this.project, this.#txnId(ref)), 'unsafe', {
      headers: this.#v2Headers(),
      signal: options.signal,
    });
    expectShape<V2CancelResponse>(body, 'status', 'cancel-transaction');
  }

  /** Pays a transaction of a sandbox project (seed 001 `paymentsimulation`), to test webhooks. */
  async simulatePayment(ref: OrderRef, options: { signal?: AbortSignal } = {}): Promise<void> {
    assertOrderId(ref.orderId);
    assertAmount(ref.amount);
    const body = await this.#request('POST', V1_PATHS.simulate, 'idempotent', {
      body: this.#v1Credentials(ref),
      signal: options.signal,
    });
    expectSuccess(body as V1ActionResponse, 'paymentsimulation');
  }

  /** The fee of each method for `amount`, from v2's public payment-fee endpoint. */
  async fees(amount: number, options: { signal?: AbortSignal } = {}): Promise<V2FeeResponse['fees']> {
    assertAmount(amount);
    const body = await this.#request('GET', V2_PATHS.fee(amount), 'idempotent', { signal: options.signal });
    return expectShape<V2FeeResponse>(body, 'fees', 'payment-fee').fees;
  }

  /** Offline fee estimate: exact for QRIS (seed 003), table-based for the others. */
  estimateFee(method: PaymentMethod, amount: number): number {
    return estimateFee(method, amount);
  }

  /** The hosted payment page URL, on the custom domain when one is configured. */
  payUrl(options: PayUrlOptions): string {
    return buildPayUrl(this.publicDomain, this.project, options);
  }

  /**
   * Resolves with the completed transaction; rejects with PaymentExpiredError (expired or
   * canceled), PaymentTimeoutError, or the signal's reason. Polls no faster than Pakasir allows:
   * every `intervalMs` (default 3 s; v2 at least 4 s per transaction).
   */
  waitForPayment(ref: OrderRef, options: WaitOptions = {}): Promise<TransactionDetail> {
    const floor = this.apiVersion === 'v2' ? V2_STATUS_INTERVAL_MS : 1000;
    return waitForStatus(
      (signal) => this.transactionDetail(ref, { signal }).then((detail) => this.#refuseSandboxInLive(detail)),
      { ...options, intervalMs: Math.max(floor, options.intervalMs ?? 3000) },
      defaultSleep,
    );
  }

  #refuseSandboxInLive<T extends { is_sandbox?: boolean; status: TransactionStatus }>(detail: T): T {
    if (this.mode === 'live' && detail.is_sandbox === true && detail.status === 'completed') {
      throw new PakasirError('Pakasir reports a sandbox payment, which never counts as paid in live mode');
    }
    return detail;
  }

  /**
   * Re-reads the transaction a webhook speaks of and checks it against what you expect, as seed 001
   * advises: project, order id, amount and status "completed" (and, in live mode, not a sandbox
   * payment). Returns Pakasir's record; throws PakasirWebhookError when anything differs.
   */
  async confirmWebhook(
    event: WebhookEvent,
    expected: { orderId: string; amount: number },
  ): Promise<TransactionDetail> {
    const refuse = (reason: string): never => {
      throw new PakasirWebhookError(`webhook for order ${event.orderId} not confirmed: ${reason}`);
    };
    if (event.orderId !== expected.orderId)
      refuse(`it names order ${event.orderId}, expected ${expected.orderId}`);
    if (event.amount !== expected.amount)
      refuse(`it says amount ${event.amount}, expected ${expected.amount}`);
    if (event.project !== undefined && event.project !== this.project)
      refuse(`it is for project ${event.project}`);
    if (this.mode === 'live' && event.isSandbox === true)
      refuse('it is a sandbox payment and this client is live');
    let detail: TransactionDetail;
    try {
      detail = await this.transactionDetail({
        ...expected,
        ...(event.txnId !== undefined && { txnId: event.txnId }),
      });
    } catch (error) {
      if (error instanceof PakasirApiError && error.status === 404) refuse('Pakasir has no such transaction');
      throw error;
    }
    if (detail.project !== this.project) refuse(`Pakasir's record is for project ${detail.project}`);
    if (detail.order_id !== expected.orderId || detail.amount !== expected.amount)
      refuse("Pakasir's record has another order or amount");
    if (detail.status !== 'completed') refuse(`Pakasir says the transaction is ${detail.status}`);
    if (this.mode === 'live' && detail.is_sandbox === true) refuse('Pakasir marks it as a sandbox payment');
    return detail;
  }

  /** Whether Pakasir answers at all, within `timeoutMs` (default 5 s); never throws (seed 003). */
  async healthCheck(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<HealthResult> {
    const started = Date.now();
    try {
      const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
      const response = await this.#http.fetch(`${this.baseUrl}/`, {
        signal: options.signal ? AbortSignal.any([options.signal, signal]) : signal,
        redirect: 'manual',
      });
      await response.body?.cancel();
      const ok = response.status < 500;
      return { ok, status: response.status, latencyMs: Date.now() - started };
    } catch (error) {
      return {
        ok: false,
        latencyMs: Date.now() - started,
        error: (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message,
      };
    }
  }
}

function expectShape<T>(body: unknown, key: string, call: string): T {
  if (typeof body !== 'object' || body === null || !(key in body)) {
    throw new PakasirApiError(`Pakasir's answer to ${call} lacks "${key}"`, 200, body);
  }
  return body as T;
}

function expectSuccess(body: V1ActionResponse | null, call: string): void {
  if (body && body.success === false)
    throw new PakasirApiError(`Pakasir refused ${call}: ${body.message ?? 'no reason given'}`, 200, body);
}
