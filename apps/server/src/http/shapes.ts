import type { PaymentStatus } from '../db/schema.js';
import type { PaymentView } from '../payments/contract.js';
import { paymentLinks } from '../payments/view.js';

/**
 * Response bodies in the seeds' snake_case shapes, from a `PaymentView`.
 *
 * Ids: seed 004 calls QuickCart's id `payment_id` and the partner's own id `transaction_id`;
 * seed 002 calls QuickCart's id `transaction_id` and the partner's `reference_id`. Each response
 * keeps its seed's meaning; the status body (seed 002) carries both `payment_id` and
 * `reference_id`, so either kind of partner finds its id.
 */

/** The statuses partners see (seed 002): a `failed` payment (the gateway never created it) reads `cancelled`. */
export type PublicStatus = 'pending' | 'paid' | 'expired' | 'cancelled';

/** A payment status as seed 002 names it. */
export function publicStatus(status: PaymentStatus): PublicStatus {
  return status === 'failed' ? 'cancelled' : status;
}

/** Seed 004 PartnerPaymentResponse. */
export function partnerPaymentResponse(payment: PaymentView, publicUrl: string) {
  const links = paymentLinks(publicUrl, payment);
  return {
    success: true as const,
    payment_id: payment.id,
    transaction_id: payment.transactionId,
    amount: payment.amount,
    payment_type: payment.paymentType,
    status: publicStatus(payment.status),
    payment_url: links.paymentUrl,
    expires_at: payment.expiresAt.toISOString(),
    qris:
      payment.paymentType === 'QRIS'
        ? { qr_content: payment.qrContent, qr_image_url: links.qrImageUrl }
        : null,
  };
}

/** Seed 002 QRISResponse (plus `reference_id` and `metadata` echoed). */
export function qrisResponse(payment: PaymentView, publicUrl: string) {
  const links = paymentLinks(publicUrl, payment);
  return {
    success: true as const,
    transaction_id: payment.id,
    reference_id: payment.transactionId,
    qris_string: payment.qrContent,
    qris_image_url: links.qrImageUrl,
    amount: payment.amount,
    expires_at: payment.expiresAt.toISOString(),
    status: publicStatus(payment.status),
    ...(payment.metadata !== null && { metadata: payment.metadata }),
  };
}

/** Seed 002 PaymentStatus, with the payment's other public fields. */
export function paymentStatusBody(payment: PaymentView) {
  return {
    success: true as const,
    transaction_id: payment.id,
    payment_id: payment.id,
    reference_id: payment.transactionId,
    status: publicStatus(payment.status),
    amount: payment.amount,
    payment_type: payment.paymentType,
    ...(payment.description !== null && { description: payment.description }),
    created_at: payment.createdAt.toISOString(),
    expires_at: payment.expiresAt.toISOString(),
    ...(payment.paidAt !== null && { paid_at: payment.paidAt.toISOString() }),
    ...(payment.payerInfo !== null && { payer_info: payment.payerInfo }),
    ...(payment.metadata !== null && { metadata: payment.metadata }),
  };
}
export type PaymentStatusBody = ReturnType<typeof paymentStatusBody>;
