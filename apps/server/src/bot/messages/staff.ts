import type { StoreAuditEntry } from '../../db/schema.js';
import { clip, rupiah, thousands, wibDate, wibTime } from '../format.js';

/**
 * Texts of admin roles (issue 9): /staff, /audit, the staff-usable /stock and /order lookups, and
 * the /addstock answer with its duplicate count. Stock appears masked only (`maskContent`).
 */

/** What /stock shows of a product. */
export interface StockReport {
  productId: number;
  name: string;
  available: number;
  reserved: number;
  sold: number;
  /** The newest available items, masked. */
  latest: { id: number; preview: string }[];
}

/** What /order shows of an order (no contents). */
export interface OrderReport {
  orderId: string;
  /** `ctx.t.statusClosed(status)`. */
  statusLine: string;
  buyerId: number;
  subtotal: number;
  discount: number;
  fee: number;
  total: number;
  balancePaid: number;
  items: number;
  /** The products as `orderItems` lists them. */
  products: string;
  createdAt: Date;
}

/** An admin as /staff list shows them. */
export interface StaffLine {
  telegramId: number;
  role: 'owner' | 'staff';
  addedBy: number | null;
}

/** One audit entry on a line: `DD/MM/YYYY HH:MM WIB · actor · action · target · detail`. */
function auditLine(entry: StoreAuditEntry, cli: string): string {
  const detail = Object.entries(entry.detail)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return [
    `${wibDate(entry.createdAt)} ${wibTime(entry.createdAt)}`,
    entry.actorId === 0 ? cli : String(entry.actorId),
    entry.action,
    entry.target ?? '-',
    ...(detail ? [clip(detail, 60)] : []),
  ].join(' · ');
}

export const staffId = {
  stockUploaded: (added: number, duplicates: number, name: string, stock: number) =>
    `✅ ${thousands(added)} item ditambahkan ke ${name}` +
    (duplicates > 0 ? `, ${thousands(duplicates)} duplikat ditolak` : '') +
    `. Stok sekarang: ${thousands(stock)}.`,

  staffUsage:
    'Format: /staff add <telegram id>, /staff remove <telegram id> atau /staff list\n' +
    'Staff hanya bisa mengelola stok dan pesanan.',
  staffAdded: (userId: number) => `✅ ${userId} sekarang staff (stok dan pesanan).`,
  staffAlready: (userId: number) => `${userId} sudah menjadi admin.`,
  staffIsOwner: (userId: number) => `${userId} adalah owner (ADMIN_TELEGRAM_IDS); tidak diubah.`,
  staffRemoved: (userId: number) => `✅ ${userId} bukan staff lagi.`,
  staffNotFound: (userId: number) => `${userId} bukan staff.`,
  staffList: (admins: StaffLine[]) =>
    '👥 Admin toko\n\n' +
    admins
      .map(
        (a) =>
          `• ${a.telegramId} — ${a.role === 'owner' ? 'owner' : 'staff'}` +
          (a.addedBy !== null ? ` (ditambahkan oleh ${a.addedBy})` : ''),
      )
      .join('\n'),

  auditUsage: 'Format: /audit [jumlah], misalnya /audit 50 (maksimal 50).',
  auditEmpty: 'Log audit masih kosong.',
  auditTitle: (count: number) => `📜 ${thousands(count)} aksi admin terakhir (terbaru dulu, waktu WIB):`,
  auditEntries: (entries: StoreAuditEntry[]) => entries.map((e) => auditLine(e, 'CLI')).join('\n'),

  stockUsage: 'Format: /stock <id produk>',
  stockReport: (r: StockReport) =>
    `📦 Stok #${r.productId} ${r.name}\n` +
    `Tersedia: ${thousands(r.available)} · Dipesan: ${thousands(r.reserved)} · Terjual: ${thousands(r.sold)}\n\n` +
    (r.latest.length === 0
      ? 'Tidak ada item tersedia.'
      : `${r.latest.length} item tersedia terbaru (disamarkan):\n` +
        r.latest.map((item) => `#${item.id} ${item.preview}`).join('\n')),

  orderUsage: 'Format: /order <id pesanan>',
  orderUnknown: (orderId: string) => `Pesanan ${orderId} tidak ditemukan.`,
  orderReport: (o: OrderReport) =>
    `🧾 Pesanan ${o.orderId}\n` +
    `${o.statusLine}\n` +
    `Pembeli: ${o.buyerId}\n` +
    `Produk: ${o.products || '-'}\n` +
    `Jumlah item: ${thousands(o.items)}\n` +
    `Subtotal: ${rupiah(o.subtotal)}\n` +
    (o.discount > 0 ? `Diskon: ${rupiah(o.discount)}\n` : '') +
    `Biaya: ${rupiah(o.fee)}\n` +
    `Total: ${rupiah(o.total)}\n` +
    (o.balancePaid > 0 ? `Dibayar dari saldo: ${rupiah(o.balancePaid)}\n` : '') +
    `Dibuat: ${wibDate(o.createdAt)} ${wibTime(o.createdAt)} WIB`,
};

