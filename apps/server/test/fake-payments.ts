import { DEMO_MERCHANT_QRIS } from '@quickcart/pakasir-sandbox';
import { toDynamic } from '@quickcart/qris';
import { MIN_AMOUNT, PAYMENT_TYPES, type PaymentStatus } from '../src/db/schema.js';
import type {
  CreatePaymentInput,
  PaymentService,
  PaymentView,
  WaitResult,
} from '../src/payments/contract.js';
import { DEFAULT_EXPIRY_MINUTES } from '../src/payments/create-statements.js';
import { QuickCartError } from '../src/payments/errors.js';
import { newId } from '../src/payments/ids.js';
import { normalizeLicenseKey } from '../src/payments/keys.js';

/**
 * An in-memory `PaymentService` for HTTP tests: it honours the contract (payments/contract.ts)
 * with its error codes, partner scoping, waits woken by changes (never polling) and
 * subscriptions, and lets tests drive what the gateway would: `pay()`, `expire()`, a failing
 * gateway (`failNextCreate`), a slow one (`createGate`).
 */

interface FakeLicense {
  partnerId: string;
  tokens: number;
  expiresAt: Date | null;
}

export class FakePaymentService implements PaymentService {
  readonly #licenses = new Map<string, FakeLicense>();
  readonly #payments = new Map<string, PaymentView>();
  readonly #listeners = new Map<string, Set<(payment: PaymentView) => void>>();
  /** Calls of each method, for assertions. */
  readonly calls: Array<{ method: string; partnerId: string; arg: unknown }> = [];
  /** Waits currently blocked (they unregister on change, timeout or abort). */
  waiting = 0;
  /** The next create fails upstream: 502 GATEWAY_ERROR, token refunded. */
  failNextCreate = false;
  /** When set, create awaits it before answering (to hold a request in flight). */
  createGate: Promise<void> | undefined;

  constructor(private readonly now: () => Date = () => new Date()) {}

  close(): void {}

