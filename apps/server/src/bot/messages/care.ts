import type { ReplacementStatus } from '../../db/schema.js';
import { clip, rupiah } from '../format.js';

/**
 * Texts of after-sales care (issue 9): replacements under warranty (the buyer's report, the
 * admins' decision, the new item) and restock alerts ("Kabari saya"). Buttons never show stock
 * contents: items are named by their position in the order (#1, #2…).
 */

/** Why a report was refused (REPLACEMENT_REFUSED `details.reason`). */
export type ReportRefusal =
  | 'not_delivered'
  | 'warranty_expired'
  | 'no_warranty'
  | 'already_reported'
  | 'not_yours';

/** A report as the admins see it. */
export interface ReportFacts {
  replacementId: number;
  orderId: string;
  productName: string;
  buyerName: string;
  buyerId: number;
  buyerUsername: string | null;
  reason: string;
}

const hoursId = (hours: number) => (hours % 24 === 0 ? `${hours / 24} hari` : `${hours} jam`);
const hoursEn = (hours: number) =>
  hours % 24 === 0 ? `${hours / 24} day${hours === 24 ? '' : 's'}` : `${hours} hour${hours === 1 ? '' : 's'}`;

const REFUSALS_ID: Record<ReportRefusal, string> = {
  not_delivered: 'Item ini belum terkirim, jadi belum bisa dilaporkan.',
  warranty_expired: '⌛ Masa garansi item ini sudah habis.',
  no_warranty: 'Produk ini tidak bergaransi.',
  already_reported: 'Item ini sudah dilaporkan. Tunggu keputusan admin ya 🙏',
  not_yours: 'Item tidak ditemukan di pesanan Anda.',
};

const REFUSALS_EN: Record<ReportRefusal, string> = {
  not_delivered: 'This item has not been delivered yet, so it cannot be reported.',
  warranty_expired: '⌛ The warranty of this item has ended.',
  no_warranty: 'This product has no warranty.',
  already_reported: 'This item was already reported. Please wait for the admin 🙏',
  not_yours: 'The item was not found in your order.',
};

const buyerOf = (r: ReportFacts) =>
  `${r.buyerName}${r.buyerUsername ? ` @${r.buyerUsername}` : ''} (${r.buyerId})`;

export const careId = {
  // ── Restock alerts ──
  buttonNotifyRestock: '🔔 Kabari saya',
  restockSubscribed: (name: string) => `🔔 Siap! Kami kabari Anda sekali saat ${name} tersedia lagi.`,
  restockAlert: (name: string, price: number) =>
    `🔔 ${name} tersedia lagi!\n💰 Harga: ${rupiah(price)}\n\nStok terbatas, silakan buka produknya untuk membeli.`,
  buttonOpenProduct: '🛍️ Lihat produk',

  // ── Warranty and reports (buyer) ──
  warrantyLine: (hours: number) => `🛡️ Garansi: ${hoursId(hours)} setelah pengiriman`,
  buttonReport: (orderId: string) => `🛠️ Laporkan masalah ${orderId}`,
  reportPickItem: (orderId: string) => `🛠️ Item mana yang bermasalah? (pesanan ${orderId})`,
  reportItemButton: (position: number, productName: string) => `#${position} ${clip(productName, 40)}`,
  reportNothing: 'Tidak ada item pesanan ini yang bisa dilaporkan (garansi habis atau sudah dilaporkan).',
  reportAskReason: (position: number, productName: string) =>
    `📝 Tulis alasan singkat masalah item #${position} ${productName} (satu pesan), atau tekan Lewati.`,
  buttonSkipReason: '⏭️ Lewati',
  reportPromptExpired: '⌛ Waktu laporan habis. Silakan mulai lagi dari /orders.',
  reportSent: (replacementId: number) =>
    `✅ Laporan #${replacementId} terkirim. Admin akan memeriksanya; item pengganti dikirim otomatis jika disetujui.`,
  reportRefused: (reason: ReportRefusal) => REFUSALS_ID[reason],
  replacementIntro: (orderId: string) =>
    `🛠️ Laporan Anda disetujui. Berikut item pengganti untuk pesanan ${orderId}:`,
  replacementRejected: (orderId: string) =>
    `❌ Laporan masalah untuk pesanan ${orderId} ditolak admin. Hubungi admin jika ada pertanyaan.`,

  // ── Reports (admins) ──
  adminReport: (r: ReportFacts) =>
    `🛠️ Laporan penggantian #${r.replacementId}\n\n` +
    `🧾 Pesanan: ${r.orderId}\n` +
    `📦 Produk: ${r.productName}\n` +
    `👤 Pembeli: ${buyerOf(r)}\n` +
    `📝 Alasan: ${r.reason || '-'}`,
  buttonApprove: '✅ Setujui',
  buttonReject: '❌ Tolak',
  reportApprovedBy: (report: string, admin: string) =>
    `${report}\n\n✅ Disetujui oleh ${admin}. Item pengganti sedang dikirim ke pembeli.`,
  reportRejectedBy: (report: string, admin: string) => `${report}\n\n❌ Ditolak oleh ${admin}.`,
  reportAlreadyDecided: (status: ReplacementStatus, admin: string) =>
    `Laporan ini sudah ${status === 'approved' ? 'disetujui' : 'ditolak'} oleh ${admin}.`,
  replacementOutOfStock: (productName: string) =>
    `😔 Stok ${productName} habis. Tambah stok lalu tekan Setujui lagi; laporan tetap terbuka.`,
  replacementNotFound: 'Laporan tidak ditemukan.',
  openReportsEmpty: '✅ Tidak ada laporan penggantian yang menunggu.',
  setWarrantyUsage: 'Format: /setwarranty <id produk> <jam> (0: tanpa garansi). Contoh: /setwarranty 3 72',
  warrantySet: (name: string, hours: number) =>
    hours > 0
      ? `✅ Garansi ${name}: ${hoursId(hours)} setelah pengiriman.`
      : `✅ ${name} sekarang tanpa garansi.`,
};

