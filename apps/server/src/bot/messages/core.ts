import type { OrderStatus } from '../../db/schema.js';
import type { AdminStats } from '../../store/stats.js';
import { clip, rupiah, thousands, wibTime } from '../format.js';

/**
 * The bot's core texts (menus, catalog, checkout, orders, admin), by key, in both languages. Texts quoted from the seeds keep their wording: seed 000 for the QR
 * caption and the expiry notice, seed 003 for the buttons, the gateway messages and the
 * confirmation. No parse_mode anywhere: product names and stock contents are sent verbatim.
 */

const STATUS_LABELS: Record<OrderStatus, string> = {
  pending: '⏳ Menunggu pembayaran',
  paid: '✅ Dibayar',
  delivered: '📬 Terkirim',
  expired: '⌛ Kedaluwarsa',
  cancelled: '❌ Dibatalkan',
  failed: '💔 Gagal',
};

/** What the QR caption and the summary show. */
export interface OrderFacts {
  orderId: string;
  productName: string;
  quantity: number;
  unitPrice: number;
  subtotal: number;
  fee: number;
  total: number;
}

export const coreId = {
  // ── Menus ──
  welcome: (name: string) =>
    `👋 Halo ${name}! Selamat datang di toko kami.\n\nPilih menu di bawah untuk mulai belanja.`,
  menuTitle: '🏠 Menu utama. Silakan pilih:',
  buttonCatalog: '🛍️ Katalog',
  buttonOrders: '📦 Pesanan Saya',
  buttonHelp: '❓ Bantuan',
  buttonBack: '⬅️ Kembali',
  buttonBackSeed: 'Kembali',
  help:
    '❓ Bantuan\n\n' +
    '/start — menu utama\n' +
    '/orders — riwayat pesanan dan isi pesanan yang sudah dibeli\n' +
    '/help — bantuan ini\n\n' +
    'Cara membeli: Katalog → pilih kategori → pilih produk → atur jumlah → Beli. ' +
    'Bayar dengan scan QRIS dari aplikasi bank atau e-wallet; produk dikirim otomatis setelah pembayaran diterima.',
  unknownCommand: 'Maaf, perintah tidak dikenali. Ketik /help untuk bantuan.',

  // ── Catalog ──
  catalogTitle: '🛍️ Pilih kategori:',
  catalogEmpty: '😔 Belum ada produk yang dijual. Silakan cek lagi nanti 🙏',
  categoryButton: (category: string, stock: number) => `${clip(category, 40)} (${thousands(stock)})`,
  categoryTitle: (category: string) => `📂 ${category}\n\nPilih produk:`,
  categoryEmpty: (category: string) => `😔 Belum ada produk di kategori ${category}.`,
  productButton: (name: string, price: number, stock: number) =>
    `${clip(name, 32)} • ${rupiah(price)} • stok ${thousands(stock)}`,
  productPage: (p: { name: string; description: string; price: number; stock: number; quantity: number }) =>
    `📦 ${p.name}\n` +
    (p.description ? `${p.description}\n` : '') +
    `\n💰 Harga: ${rupiah(p.price)}\n` +
    `📊 Stok: ${thousands(p.stock)}\n` +
    `🔢 Jumlah: ${p.quantity}\n` +
    `💵 Subtotal: ${rupiah(p.price * p.quantity)}`,
  buttonMinus: '➖',
  buttonPlus: '➕',
  buttonBuy: '🛒 Beli',
  quantityAtMax: (stock: number) => `Stok tersedia hanya ${stock}.`,
  quantityAtMin: 'Jumlah minimal 1.',
  productGone: '😔 Produk ini tidak tersedia lagi.',
  outOfStock: (name: string) => `😔 Maaf, stok ${name} habis.`,
  notEnoughStock: (name: string, available: number) =>
    `😔 Maaf, stok ${name} tinggal ${available}. Silakan kurangi jumlahnya.`,

  // ── Checkout (seed 000 / 003) ──
  orderSummary: (o: OrderFacts) =>
    '🧾 Ringkasan Pesanan\n\n' +
    `📦 Produk: ${o.productName}\n` +
    `🔢 Jumlah: ${o.quantity} × ${rupiah(o.unitPrice)}\n` +
    `💵 Subtotal: ${rupiah(o.subtotal)}\n` +
    `💳 Biaya QRIS (0,7% + Rp 310): ${rupiah(o.fee)}\n` +
    `💰 Total: ${rupiah(o.total)}\n\n` +
    `🔢 Order ID: ${o.orderId}`,
  qrCaption: (o: OrderFacts, expiresAt: Date) =>
    `💰 Total Pembayaran: ${rupiah(o.total)}\n` +
    `📦 Produk: ${o.productName}\n` +
    `🔢 Order ID: ${o.orderId}\n\n` +
    `⏰ Berlaku hingga ${wibTime(expiresAt)} WIB\n\n` +
    'Scan QR atau klik tombol di bawah untuk membayar.',
  buttonCheckoutPage: 'Checkout Page',
  buttonPaymentStatus: 'Status Pembayaran',
  buttonCancel: 'Batalkan',
  gatewayDown:
    '💔 Maaf, sistem pembayaran sedang bermasalah.\n\n🔄 Silakan coba lagi dalam beberapa menit atau hubungi admin untuk bantuan.\n\nTerima kasih atas pengertiannya! 🙏',
  paymentCreateFailed:
    '💔 Terjadi kendala teknis saat membuat pembayaran.\n\n🔄 Silakan coba lagi atau hubungi admin.\n\nMaaf atas ketidaknyamanan ini! 🙏',
  statusPending: (expiresAt: Date) =>
    `⏳ Pembayaran belum diterima. QR berlaku hingga ${wibTime(expiresAt)} WIB.`,
  statusPaid: '✅ Pembayaran sudah diterima.',
  statusClosed: (status: OrderStatus) => `Status pesanan: ${STATUS_LABELS[status]}`,
  cancelTooLate: '✅ Pesanan ini sudah dibayar, jadi tidak bisa dibatalkan.',
  cancelDone: 'Pesanan dibatalkan.',
  buttonSimulatePay: 'Simulasi Bayar (sandbox)',
  simulating: '🧪 Membayar lewat sandbox…',
  simulateUnavailable: 'Simulasi pembayaran hanya tersedia dalam mode sandbox.',
  simulateFailed: '💔 Simulasi pembayaran gagal. Silakan coba lagi sebentar lagi 🙏',
  orderNotFound: 'Pesanan tidak ditemukan.',

  // ── Outcomes ──
  qrPaidCaption: (orderId: string, total: number) =>
    `✅ Pembayaran berhasil!\n🔢 Order ID: ${orderId}\n💰 Total: ${rupiah(total)}\n\nProduk sedang dikirim...`,
  deliveryText: (productName: string, content: string) => `📦 ${productName}\n\n${content}`,
  deliveryDocumentCaption: (productName: string, orderId: string) =>
    `📦 ${clip(productName, 200)}\n🧾 Invoice: ${orderId}\n\nIsi pesanan ada di file ini.`,
  confirmation: (productNames: string, orderId: string) =>
    `🎉 Pesanan berhasil!\n📦 Produk: ${productNames}\n🧾 Invoice: ${orderId}\n\nTerima kasih sudah berbelanja! 🙏`,
  qrExpiredCaption: (orderId: string) => `⌛ Pembayaran kedaluwarsa.\n🔢 Order ID: ${orderId}`,
  expired: '❌ Pembayaran expired. Silakan order ulang.',
  qrCancelledCaption: (orderId: string) => `❌ Pesanan dibatalkan.\n🔢 Order ID: ${orderId}`,
  cancelled: (orderId: string) => `❌ Pesanan ${orderId} dibatalkan. Stok sudah dikembalikan.`,
  qrFailedCaption: (orderId: string) => `💔 Pembayaran gagal.\n🔢 Order ID: ${orderId}`,

  // ── Orders ──
  ordersTitle: '📦 Riwayat Pesanan (10 terakhir):',
  ordersEmpty: 'Anda belum punya pesanan. Ketik /start untuk mulai belanja.',
  orderLine: (o: { orderId: string; products: string; total: number; status: OrderStatus; date: string }) =>
    `• ${o.orderId}\n  ${o.products}\n  ${rupiah(o.total)} — ${STATUS_LABELS[o.status]} — ${o.date}`,
  buttonContent: (orderId: string) => `📄 Isi ${orderId}`,
  contentNotAvailable: 'Isi pesanan hanya tersedia untuk pesanan yang sudah dibayar.',

  // ── Limits, bans ──
  rateLimited: '⏳ Terlalu banyak perintah. Maksimal 10 per menit, silakan tunggu sebentar lalu coba lagi 🙏',
  statusRateLimited:
    '⏳ Cek status maksimal 5 kali per menit untuk setiap pesanan. Silakan tunggu sebentar 🙏',
  banned:
    '🚫 Akun Anda diblokir dan tidak dapat menggunakan toko ini. Hubungi admin jika menurut Anda ini sebuah kesalahan.',
  somethingWrong: '💔 Maaf, terjadi kesalahan. Silakan coba lagi sebentar lagi 🙏',

  // ── Admin ──
  stats: (s: AdminStats) =>
    '📊 Statistik Toko\n\n' +
    `👥 Total pengguna: ${thousands(s.totalUsers)}\n` +
    `🧾 Total transaksi: ${thousands(s.totalTransactions)}\n` +
    `⏳ Pesanan aktif: ${thousands(s.activeOrders)}\n` +
    `💰 Pendapatan hari ini: ${rupiah(s.revenueToday)}\n\n` +
    '🏆 Produk terlaris:\n' +
    (s.topProducts.length === 0
      ? '-'
      : s.topProducts.map((p, i) => `${i + 1}. ${p.name} — ${thousands(p.sold)} terjual`).join('\n')),
  addProductUsage:
    'Format: /addproduct Nama | Kategori | Harga customer | Harga reseller | Deskripsi (opsional)\n' +
    'Contoh: /addproduct Netflix Premium 1 Bulan | Streaming | 50000 | 45000 | Akun sharing',
  productAdded: (productId: number, name: string) =>
    `✅ Produk #${productId} ${name} ditambahkan. Tambah stok dengan /addstock ${productId}`,
  addStockUsage:
    'Format: /addstock <id produk>, lalu item di baris berikutnya: satu item per baris, atau pisahkan item ' +
    'yang lebih dari satu baris dengan baris kosong. Bisa juga kirim file .txt dengan caption /addstock <id produk>.',
  stockAdded: (count: number, name: string, stock: number) =>
    `✅ ${thousands(count)} item ditambahkan ke ${name}. Stok sekarang: ${thousands(stock)}.`,
  stockFileTooBig: (maxKb: number) => `⚠️ File terlalu besar (maksimal ${maxKb} KB).`,
  setPriceUsage: 'Format: /setprice <id produk> <harga customer> [harga reseller]',
  priceSet: (name: string, customer: number, reseller: number) =>
    `✅ Harga ${name}: customer ${rupiah(customer)}, reseller ${rupiah(reseller)}.`,
  banUsage: 'Format: /ban <telegram id> atau /unban <telegram id>',
  userBanned: (userId: number) => `🚫 Pengguna ${userId} diblokir.`,
  unbanned: (userId: number) => `✅ Blokir pengguna ${userId} dibuka.`,
  userUnknown: (userId: number) => `Pengguna ${userId} belum pernah memakai bot ini.`,
  productUnknown: (productId: number) => `Produk #${productId} tidak ditemukan.`,
  invalidInput: (reason: string) => `⚠️ Input tidak valid: ${reason}`,
  notAllowed: '🔒 Perintah ini hanya untuk owner toko.',
  broadcastUsage: 'Format: /broadcast <pesan>',
  broadcastProgress: (sent: number, failed: number, total: number) =>
    `📣 Broadcast berjalan: ${thousands(sent)}/${thousands(total)} terkirim, ${thousands(failed)} gagal.`,
  broadcastDone: (sent: number, failed: number, total: number) =>
    `✅ Broadcast selesai: ${thousands(sent)}/${thousands(total)} terkirim, ${thousands(failed)} gagal.`,
  broadcastBusy: '⏳ Broadcast lain masih berjalan. Tunggu sampai selesai.',

  // ── Alerts to admins ──
  alertGatewayDown: '🚨 Pakasir payment gateway sedang bermasalah!',
  alertGatewayError: (detail: string) => `🚨 Pakasir error: ${detail}`,
  alertPaidLate: (paymentId: string, orderId: string | null, detail: string) =>
    `⚠️ Pembayaran terlambat: ${paymentId}${orderId ? ` (pesanan ${orderId})` : ''} dibayar setelah kedaluwarsa/dibatalkan. ` +
    `Stok sudah dilepas: kirim produk manual atau refund.\n${detail}`,
  alertAmountMismatch: (paymentId: string, orderId: string | null, detail: string) =>
    `⚠️ Nominal tidak sesuai: ${paymentId}${orderId ? ` (pesanan ${orderId})` : ''} tidak dianggap lunas.\n${detail}`,
  alertOther: (kind: string, paymentId: string, detail: string) => `⚠️ ${kind}: ${paymentId}\n${detail}`,
  alertUndeliverable: (orderId: string, userId: number) =>
    `⚠️ Pesanan ${orderId} sudah dibayar tetapi tidak bisa dikirim ke pengguna ${userId}. Kirim manual.`,
};

/** Core texts in English (the same keys as `coreId`). */
// TODO(issue 9, i18n): translate; until then English users read Bahasa Indonesia.
export const coreEn: typeof coreId = coreId;
