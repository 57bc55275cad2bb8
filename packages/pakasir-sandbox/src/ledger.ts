// The sandbox's transactions: create (idempotent per order id), look up, switch method, cancel,
// pay. Every change is saved when a state file is configured.
import type { ApiVersion, Metadata, TransactionStatus } from '@quickcart/pakasir';
import { badRequest, conflict, notFound } from './errors.js';
import { dynamicQris, isVaMethod, MAX_QRIS_TOTAL, retailCode, vaNumber } from './payment-numbers.js';
import { LOWER_ALNUM, randomInt, randomString, streamOf, UPPER_ALNUM } from './random.js';
import type { StateStore } from './store.js';
import { rfc3339Nanos, wibTimestamp } from './time.js';
import { feeFor, type SandboxMethod, shownMethod, statusAt, type TransactionRecord } from './transaction.js';

export interface LedgerOptions {
  project: string;
  merchantQris: string;
  expiryMs: number;
  seed: number;
  now: () => number;
  store: StateStore | null;
}

export interface CreateInput {
  orderId: string;
  amount: number;
  method: SandboxMethod;
  metadata?: Metadata | undefined;
  version: ApiVersion;
  /** The pay page may change the method later (a `/pay` URL, a payment_link). */
  methodOpen?: boolean;
}

/** The sandbox's book of transactions, keyed by order id (and by txn_id for v2). */
export class Ledger {
  readonly #options: LedgerOptions;
  readonly #byOrderId = new Map<string, TransactionRecord>();
  readonly #byTxnId = new Map<string, TransactionRecord>();
  #seq = 0;

  constructor(options: LedgerOptions) {
    this.#options = options;
    const state = options.store?.load() ?? { seq: 0, transactions: [] };
    this.#seq = state.seq;
    for (const txn of state.transactions) this.#index(txn);
  }

  /** Every transaction, oldest first. */
  list(): TransactionRecord[] {
    return [...this.#byOrderId.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The transaction with this order id or txn_id, if any. */
  find(id: string): TransactionRecord | undefined {
    return this.#byOrderId.get(id) ?? this.#byTxnId.get(id);
  }

  byOrderId(orderId: string): TransactionRecord | undefined {
    return this.#byOrderId.get(orderId);
  }

  byTxnId(txnId: string): TransactionRecord | undefined {
    return this.#byTxnId.get(txnId);
  }

  /** The transaction with this order id and amount, or a 404. */
  get(orderId: string, amount: number): TransactionRecord {
    const txn = this.#byOrderId.get(orderId);
    if (!txn || txn.amount !== amount)
      throw notFound(`transaction not found: order_id ${orderId} with amount ${amount}`);
    return txn;
  }

  /** The status at the sandbox clock's now. */
  status(txn: TransactionRecord): TransactionStatus {
    return statusAt(txn, this.#options.now());
  }

  /**
   * Creates a transaction, or returns the existing one for the same order id and amount
   * (`created: false`; its method and metadata stay as first given). Another amount: 409.
   */
  create(input: CreateInput): { txn: TransactionRecord; created: boolean } {
    const existing = this.#byOrderId.get(input.orderId);
    if (existing) {
      if (existing.amount !== input.amount) {
        throw conflict(
          `order_id ${input.orderId} already exists with amount ${existing.amount}, not ${input.amount}`,
        );
      }
      return { txn: existing, created: false };
    }
    const seq = this.#seq + 1;
    const random = streamOf(this.#options.seed, seq);
    const now = this.#options.now();
    const expiresAt = now + this.#options.expiryMs;
    const txn: TransactionRecord = {
      seq,
      txnId: `txn_${randomString(random, LOWER_ALNUM, 20)}`,
      project: this.#options.project,
      orderId: input.orderId,
      amount: input.amount,
      method: input.method,
      methodOpen: input.methodOpen ?? input.method === 'payment_link',
      fee: 0,
      totalPayment: 0,
      paymentNumber: '',
      reference: `SB${randomString(random, UPPER_ALNUM, 17)}`,
      ...(input.metadata !== undefined && { metadata: input.metadata }),
      version: input.version,
      createdAt: now,
      expiresAt,
      expiredAt: rfc3339Nanos(expiresAt, randomInt(random, 999_999)),
      status: 'pending',
      completedAt: null,
    };
    this.#price(txn, input.method);
    this.#seq = seq;
    this.#index(txn);
    this.#save();
    return { txn, created: true };
  }

  /** Shows another method on the pay page: new fee, total and payment number; same expiry. */
  switchMethod(txn: TransactionRecord, method: SandboxMethod): void {
    if (txn.method === method || !txn.methodOpen || this.status(txn) !== 'pending') return;
    this.#price(txn, method);
    txn.method = method;
    this.#save();
  }

  /** Cancels a pending transaction; 409 for any other status. */
  cancel(txn: TransactionRecord): void {
    this.#assertPending(txn, 'cancel');
    txn.status = 'canceled';
    this.#save();
  }

  /** Marks a pending transaction paid (optionally with the method the payer picked); 409 otherwise. */
  complete(txn: TransactionRecord, method?: SandboxMethod): void {
    this.#assertPending(txn, 'pay');
    if (method !== undefined && method !== txn.method) {
      if (!txn.methodOpen)
        throw conflict(`transaction ${txn.orderId} is paid by ${txn.method}, not ${method}`);
      this.#price(txn, method);
      txn.method = method;
    }
    if (txn.method === 'payment_link') txn.method = 'qris';
    txn.status = 'completed';
    txn.completedAt = wibTimestamp(this.#options.now());
    this.#save();
  }

  #assertPending(txn: TransactionRecord, action: string): void {
    const status = this.status(txn);
    if (status !== 'pending')
      throw conflict(`cannot ${action} transaction ${txn.orderId}: it is ${status}, not pending`);
  }

  /** Sets fee, total and payment number for `method`. */
  #price(txn: TransactionRecord, method: SandboxMethod): void {
    const fee = feeFor(method, txn.amount);
    const total = txn.amount + fee;
    const shown = shownMethod(method);
    if (shown === 'qris' && total > MAX_QRIS_TOTAL)
      throw badRequest(`amount too large for QRIS: the total must be at most ${MAX_QRIS_TOTAL}`);
    if (!Number.isSafeInteger(total)) throw badRequest('amount too large');
    txn.fee = fee;
    txn.totalPayment = total;
    txn.paymentNumber =
      shown === 'qris'
        ? dynamicQris(this.#options.merchantQris, total, txn.reference)
        : shown === 'retail'
          ? retailCode(txn.project, txn.orderId)
          : isVaMethod(shown)
            ? vaNumber(shown, txn.project, txn.orderId)
            : '';
  }

  #index(txn: TransactionRecord): void {
    this.#byOrderId.set(txn.orderId, txn);
    this.#byTxnId.set(txn.txnId, txn);
  }

  #save(): void {
    this.#options.store?.save({ seq: this.#seq, transactions: this.list() });
  }
}
