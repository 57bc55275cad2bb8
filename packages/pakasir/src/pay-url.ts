import { assertAmount } from './fees.js';
import { assertOrderId } from './validate.js';

export interface PayUrlOptions {
  amount: number;
  orderId: string;
  /** Where the "back to merchant" button goes after payment; percent-encoded in the URL. */
  redirect?: string;
  /** Show only QRIS (`qris_only=1`). */
  qrisOnly?: boolean;
  /** Open PayPal directly (`/paypal/` instead of `/pay/`). */
  paypal?: boolean;
  /** Overrides the client's domain, e.g. "https://pots.my.id". */
  domain?: string;
}

/**
 * Pakasir's hosted payment page URL (seed 001 §2, §7):
 * `{domain}/pay/{slug}/{amount}?order_id={order_id}[&redirect=…][&qris_only=1]`.
 * @example buildPayUrl('https://app.pakasir.com', 'depodomain', { amount: 22000, orderId: '240910HDE7C9' })
 * // 'https://app.pakasir.com/pay/depodomain/22000?order_id=240910HDE7C9'
 */
export function buildPayUrl(domain: string, slug: string, options: PayUrlOptions): string {
  assertAmount(options.amount);
  assertOrderId(options.orderId);
  const base = (options.domain ?? domain).replace(/\/+$/, '');
  const kind = options.paypal ? 'paypal' : 'pay';
  let url = `${base}/${kind}/${encodeURIComponent(slug)}/${options.amount}?order_id=${encodeURIComponent(options.orderId)}`;
  if (options.redirect !== undefined) url += `&redirect=${encodeURIComponent(options.redirect)}`;
  if (options.qrisOnly) url += '&qris_only=1';
  return url;
}
