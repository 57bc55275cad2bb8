import { LANGUAGES, type Language } from '../db/schema.js';

/**
 * Callback data of the bot's inline buttons, in seed 003's style (`product_1_quantity_plus`,
 * `back_to_menu`, `check_payment_status`, `cancel_payment`). Telegram allows 64 bytes; order ids
 * (`tg{id}-{8}`) and category names (≤ 48 bytes) fit. `parseCallback` is the only reader.
 */

export type CallbackAction =
  | { kind: 'menu' }
  | { kind: 'catalog' }
  | { kind: 'category'; category: string }
  | { kind: 'product'; productId: number }
  | { kind: 'quantity'; productId: number; change: 'plus' | 'minus' }
  | { kind: 'buy'; productId: number }
  | { kind: 'status'; orderId: string }
  | { kind: 'cancel'; orderId: string }
  | { kind: 'simulate'; orderId: string }
  | { kind: 'orders' }
  | { kind: 'content'; orderId: string }
  | { kind: 'help' }
  | CareAction
  | { kind: 'language'; language: Language }
  | { kind: 'noop' }
  | PayAction
  | { kind: 'voucherAsk'; productId: number; quantity: number }
  | { kind: 'wallet' }
  | { kind: 'topupAsk' }
  | { kind: 'topup'; amount: number };

/** After-sales buttons (issue 9): restock alerts, replacement reports and their decisions. */
export type CareAction =
  | { kind: 'restock'; productId: number }
  | { kind: 'report'; orderId: string }
  | { kind: 'reportItem'; orderId: string; stockItemId: number }
  | { kind: 'reportSkip' }
  | { kind: 'replacementDecision'; replacementId: number; approve: boolean };

/** How a checkout choice's button pays: QRIS, the whole bill from the balance, or balance + QRIS. */
export type PayMode = 'qris' | 'balance' | 'split';

/**
 * A pay button of a checkout choice: what it buys (product, quantity, voucher) and the choice's
 * `nonce`, which with the message id makes the order's checkout key (one order per summary).
 */
export interface PayAction {
  kind: 'pay';
  mode: PayMode;
  productId: number;
  quantity: number;
  nonce: string;
  voucherCode: string | null;
}

const PAY_MODES: Record<string, PayMode> = { q: 'qris', b: 'balance', s: 'split' };
const PAY = /^pay:([qbs]):(\d{1,9}):(\d{1,3}):([a-z0-9]{6})(?::([A-Z0-9_-]{3,32}))?$/;
const VOUCHER_ASK = /^voucher_ask:(\d{1,9}):(\d{1,3})$/;

/** Builders of callback data, one per action. */
export const cb = {
  menu: () => 'back_to_menu',
  catalog: () => 'catalog',
  category: (category: string) => `category:${category}`,
  product: (productId: number) => `product_${productId}`,
  quantity: (productId: number, change: 'plus' | 'minus') => `product_${productId}_quantity_${change}`,
  buy: (productId: number) => `product_${productId}_buy`,
  status: (orderId: string) => `check_payment_status:${orderId}`,
  cancel: (orderId: string) => `cancel_payment:${orderId}`,
  simulate: (orderId: string) => `simulate_payment:${orderId}`,
  orders: () => 'orders',
  content: (orderId: string) => `order_content:${orderId}`,
  help: () => 'help',
  restock: (productId: number) => `restock_notify:${productId}`,
  report: (orderId: string) => `report:${orderId}`,
  reportItem: (orderId: string, stockItemId: number) => `report_item:${stockItemId}:${orderId}`,
  reportSkip: () => 'report_skip',
  approveReplacement: (replacementId: number) => `replacement_approve:${replacementId}`,
  rejectReplacement: (replacementId: number) => `replacement_reject:${replacementId}`,
  language: (language: Language) => `lang:${language}`,
  noop: () => 'noop',
  pay: (a: Omit<PayAction, 'kind'>) =>
    `pay:${a.mode[0]}:${a.productId}:${a.quantity}:${a.nonce}${a.voucherCode ? `:${a.voucherCode}` : ''}`,
  voucherAsk: (productId: number, quantity: number) => `voucher_ask:${productId}:${quantity}`,
  wallet: () => 'wallet',
  topupAsk: () => 'topup',
  topup: (amount: number) => `topup:${amount}`,
} as const;

const PRODUCT = /^product_(\d{1,9})(?:_(buy)|_quantity_(plus|minus))?$/;

/** The action a button's data names, or null for data this bot never made. */
export function parseCallback(data: string): CallbackAction | null {
  if (Buffer.byteLength(data) > 64) return null;
  switch (data) {
    case 'back_to_menu':
      return { kind: 'menu' };
    case 'catalog':
      return { kind: 'catalog' };
    case 'orders':
      return { kind: 'orders' };
    case 'help':
      return { kind: 'help' };
    case 'noop':
      return { kind: 'noop' };
    case 'report_skip':
      return { kind: 'reportSkip' };
    case 'wallet':
      return { kind: 'wallet' };
    case 'topup':
      return { kind: 'topupAsk' };
  }
  const pay = PAY.exec(data);
  if (pay) {
    return {
      kind: 'pay',
      mode: PAY_MODES[pay[1] ?? 'q'] ?? 'qris',
      productId: Number(pay[2]),
      quantity: Number(pay[3]),
      nonce: pay[4] ?? '',
      voucherCode: pay[5] ?? null,
    };
  }
  const ask = VOUCHER_ASK.exec(data);
  if (ask) return { kind: 'voucherAsk', productId: Number(ask[1]), quantity: Number(ask[2]) };
  const product = PRODUCT.exec(data);
  if (product) {
    const productId = Number(product[1]);
    if (product[2]) return { kind: 'buy', productId };
    if (product[3]) return { kind: 'quantity', productId, change: product[3] as 'plus' | 'minus' };
    return { kind: 'product', productId };
  }
  const colon = data.indexOf(':');
  if (colon < 0) return null;
  const head = data.slice(0, colon);
  const rest = data.slice(colon + 1);
  if (rest === '') return null;
  if (head === 'category') return { kind: 'category', category: rest };
  if (head === 'check_payment_status') return { kind: 'status', orderId: rest };
  if (head === 'cancel_payment') return { kind: 'cancel', orderId: rest };
  if (head === 'simulate_payment') return { kind: 'simulate', orderId: rest };
  if (head === 'order_content') return { kind: 'content', orderId: rest };
  const care = parseCare(head, rest);
  if (care) return care;
  if (head === 'topup') return /^\d{1,9}$/.test(rest) ? { kind: 'topup', amount: Number(rest) } : null;
  if (head === 'lang') return isLanguage(rest) ? { kind: 'language', language: rest } : null;
  return null;
}

function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

const ID = /^\d{1,15}$/;
const REPORT_ITEM = /^(\d{1,15}):(.+)$/;

function parseCare(head: string, rest: string): CareAction | null {
  switch (head) {
    case 'restock_notify':
      return /^\d{1,9}$/.test(rest) ? { kind: 'restock', productId: Number(rest) } : null;
    case 'report':
      return { kind: 'report', orderId: rest };
    case 'report_item': {
      const item = REPORT_ITEM.exec(rest);
      return item ? { kind: 'reportItem', stockItemId: Number(item[1]), orderId: item[2] ?? '' } : null;
    }
    case 'replacement_approve':
    case 'replacement_reject':
      return ID.test(rest)
        ? {
            kind: 'replacementDecision',
            replacementId: Number(rest),
            approve: head === 'replacement_approve',
          }
        : null;
    default:
      return null;
  }
}
