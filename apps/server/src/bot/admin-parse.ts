import type { NewProduct } from '../store/catalog.js';
import { StoreError } from '../store/errors.js';
import { parseStockText } from '../store/stock-text.js';

/**
 * Parsers of the admin commands' arguments. Each throws StoreError INVALID_INPUT with a reason the
 * admin can act on, or returns typed values.
 */

function invalid(reason: string): StoreError {
  return new StoreError('INVALID_INPUT', reason);
}

/** A price typed as 50000, 50.000 or 50,000. */
export function parseRupiah(text: string, what: string): number {
  const cleaned = text.trim().replace(/^rp\.?\s*/i, '');
  if (!/^\d{1,3}([.,]\d{3})+$|^\d+$/.test(cleaned))
    throw invalid(`${what} harus berupa angka rupiah, misalnya 50000`);
  return Number(cleaned.replace(/[.,]/g, ''));
}

/** A positive whole id (product or Telegram user). */
export function parseId(text: string | undefined, what: string): number {
  const value = (text ?? '').trim();
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw invalid(`${what} harus berupa angka`);
  return Number(value);
}

/** `/addproduct Nama | Kategori | 50000 | 45000 | Deskripsi`. */
export function parseAddProduct(args: string): NewProduct {
  const parts = args.split('|').map((part) => part.trim());
  if (parts.length < 4 || parts.length > 5) throw invalid('butuh 4 atau 5 bagian dipisah "|"');
  const [name = '', category = '', customer = '', reseller = '', description] = parts;
  return {
    name,
    category,
    customerPrice: parseRupiah(customer, 'harga customer'),
    resellerPrice: parseRupiah(reseller, 'harga reseller'),
    ...(description !== undefined && { description }),
  };
}

/** `/addstock 3` followed by the items (same line or the next ones). */
export function parseAddStock(text: string): { productId: number; items: string[] } {
  const match = /^\/addstock(?:@\w+)?[ \t]+(\d+)[ \t]*\n?([\s\S]*)$/.exec(text.trim());
  if (!match) throw invalid('tulis /addstock <id produk> lalu itemnya');
  return { productId: parseId(match[1], 'id produk'), items: parseStockText(match[2] ?? '') };
}

/** The product id in a .txt upload's caption, `/addstock 3`. */
export function parseAddStockCaption(caption: string): number | null {
  const match = /^\/addstock(?:@\w+)?\s+(\d+)\s*$/.exec(caption.trim());
  return match ? parseId(match[1], 'id produk') : null;
}

/** `/setprice 3 50000 [45000]`. */
export function parseSetPrice(args: string): {
  productId: number;
  customerPrice: number;
  resellerPrice?: number;
} {
  const [id, customer, reseller, ...rest] = args.trim().split(/\s+/);
  if (!id || !customer || rest.length > 0)
    throw invalid('tulis /setprice <id produk> <harga customer> [harga reseller]');
  return {
    productId: parseId(id, 'id produk'),
    customerPrice: parseRupiah(customer, 'harga customer'),
    ...(reseller !== undefined && { resellerPrice: parseRupiah(reseller, 'harga reseller') }),
  };
}
