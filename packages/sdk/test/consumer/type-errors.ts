// Wrong uses the types must refuse: each line below fails to compile, or the check fails on an
// unused @ts-expect-error (so this file proves the types are not `any`).
import { ApiError, PartnerPaymentType, QuickCart, type WebhookEvent } from '@quickcart/sdk';

const qc = new QuickCart({ baseUrl: 'https://pay.example.com', apiKey: 'qc_test_key' });

// @ts-expect-error license_key is required
void qc.payment.generateQRIS({ amount: 50000 });
// @ts-expect-error amount is a number of rupiah
void qc.payment.generateQRIS({ license_key: 'K', amount: '50000' });
const base = { transaction_id: 'T', amount: 1000, license_key: 'K' };
// @ts-expect-error no such payment type
void qc.partnerPayment.generate({ ...base, payment_type: 'CASH' });
// @ts-expect-error seed 004's helpers are camelCase
void qc.partnerPayment.generateQris({ transaction_id: 'T', amount: 1000, license_key: 'K' });
// @ts-expect-error apiKey is required
void new QuickCart({ baseUrl: 'https://pay.example.com' });

export async function typed(error: unknown, event: WebhookEvent): Promise<string> {
  const status = await qc.payment.checkPaymentStatus('pay_1');
  // @ts-expect-error statuses are a closed union
  if (status.status === 'completed') return 'never';
  const type: PartnerPaymentType = PartnerPaymentType.CHECKOUT_PAGE;
  if (event.event === 'payment.success') return event.paid_at;
  // @ts-expect-error paid_at only exists on payment.success
  if (event.event === 'payment.expired') return event.paid_at;
  if (error instanceof ApiError) return `${error.status} ${error.code} ${error.requestId ?? ''} ${type}`;
  return 'other';
}
