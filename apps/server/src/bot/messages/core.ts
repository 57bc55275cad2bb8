import type { OrderStatus } from '../../db/schema.js';
import type { AdminStats } from '../../store/stats.js';
import { clip, rupiah, thousands, wibTime } from '../format.js';

/**
 * The bot's core texts (menus, catalog, checkout, orders, admin), by key, in Bahasa Indonesia
 * (`coreId`) and English (`coreEn`). Indonesian texts quoted from the seeds keep their wording: seed 000 for the QR
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
    '/saldo — saldo dan riwayatnya; /topup — isi saldo lewat QRIS\n' +
    '/language — ganti bahasa (Bahasa Indonesia / English)\n' +
    '/help — bantuan ini\n\n' +
    'Cara membeli: Katalog → pilih kategori → pilih produk → atur jumlah → Beli. ' +
    'Bayar dengan scan QRIS dari aplikasi bank atau e-wallet; produk dikirim otomatis setelah pembayaran diterima.',
  unknownCommand: 'Maaf, perintah tidak dikenali. Ketik /help untuk bantuan.',

  // ── Catalog ──
  catalogTitle: '🛍️ Pilih kategori:',
  catalogEmpty: '😔 Belum ada produk yang dijual. Silakan cek lagi nanti 🙏',
  categoryButton: (category: string, stock: number) => `${clip(category, 40)} (${thousands(stock)})`,
  categoryTitle: (category: string) => `📂 ${category}\n\nPilih produk:`,
  /** The category list after a notice (e.g. a category that just emptied). */
  catalogAfterNotice: (notice: string) => `${notice}\n\n🛍️ Pilih kategori:`,
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
  /** /orders: the title, then one `orderLine` per order. */
  ordersPage: (lines: readonly string[]) => `📦 Riwayat Pesanan (10 terakhir):\n\n${lines.join('\n\n')}`,
  /** An order's products, as /orders and the confirmation list them. */
  orderItems: (items: readonly { productName: string; quantity: number }[]) =>
    items.map((item) => `${item.productName} ×${item.quantity}`).join(', '),
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

const STATUS_LABELS_EN: Record<OrderStatus, string> = {
  pending: '⏳ Awaiting payment',
  paid: '✅ Paid',
  delivered: '📬 Delivered',
  expired: '⌛ Expired',
  cancelled: '❌ Cancelled',
  failed: '💔 Failed',
};