/** Staff texts in English (the same keys as `staffId`). */
export const staffEn: typeof staffId = {
  stockUploaded: (added, duplicates, name, stock) =>
    `✅ ${thousands(added)} item(s) added to ${name}` +
    (duplicates > 0 ? `, ${thousands(duplicates)} duplicate(s) refused` : '') +
    `. Stock now: ${thousands(stock)}.`,

  staffUsage:
    'Usage: /staff add <telegram id>, /staff remove <telegram id> or /staff list\n' +
    'Staff can only manage stock and orders.',
  staffAdded: (userId) => `✅ ${userId} is now staff (stock and orders).`,
  staffAlready: (userId) => `${userId} is already an admin.`,
  staffIsOwner: (userId) => `${userId} is an owner (ADMIN_TELEGRAM_IDS); nothing changed.`,
  staffRemoved: (userId) => `✅ ${userId} is no longer staff.`,
  staffNotFound: (userId) => `${userId} is not staff.`,
  staffList: (admins) =>
    '👥 Store admins\n\n' +
    admins
      .map((a) => `• ${a.telegramId} — ${a.role}${a.addedBy !== null ? ` (added by ${a.addedBy})` : ''}`)
      .join('\n'),

  auditUsage: 'Usage: /audit [count], e.g. /audit 50 (at most 50).',
  auditEmpty: 'The audit log is empty.',
  auditTitle: (count) => `📜 Last ${thousands(count)} admin actions (newest first, WIB times):`,
  auditEntries: (entries) => entries.map((e) => auditLine(e, 'CLI')).join('\n'),

  stockUsage: 'Usage: /stock <product id>',
  stockReport: (r) =>
    `📦 Stock #${r.productId} ${r.name}\n` +
    `Available: ${thousands(r.available)} · Reserved: ${thousands(r.reserved)} · Sold: ${thousands(r.sold)}\n\n` +
    (r.latest.length === 0
      ? 'No available items.'
      : `Newest ${r.latest.length} available item(s) (masked):\n` +
        r.latest.map((item) => `#${item.id} ${item.preview}`).join('\n')),

  orderUsage: 'Usage: /order <order id>',
  orderUnknown: (orderId) => `Order ${orderId} not found.`,
  orderReport: (o) =>
    `🧾 Order ${o.orderId}\n` +
    `${o.statusLine}\n` +
    `Buyer: ${o.buyerId}\n` +
    `Products: ${o.products || '-'}\n` +
    `Items: ${thousands(o.items)}\n` +
    `Subtotal: ${rupiah(o.subtotal)}\n` +
    (o.discount > 0 ? `Discount: ${rupiah(o.discount)}\n` : '') +
    `Fee: ${rupiah(o.fee)}\n` +
    `Total: ${rupiah(o.total)}\n` +
    (o.balancePaid > 0 ? `Paid from balance: ${rupiah(o.balancePaid)}\n` : '') +
    `Created: ${wibDate(o.createdAt)} ${wibTime(o.createdAt)} WIB`,
};
