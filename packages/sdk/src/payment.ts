// Seed 002's payment module: QRIS for POS transactions, status, long-poll wait, cancel.
import { UsageError } from './errors.js';
import type { RequestOptions, Transport } from './http.js';
import type {
  CancelPaymentResponse,
  GenerateQRISParams,
  PaymentStatus,
  QRISResponse,
  WaitForPaymentOptions,
  WaitForPaymentResult,
} from './types.js';
import { waitForPayment } from './wait.js';

/** `/v1/payments/{id}` for a payment id (`pay_…`) or the caller's own reference id. */
export function paymentPath(id: string, suffix = ''): string {
  if (typeof id !== 'string' || id === '') {
    throw new UsageError(`a payment id must be a non-empty string, got ${JSON.stringify(id)}`);
  }
  return `/v1/payments/${encodeURIComponent(id)}${suffix}`;
}

/** `qc.payment`: each method takes `RequestOptions` (timeoutMs, signal, idempotencyKey) last. */
export class PaymentResource {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Creates a QRIS payment (spends one license token; a retried call never spends a second).
   * @example
   * const qris = await qc.payment.generateQRIS({ license_key, amount: 50000, reference_id: 'TXN-001' });
   * show(qris.qris_image_url); // qris.transaction_id is QuickCart's id of the payment
   */
  async generateQRIS(params: GenerateQRISParams, options: RequestOptions = {}): Promise<QRISResponse> {
    return this.#transport.request({ ...options, method: 'POST', path: '/v1/payments/qris', body: params });
  }

  /**
   * The payment's current status, by QuickCart's id or your reference id.
   * @example if ((await qc.payment.checkPaymentStatus(id)).status === 'paid') ship();
   */
  async checkPaymentStatus(id: string, options: RequestOptions = {}): Promise<PaymentStatus> {
    return this.#transport.request({ ...options, method: 'GET', path: paymentPath(id) });
  }

  /**
   * Resolves when the payment reaches a terminal status (paid, expired, cancelled), the moment it
   * does (server long-poll, no polling); throws `PaymentTimeoutError` ("timeout…") after `timeout`.
   * @example
   * const result = await qc.payment.waitForPayment(id, { timeout: 120_000 });
   * if (result.status === 'paid') completeOrder();
   */
  async waitForPayment(id: string, options: WaitForPaymentOptions = {}): Promise<WaitForPaymentResult> {
    paymentPath(id);
    return waitForPayment(this.#transport, id, options);
  }

  /**
   * Cancels a pending payment; a paid one is a `ConflictError`.
   * @example await qc.payment.cancelPayment(id);
   */
  async cancelPayment(id: string, options: RequestOptions = {}): Promise<CancelPaymentResponse> {
    return this.#transport.request({ ...options, method: 'POST', path: paymentPath(id, '/cancel') });
  }

  /**
   * Sandbox servers only: pays a pending payment through the sandbox gateway, so it travels the
   * real webhook path. Resolves with the paid status.
   * @example await qc.payment.simulatePayment(qris.transaction_id);
   */
  async simulatePayment(id: string, options: RequestOptions = {}): Promise<PaymentStatus> {
    return this.#transport.request({ ...options, method: 'POST', path: paymentPath(id, '/simulate') });
  }
}
