// Seed 004's partner payments: QRIS or a hosted checkout page, paid for with a license token.
import type { RequestOptions, Transport } from './http.js';
import type {
  GenerateCheckoutPageParams,
  GeneratePaymentParams,
  GenerateQrisParams,
  PartnerPaymentResponse,
} from './types.js';

/** The wire fields shared by both camelCase helpers. */
function commonFields(params: GenerateQrisParams) {
  return {
    transaction_id: params.transactionId,
    amount: params.amount,
    license_key: params.licenseKey,
    description: params.description,
    expiry_minutes: params.expiryMinutes,
    webhook_url: params.webhookUrl,
    customer_name: params.customerName,
    customer_email: params.customerEmail,
    customer_phone: params.customerPhone,
    metadata: params.metadata,
  };
}

/** `qc.partnerPayment`: each method takes `RequestOptions` (timeoutMs, signal, idempotencyKey) last. */
export class PartnerPaymentResource {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * The raw request: any payment type, snake_case fields as on the wire. Spends one license token
   * (a retried call never spends a second).
   * @example
   * await qc.partnerPayment.generate({ transaction_id: 'TRX-1', amount: 75000, license_key, payment_type: PartnerPaymentType.QRIS });
   */
  async generate(
    params: GeneratePaymentParams,
    options: RequestOptions = {},
  ): Promise<PartnerPaymentResponse> {
    return this.#transport.request({
      ...options,
      method: 'POST',
      path: '/v1/partner/payments',
      body: params,
    });
  }

  /**
   * A QRIS payment (default expiry 30 minutes).
   * @example
   * const payment = await qc.partnerPayment.generateQris({ transactionId: 'TRX-1', amount: 50000, licenseKey });
   * payment.qris?.qr_content; // the QRIS string
   */
  async generateQris(
    params: GenerateQrisParams,
    options: RequestOptions = {},
  ): Promise<PartnerPaymentResponse> {
    return this.generate({ ...commonFields(params), payment_type: 'QRIS' }, options);
  }

  /**
   * A hosted checkout page (default expiry 120 minutes): send the customer to `payment_url`.
   * @example
   * const { payment_url } = await qc.partnerPayment.generateCheckoutPage({ transactionId, amount, licenseKey, backUrl });
   */
  async generateCheckoutPage(
    params: GenerateCheckoutPageParams,
    options: RequestOptions = {},
  ): Promise<PartnerPaymentResponse> {
    return this.generate(
      {
        ...commonFields(params),
        payment_type: 'CHECKOUT_PAGE',
        back_url: params.backUrl,
        items: params.items,
      },
      options,
    );
  }
}