/** Care texts in English (the same keys as `careId`). */
export const careEn: typeof careId = {
  buttonNotifyRestock: '🔔 Notify me',
  restockSubscribed: (name: string) => `🔔 Done! We will tell you once when ${name} is back in stock.`,
  restockAlert: (name: string, price: number) =>
    `🔔 ${name} is back in stock!\n💰 Price: ${rupiah(price)}\n\nStock is limited: open the product to buy.`,
  buttonOpenProduct: '🛍️ View product',

  warrantyLine: (hours: number) => `🛡️ Warranty: ${hoursEn(hours)} after delivery`,
  buttonReport: (orderId: string) => `🛠️ Report a problem ${orderId}`,
  reportPickItem: (orderId: string) => `🛠️ Which item has a problem? (order ${orderId})`,
  reportItemButton: (position: number, productName: string) => `#${position} ${clip(productName, 40)}`,
  reportNothing: 'No item of this order can be reported (warranty ended or already reported).',
  reportAskReason: (position: number, productName: string) =>
    `📝 Describe the problem with item #${position} ${productName} in one message, or press Skip.`,
  buttonSkipReason: '⏭️ Skip',
  reportPromptExpired: '⌛ The report timed out. Please start again from /orders.',
  reportSent: (replacementId: number) =>
    `✅ Report #${replacementId} sent. The admin will check it; a replacement is sent automatically if approved.`,
  reportRefused: (reason: ReportRefusal) => REFUSALS_EN[reason],
  replacementIntro: (orderId: string) =>
    `🛠️ Your report was approved. Here is the replacement for order ${orderId}:`,
  replacementRejected: (orderId: string) =>
    `❌ The admin rejected the problem report for order ${orderId}. Contact the admin if you have questions.`,

  adminReport: (r: ReportFacts) =>
    `🛠️ Replacement report #${r.replacementId}\n\n` +
    `🧾 Order: ${r.orderId}\n` +
    `📦 Product: ${r.productName}\n` +
    `👤 Buyer: ${buyerOf(r)}\n` +
    `📝 Reason: ${r.reason || '-'}`,
  buttonApprove: '✅ Approve',
  buttonReject: '❌ Reject',
  reportApprovedBy: (report: string, admin: string) =>
    `${report}\n\n✅ Approved by ${admin}. The replacement is on its way to the buyer.`,
  reportRejectedBy: (report: string, admin: string) => `${report}\n\n❌ Rejected by ${admin}.`,
  reportAlreadyDecided: (status: ReplacementStatus, admin: string) =>
    `This report was already ${status === 'approved' ? 'approved' : 'rejected'} by ${admin}.`,
  replacementOutOfStock: (productName: string) =>
    `😔 ${productName} is out of stock. Add stock, then press Approve again; the report stays open.`,
  replacementNotFound: 'Report not found.',
  openReportsEmpty: '✅ No replacement reports are waiting.',
  setWarrantyUsage: 'Usage: /setwarranty <product id> <hours> (0: no warranty). Example: /setwarranty 3 72',
  warrantySet: (name: string, hours: number) =>
    hours > 0
      ? `✅ Warranty of ${name}: ${hoursEn(hours)} after delivery.`
      : `✅ ${name} now has no warranty.`,
};