/** Core texts in English (the same keys and signatures as `coreId`). */
export const coreEn: typeof coreId = {
  // ── Menus ──
  welcome: (name) => `👋 Hi ${name}! Welcome to our store.\n\nChoose a menu below to start shopping.`,
  menuTitle: '🏠 Main menu. Please choose:',
  buttonCatalog: '🛍️ Catalog',
  buttonOrders: '📦 My Orders',
  buttonHelp: '❓ Help',
  buttonBack: '⬅️ Back',
  buttonBackSeed: 'Back',
  help:
    '❓ Help\n\n' +
    '/start — main menu\n' +
    '/orders — order history and the contents of what you bought\n' +
    '/balance — your balance and its history; /topup — top up by QRIS\n' +
    '/language — change the language (Bahasa Indonesia / English)\n' +
    '/help — this help\n\n' +
    'How to buy: Catalog → choose a category → choose a product → set the quantity → Buy. ' +
    'Pay by scanning the QRIS code with your bank or e-wallet app; the product is sent automatically once the payment arrives.',
  unknownCommand: 'Sorry, I do not know that command. Type /help for help.',

  // ── Catalog ──
  catalogTitle: '🛍️ Choose a category:',
  catalogEmpty: '😔 There are no products for sale yet. Please check again later 🙏',
  categoryButton: (category, stock) => `${clip(category, 40)} (${thousands(stock)})`,
  categoryTitle: (category) => `📂 ${category}\n\nChoose a product:`,
  catalogAfterNotice: (notice) => `${notice}\n\n🛍️ Choose a category:`,
  categoryEmpty: (category) => `😔 There are no products in the ${category} category yet.`,
  productButton: (name, price, stock) => `${clip(name, 32)} • ${rupiah(price)} • stock ${thousands(stock)}`,
  productPage: (p) =>
    `📦 ${p.name}\n` +
    (p.description ? `${p.description}\n` : '') +
    `\n💰 Price: ${rupiah(p.price)}\n` +
    `📊 Stock: ${thousands(p.stock)}\n` +
    `🔢 Quantity: ${p.quantity}\n` +
    `💵 Subtotal: ${rupiah(p.price * p.quantity)}`,
  buttonMinus: '➖',
  buttonPlus: '➕',
  buttonBuy: '🛒 Buy',
  quantityAtMax: (stock) => `Only ${stock} in stock.`,
  quantityAtMin: 'The minimum quantity is 1.',
  productGone: '😔 This product is no longer available.',
  outOfStock: (name) => `😔 Sorry, ${name} is out of stock.`,
  notEnoughStock: (name, available) =>
    `😔 Sorry, only ${available} of ${name} left. Please lower the quantity.`,

  // ── Checkout ──
  orderSummary: (o) =>
    '🧾 Order Summary\n\n' +
    `📦 Product: ${o.productName}\n` +
    `🔢 Quantity: ${o.quantity} × ${rupiah(o.unitPrice)}\n` +
    `💵 Subtotal: ${rupiah(o.subtotal)}\n` +
    `💳 QRIS fee (0.7% + Rp 310): ${rupiah(o.fee)}\n` +
    `💰 Total: ${rupiah(o.total)}\n\n` +
    `🔢 Order ID: ${o.orderId}`,
  qrCaption: (o, expiresAt) =>
    `💰 Total Payment: ${rupiah(o.total)}\n` +
    `📦 Product: ${o.productName}\n` +
    `🔢 Order ID: ${o.orderId}\n\n` +
    `⏰ Valid until ${wibTime(expiresAt)} WIB\n\n` +
    'Scan the QR or tap the button below to pay.',
  buttonCheckoutPage: 'Checkout Page',
  buttonPaymentStatus: 'Payment Status',
  buttonCancel: 'Cancel',
  gatewayDown:
    '💔 Sorry, the payment system is having problems.\n\n🔄 Please try again in a few minutes or contact the admin for help.\n\nThank you for your understanding! 🙏',
  paymentCreateFailed:
    '💔 A technical problem occurred while creating the payment.\n\n🔄 Please try again or contact the admin.\n\nSorry for the inconvenience! 🙏',
  statusPending: (expiresAt) =>
    `⏳ Payment not received yet. The QR is valid until ${wibTime(expiresAt)} WIB.`,
  statusPaid: '✅ Payment received.',
  statusClosed: (status) => `Order status: ${STATUS_LABELS_EN[status]}`,
  cancelTooLate: '✅ This order is already paid, so it can no longer be cancelled.',
  cancelDone: 'Order cancelled.',
  buttonSimulatePay: 'Simulate Payment (sandbox)',
  simulating: '🧪 Paying through the sandbox…',
  simulateUnavailable: 'Simulated payments are only available in sandbox mode.',
  simulateFailed: '💔 The simulated payment failed. Please try again in a moment 🙏',
  orderNotFound: 'Order not found.',

  // ── Outcomes ──
  qrPaidCaption: (orderId, total) =>
    `✅ Payment successful!\n🔢 Order ID: ${orderId}\n💰 Total: ${rupiah(total)}\n\nSending your product...`,
  deliveryText: (productName, content) => `📦 ${productName}\n\n${content}`,
  deliveryDocumentCaption: (productName, orderId) =>
    `📦 ${clip(productName, 200)}\n🧾 Invoice: ${orderId}\n\nYour order's contents are in this file.`,
  confirmation: (productNames, orderId) =>
    `🎉 Order complete!\n📦 Product: ${productNames}\n🧾 Invoice: ${orderId}\n\nThank you for shopping with us! 🙏`,
  qrExpiredCaption: (orderId) => `⌛ Payment expired.\n🔢 Order ID: ${orderId}`,
  expired: '❌ The payment expired. Please order again.',
  qrCancelledCaption: (orderId) => `❌ Order cancelled.\n🔢 Order ID: ${orderId}`,
  cancelled: (orderId) => `❌ Order ${orderId} was cancelled. The stock has been released.`,
  qrFailedCaption: (orderId) => `💔 Payment failed.\n🔢 Order ID: ${orderId}`,

  // ── Orders ──
  ordersPage: (lines) => `📦 Order History (last 10):\n\n${lines.join('\n\n')}`,
  orderItems: (items) => items.map((item) => `${item.productName} ×${item.quantity}`).join(', '),
  ordersEmpty: 'You have no orders yet. Type /start to start shopping.',
  orderLine: (o) =>
    `• ${o.orderId}\n  ${o.products}\n  ${rupiah(o.total)} — ${STATUS_LABELS_EN[o.status]} — ${o.date}`,
  buttonContent: (orderId) => `📄 Contents of ${orderId}`,
  contentNotAvailable: 'Order contents are only available for paid orders.',

  // ── Limits, bans ──
  rateLimited: '⏳ Too many commands. At most 10 a minute; please wait a moment and try again 🙏',
  statusRateLimited:
    '⏳ You can check the status at most 5 times a minute per order. Please wait a moment 🙏',
  banned:
    '🚫 Your account is blocked and cannot use this store. Contact the admin if you think this is a mistake.',
  somethingWrong: '💔 Sorry, something went wrong. Please try again in a moment 🙏',

  // ── Admin ──
  stats: (s) =>
    '📊 Store Statistics\n\n' +
    `👥 Total users: ${thousands(s.totalUsers)}\n` +
    `🧾 Total transactions: ${thousands(s.totalTransactions)}\n` +
    `⏳ Active orders: ${thousands(s.activeOrders)}\n` +
    `💰 Revenue today: ${rupiah(s.revenueToday)}\n\n` +
    '🏆 Best sellers:\n' +
    (s.topProducts.length === 0
      ? '-'
      : s.topProducts.map((p, i) => `${i + 1}. ${p.name} — ${thousands(p.sold)} sold`).join('\n')),
  addProductUsage:
    'Format: /addproduct Name | Category | Customer price | Reseller price | Description (optional)\n' +
    'Example: /addproduct Netflix Premium 1 Month | Streaming | 50000 | 45000 | Shared account',
  productAdded: (productId, name) =>
    `✅ Product #${productId} ${name} added. Add stock with /addstock ${productId}`,
  addStockUsage:
    'Format: /addstock <product id>, then the items on the next lines: one item per line, or separate ' +
    'items of several lines with a blank line. You can also send a .txt file with the caption /addstock <product id>.',
  stockFileTooBig: (maxKb) => `⚠️ The file is too big (at most ${maxKb} KB).`,
  setPriceUsage: 'Format: /setprice <product id> <customer price> [reseller price]',
  priceSet: (name, customer, reseller) =>
    `✅ Prices of ${name}: customer ${rupiah(customer)}, reseller ${rupiah(reseller)}.`,
  banUsage: 'Format: /ban <telegram id> or /unban <telegram id>',
  userBanned: (userId) => `🚫 User ${userId} is blocked.`,
  unbanned: (userId) => `✅ User ${userId} is unblocked.`,
  userUnknown: (userId) => `User ${userId} has never used this bot.`,
  productUnknown: (productId) => `Product #${productId} not found.`,
  invalidInput: (reason) => `⚠️ Invalid input: ${reason}`,
  notAllowed: '🔒 This command is for the store owner only.',
  broadcastUsage: 'Format: /broadcast <message>',
  broadcastProgress: (sent, failed, total) =>
    `📣 Broadcast running: ${thousands(sent)}/${thousands(total)} sent, ${thousands(failed)} failed.`,
  broadcastDone: (sent, failed, total) =>
    `✅ Broadcast finished: ${thousands(sent)}/${thousands(total)} sent, ${thousands(failed)} failed.`,
  broadcastBusy: '⏳ Another broadcast is still running. Wait until it finishes.',

  // ── Alerts to admins (sent in Bahasa Indonesia; kept here so every key has both languages) ──
  alertGatewayDown: '🚨 The Pakasir payment gateway is having problems!',
  alertGatewayError: (detail) => `🚨 Pakasir error: ${detail}`,
  alertPaidLate: (paymentId, orderId, detail) =>
    `⚠️ Late payment: ${paymentId}${orderId ? ` (order ${orderId})` : ''} was paid after it expired or was cancelled. ` +
    `Its stock was released: deliver the product by hand or refund.\n${detail}`,
  alertAmountMismatch: (paymentId, orderId, detail) =>
    `⚠️ Amount mismatch: ${paymentId}${orderId ? ` (order ${orderId})` : ''} is not treated as paid.\n${detail}`,
  alertOther: (kind, paymentId, detail) => `⚠️ ${kind}: ${paymentId}\n${detail}`,
  alertUndeliverable: (orderId, userId) =>
    `⚠️ Order ${orderId} is paid but could not be delivered to user ${userId}. Deliver it by hand.`,
};