  /** Adds a license of `tokens` tokens owned by `partnerId`. */
  addLicense(options: { partnerId: string; key: string; tokens: number; expiresAt?: Date | null }): void {
    this.#licenses.set(normalizeLicenseKey(options.key), {
      partnerId: options.partnerId,
      tokens: options.tokens,
      expiresAt: options.expiresAt ?? null,
    });
  }

  /** The token balance of a license. */
  tokens(key: string): number {
    return this.#licenses.get(normalizeLicenseKey(key))?.tokens ?? 0;
  }

  /** How many status subscriptions are open. */
  get subscribers(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  /** Every payment, unscoped (test inspection). */
  all(): PaymentView[] {
    return [...this.#payments.values()];
  }

  /** Marks a pending payment paid, as the webhook path would, and notifies. */
  pay(id: string, payerInfo: PaymentView['payerInfo'] = { bank: 'BCA', account_name: 'Budi' }): PaymentView {
    return this.#transition(id, 'paid', { paidAt: this.now(), payerInfo });
  }

  /** Marks a pending payment expired, as the sweeper would, and notifies. */
  expire(id: string): PaymentView {
    return this.#transition(id, 'expired');
  }

  /** Marks a pending payment failed, as a gateway failure after creation would, and notifies. */
  fail(id: string): PaymentView {
    return this.#transition(id, 'failed');
  }

  async createForLicense(): Promise<PaymentView> {
    throw new Error('FakePaymentService: createForLicense is for in-process callers, not HTTP tests');
  }

  async create(partnerId: string, input: CreatePaymentInput): Promise<PaymentView> {
    this.calls.push({ method: 'create', partnerId, arg: input });
    if (!Number.isSafeInteger(input.amount) || input.amount < MIN_AMOUNT) {
      throw new QuickCartError('INVALID_AMOUNT', { details: { field: 'amount' } });
    }
    if (!(PAYMENT_TYPES as readonly string[]).includes(input.paymentType)) {
      throw new QuickCartError('INVALID_PAYMENT_TYPE', { details: { field: 'payment_type' } });
    }
    const license = this.#licenses.get(normalizeLicenseKey(input.licenseKey));
    if (!license || license.partnerId !== partnerId) throw new QuickCartError('INVALID_LICENSE');
    if (license.expiresAt && license.expiresAt <= this.now()) throw new QuickCartError('LICENSE_EXPIRED');
    const duplicate = [...this.#payments.values()].some(
      (p) => p.partnerId === partnerId && p.transactionId === input.transactionId,
    );
    if (duplicate) {
      throw new QuickCartError('DUPLICATE_TRANSACTION', { details: { transaction_id: input.transactionId } });
    }
    if (license.tokens < 1) throw new QuickCartError('INSUFFICIENT_TOKENS');
    license.tokens -= 1;
    if (this.createGate) await this.createGate;
    if (this.failNextCreate) {
      this.failNextCreate = false;
      license.tokens += 1;
      throw new QuickCartError('GATEWAY_ERROR', { details: { upstream: 'fake' } });
    }
    const id = newId('payment');
    const created = this.now();
    const minutes = input.expiryMinutes ?? DEFAULT_EXPIRY_MINUTES[input.paymentType];
    const payment: PaymentView = {
      id,
      partnerId,
      transactionId: input.transactionId,
      amount: input.amount,
      paymentType: input.paymentType,
      status: 'pending',
      description: input.description ?? null,
      qrContent: toDynamic(DEMO_MERCHANT_QRIS, { amount: input.amount, reference: id.slice(4, 23) }),
      expiresAt: new Date(created.getTime() + minutes * 60_000),
      paidAt: null,
      payerInfo: null,
      createdAt: created,
      metadata: input.metadata ?? null,
      items: input.items ?? null,
      backUrl: input.backUrl ?? null,
    };
    this.#payments.set(id, payment);
    return payment;
  }

  async get(partnerId: string, idOrTransactionId: string): Promise<PaymentView> {
    this.calls.push({ method: 'get', partnerId, arg: idOrTransactionId });
    return this.#find(partnerId, idOrTransactionId);
  }

  async wait(
    partnerId: string,
    id: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<WaitResult> {
    this.calls.push({ method: 'wait', partnerId, arg: { id, timeoutMs: options.timeoutMs } });
    options.signal?.throwIfAborted();
    const payment = this.#find(partnerId, id);
    if (payment.status !== 'pending') return { payment, timeout: false };
    return new Promise<WaitResult>((resolve, reject) => {
      this.waiting += 1;
      const done = () => {
        this.waiting -= 1;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#listeners.get(payment.id)?.delete(onChange);
      };
      const onChange = (changed: PaymentView) => {
        done();
        resolve({ payment: changed, timeout: false });
      };
      const onAbort = () => {
        done();
        reject(options.signal?.reason);
      };
      const timer = setTimeout(() => {
        done();
        resolve({ payment: this.#find(partnerId, id), timeout: true });
      }, options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#listen(payment.id, onChange);
    });
  }

  async subscribe(
    partnerId: string,
    id: string,
    listener: (payment: PaymentView) => void,
  ): Promise<() => void> {
    this.calls.push({ method: 'subscribe', partnerId, arg: id });
    const payment = this.#find(partnerId, id);
    this.#listen(payment.id, listener);
    return () => {
      this.#listeners.get(payment.id)?.delete(listener);
    };
  }

  async cancel(partnerId: string, id: string): Promise<PaymentView> {
    this.calls.push({ method: 'cancel', partnerId, arg: id });
    const payment = this.#find(partnerId, id);
    if (payment.status === 'cancelled') return payment;
    if (payment.status !== 'pending') {
      throw new QuickCartError('CONFLICT', {
        message: `payment ${payment.id} is ${payment.status} and cannot be cancelled`,
        details: { payment_id: payment.id, status: payment.status },
      });
    }
    return this.#transition(payment.id, 'cancelled');
  }

  async simulate(partnerId: string, id: string): Promise<PaymentView> {
    this.calls.push({ method: 'simulate', partnerId, arg: id });
    const payment = this.#find(partnerId, id);
    if (payment.status !== 'pending') {
      throw new QuickCartError('CONFLICT', {
        message: `payment ${payment.id} is ${payment.status}, only a pending payment can be paid`,
        details: { payment_id: payment.id, status: payment.status },
      });
    }
    return this.pay(payment.id, { payment_method: 'qris' });
  }

  #find(partnerId: string, idOrTransactionId: string): PaymentView {
    const byId = this.#payments.get(idOrTransactionId);
    const payment =
      byId?.partnerId === partnerId
        ? byId
        : [...this.#payments.values()].find(
            (p) => p.partnerId === partnerId && p.transactionId === idOrTransactionId,
          );
    if (!payment) {
      throw new QuickCartError('NOT_FOUND', {
        message: `payment ${idOrTransactionId} not found`,
        details: { id: idOrTransactionId },
      });
    }
    return payment;
  }

  #listen(paymentId: string, listener: (payment: PaymentView) => void): void {
    let set = this.#listeners.get(paymentId);
    if (!set) {
      set = new Set();
      this.#listeners.set(paymentId, set);
    }
    set.add(listener);
  }

  #transition(
    id: string,
    status: Exclude<PaymentStatus, 'pending'>,
    changes: Partial<Pick<PaymentView, 'paidAt' | 'payerInfo'>> = {},
  ): PaymentView {
    const payment = this.#payments.get(id);
    if (!payment) throw new Error(`fake: no payment ${id}`);
    if (payment.status !== 'pending') throw new Error(`fake: payment ${id} is already ${payment.status}`);
    const next: PaymentView = { ...payment, ...changes, status };
    this.#payments.set(id, next);
    for (const listener of [...(this.#listeners.get(id) ?? [])]) listener(next);
    return next;
  }
}
