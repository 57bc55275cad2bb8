/**
 * What the public checkout page may know about a payment, read by payment id alone (the page is
 * public: `pay_…` ids carry 120 random bits). Deliberately a narrow select: no customer contact,
 * webhook URL, license, metadata, order id or gateway columns ever reach the page.
 */
import { eq } from 'drizzle-orm';
import { type PaymentItem, type PaymentStatus, type PaymentType, partners, payments } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { isId } from '../payments/ids.js';
import { formatWib } from './format.js';
import type { Lang } from './messages.js';

/** The statuses the page shows: `failed` reads as cancelled, as in the API. */
export type CheckoutStatus = 'pending' | 'paid' | 'expired' | 'cancelled';

/** A payment as the checkout page sees it. */
export interface CheckoutPayment {
  id: string;
  /** Used server-side only (to reach the partner-scoped PaymentService); never rendered. */
  partnerId: string;
  merchantName: string;
  transactionId: string;
  amount: number;
  paymentType: PaymentType;
  status: PaymentStatus;
  description: string | null;
  /** Whether a QRIS string exists yet (the image itself is served by `/qr/:id.png`). */
  hasQr: boolean;
  expiresAt: Date;
  paidAt: Date | null;
  items: PaymentItem[] | null;
  backUrl: string | null;
}

/** The payment with this id, with its partner's name, or null (also for anything not shaped like an id). */
export async function loadCheckout(db: Db, id: string): Promise<CheckoutPayment | null> {
  if (!isId('payment', id)) return null;
  const [row] = await db
    .select({
      id: payments.id,
      partnerId: payments.partnerId,
      merchantName: partners.name,
      transactionId: payments.transactionId,
      amount: payments.amount,
      paymentType: payments.paymentType,
      status: payments.status,
      description: payments.description,
      qrContent: payments.qrContent,
      expiresAt: payments.expiresAt,
      paidAt: payments.paidAt,
      items: payments.items,
      backUrl: payments.backUrl,
    })
    .from(payments)
    .innerJoin(partners, eq(partners.id, payments.partnerId))
    .where(eq(payments.id, id));
  if (!row) return null;
  const { qrContent, ...rest } = row;
  return { ...rest, hasQr: Boolean(qrContent), paidAt: row.status === 'paid' ? row.paidAt : null };
}

/**
 * The status the page shows at `now`: failed → cancelled, and a pending payment past its expiry
 * is expired already (the sweeper records that a little later; the QR is refused from then on).
 */
export function checkoutStatus(
  payment: Pick<CheckoutPayment, 'status' | 'expiresAt'>,
  now: Date,
): CheckoutStatus {
  if (payment.status === 'failed') return 'cancelled';
  if (payment.status === 'pending' && payment.expiresAt.getTime() <= now.getTime()) return 'expired';
  return payment.status;
}

/**
 * The JSON the page's script reads (status endpoint, SSE events, simulate): the status shown,
 * whether it is final (the payment left `pending` for good, so the script stops listening), and
 * the payment time already formatted in the page's language.
 */
export function checkoutStatusBody(
  payment: Pick<CheckoutPayment, 'status' | 'expiresAt' | 'paidAt'>,
  now: Date,
  lang: Lang,
) {
  const paidAt = payment.status === 'paid' ? payment.paidAt : null;
  return {
    status: checkoutStatus(payment, now),
    final: payment.status !== 'pending',
    expires_at: payment.expiresAt.toISOString(),
    paid_at: paidAt?.toISOString() ?? null,
    paid_at_text: paidAt ? formatWib(paidAt, lang) : null,
  };
}
export type CheckoutStatusBody = ReturnType<typeof checkoutStatusBody>;
