import type { Payment } from '../db/schema.js';
import type { PaymentView } from './contract.js';

/**
 * A payment row as the partner sees it (`PaymentView`): no license, order or reconciliation
 * columns. `qrContent` is empty only while the upstream transaction is being created.
 */
export function toView(row: Payment): PaymentView {
  return {
    id: row.id,
    partnerId: row.partnerId,
    transactionId: row.transactionId,
    amount: row.amount,
    paymentType: row.paymentType,
    status: row.status,
    description: row.description,
    qrContent: row.qrContent ?? '',
    expiresAt: row.expiresAt,
    paidAt: row.status === 'paid' ? row.paidAt : null,
    payerInfo: row.payerInfo,
    createdAt: row.createdAt,
    metadata: row.metadata,
    items: row.items,
    backUrl: row.backUrl,
  };
}

/** Links of a payment on this service: the QR image and, for CHECKOUT_PAGE, the hosted page. */
export function paymentLinks(
  publicUrl: string,
  payment: Pick<PaymentView, 'id' | 'paymentType'>,
): { qrImageUrl: string; paymentUrl: string | null } {
  const base = publicUrl.replace(/\/+$/, '');
  const id = encodeURIComponent(payment.id);
  return {
    qrImageUrl: `${base}/qr/${id}.png`,
    paymentUrl: payment.paymentType === 'CHECKOUT_PAGE' ? `${base}/checkout/${id}` : null,
  };
}
