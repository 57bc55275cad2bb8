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
  | { kind: 'noop' };

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
  noop: () => 'noop',
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
  }
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
  return null;
}
