import type { BalanceReason, StoreVoucher } from '../../db/schema.js';
import { rupiah, thousands, wibDate } from '../format.js';

/**
 * Texts of the balance wallet and vouchers (issue 9): the checkout choice (QRIS, balance,
 * balance + QRIS, voucher), /saldo, /topup, balance credits, and the admins' /voucher.
 */

/** One way to pay shown on the checkout choice, as store/charge.ts computed it. */
export interface PayOption {
  /** Taken from the balance. */
  balancePaid: number;
  /** The QRIS fee (on the QRIS part only). */
  fee: number;
  /** What the QR asks (0: nothing by QRIS). */
  qrisAmount: number;
  /** Everything the buyer pays. */
  total: number;
}

/** What the checkout choice shows. */
export interface CheckoutChoice {
  productName: string;
  quantity: number;
  unitPrice: number;
  subtotal: number;
  voucher: { code: string; discount: number } | null;
  balance: number;
  /** QRIS only (null while the gateway is down). */
  qris: PayOption | null;
  /** The whole bill from the balance (null: the balance does not cover it). */
  full: PayOption | null;
  /** Balance + QRIS for the rest (null: no balance, or it covers everything). */
  split: PayOption | null;
}

/** An order summary that shows a discount and a balance part. */
export interface PaidSummary {
  orderId: string;
  productName: string;
  quantity: number;
  unitPrice: number;
  subtotal: number;
  discount: number;
  balancePaid: number;
  fee: number;
  qrisAmount: number;
  total: number;
}

/** A voucher as /voucher list shows it. */
export type VoucherLine = Pick<
  StoreVoucher,
  | 'code'
  | 'kind'
  | 'value'
  | 'productId'
  | 'expiresAt'
  | 'maxUses'
  | 'maxUsesPerUser'
  | 'usedCount'
  | 'isActive'
>;

const REASONS_ID: Record<BalanceReason, string> = {
  topup: 'Top up',
  order_payment: 'Bayar pesanan',
  refund: 'Pengembalian',
  late_payment: 'Pembayaran terlambat',
  overpayment: 'Kelebihan bayar',
  underpayment: 'Pembayaran tidak sesuai',
  adjustment: 'Penyesuaian admin',
};

const REASONS_EN: Record<BalanceReason, string> = {
  topup: 'Top-up',
  order_payment: 'Order payment',
  refund: 'Refund',
  late_payment: 'Late payment',
  overpayment: 'Overpayment',
  underpayment: 'Mismatched payment',
  adjustment: 'Admin adjustment',
};

const VOUCHER_REFUSALS_ID: Record<string, string> = {
  not_found: 'kode voucher tidak ditemukan',
  inactive: 'voucher sudah tidak aktif',
  expired: 'voucher sudah kedaluwarsa',
  exhausted: 'kuota voucher sudah habis',
  user_limit: 'Anda sudah memakai voucher ini sebanyak batasnya',
  wrong_product: 'voucher tidak berlaku untuk produk ini',
  not_applicable: 'voucher tidak memberi potongan untuk pesanan ini',
};

const VOUCHER_REFUSALS_EN: Record<string, string> = {
  not_found: 'voucher code not found',
  inactive: 'the voucher is no longer active',
  expired: 'the voucher has expired',
  exhausted: 'the voucher has been used up',
  user_limit: 'you have used this voucher as often as allowed',
  wrong_product: 'the voucher is not valid for this product',
  not_applicable: 'the voucher gives no discount on this order',
};

const signed = (delta: number) => (delta > 0 ? `+${rupiah(delta)}` : `-${rupiah(-delta)}`);

function voucherValue(v: Pick<VoucherLine, 'kind' | 'value'>): string {
  return v.kind === 'percent' ? `${v.value}%` : rupiah(v.value);
}

export const walletId = {
  // ── Checkout choice ──
  buttonPayQris: '💳 Bayar QRIS',
  buttonPayFree: '✅ Ambil pesanan',
  buttonPayBalance: '👛 Bayar pakai saldo',
  buttonPaySplit: '👛 Saldo + QRIS',
  buttonUseVoucher: '🎟️ Pakai voucher',
  checkoutChoice: (c: CheckoutChoice) =>
    '🛒 Checkout\n\n' +
    `📦 Produk: ${c.productName}\n` +
    `🔢 Jumlah: ${c.quantity} × ${rupiah(c.unitPrice)}\n` +
    `💵 Subtotal: ${rupiah(c.subtotal)}\n` +
    (c.voucher ? `🎟️ Voucher ${c.voucher.code}: -${rupiah(c.voucher.discount)}\n` : '') +
    `👛 Saldo Anda: ${rupiah(c.balance)}\n\n` +
    'Pilih cara bayar:' +
    (c.qris
      ? c.qris.qrisAmount === 0
        ? '\n✅ Gratis: tidak ada yang perlu dibayar.'
        : `\n💳 QRIS: ${rupiah(c.qris.total)} (termasuk biaya QRIS ${rupiah(c.qris.fee)})`
      : '\n💳 QRIS: sedang tidak tersedia.') +
    (c.full ? `\n👛 Saldo: ${rupiah(c.full.total)}, tanpa biaya, produk langsung dikirim.` : '') +
    (c.split
      ? `\n👛 Saldo + QRIS: ${rupiah(c.split.balancePaid)} dari saldo + ${rupiah(c.split.qrisAmount)} lewat QRIS ` +
        `(biaya QRIS ${rupiah(c.split.fee)} hanya untuk bagian QRIS).`
      : ''),
  orderSummaryDetailed: (o: PaidSummary) =>
    '🧾 Ringkasan Pesanan\n\n' +
    `📦 Produk: ${o.productName}\n` +
    `🔢 Jumlah: ${o.quantity} × ${rupiah(o.unitPrice)}\n` +
    `💵 Subtotal: ${rupiah(o.subtotal)}\n` +
    (o.discount > 0 ? `🎟️ Potongan voucher: -${rupiah(o.discount)}\n` : '') +
    (o.fee > 0 ? `💳 Biaya QRIS (0,7% + Rp 310): ${rupiah(o.fee)}\n` : '') +
    `💰 Total: ${rupiah(o.total)}\n` +
    (o.balancePaid > 0 ? `👛 Dibayar dari saldo: ${rupiah(o.balancePaid)}\n` : '') +
    (o.qrisAmount > 0
      ? `📱 Dibayar lewat QRIS: ${rupiah(o.qrisAmount)}\n`
      : '✅ Lunas, produk dikirim sekarang.\n') +
    `\n🔢 Order ID: ${o.orderId}`,
  alreadyOrdered: (orderId: string) =>
    `Pesanan dari ringkasan ini sudah dibuat (${orderId}). Lihat /orders; tidak ada yang ditagih dua kali.`,
  insufficientBalance: (balance: number, needed: number) =>
    `👛 Saldo tidak cukup: saldo Anda ${rupiah(balance)}, dibutuhkan ${rupiah(needed)}. ` +
    'Bayar dengan QRIS, Saldo + QRIS, atau isi saldo dengan /topup.',
  checkoutExpired: '⌛ Ringkasan ini sudah tidak berlaku. Silakan buka produknya lagi dan tekan Beli.',

  // ── Vouchers (buyer) ──
  voucherPrompt: '🎟️ Kirim kode voucher Anda sebagai pesan berikutnya (berlaku 5 menit).',
  voucherRefused: (code: string, reason: string) =>
    `🎟️ Voucher ${code} tidak bisa dipakai: ${VOUCHER_REFUSALS_ID[reason] ?? reason}.`,
  voucherBadCode:
    '🎟️ Kode voucher berisi 3–32 huruf, angka, _ atau -. Tekan "Pakai voucher" untuk mencoba lagi.',

  // ── Balance ──
  buttonWallet: '👛 Saldo',
  buttonTopup: '➕ Top up',
  walletScreen: (
    balance: number,
    entries: readonly { delta: number; reason: BalanceReason; createdAt: Date }[],
  ) =>
    `👛 Saldo Anda: ${rupiah(balance)}\n\n` +
    (entries.length === 0
      ? 'Belum ada riwayat saldo.'
      : `Riwayat terakhir:\n${entries
          .map((e) => `• ${wibDate(e.createdAt)} ${REASONS_ID[e.reason]}: ${signed(e.delta)}`)
          .join('\n')}`) +
    '\n\nIsi saldo dengan /topup <nominal> (minimal Rp 10.000).',
  topupPrompt: (min: number) =>
    `➕ Top up saldo\n\nPilih nominal di bawah, atau kirim nominal sebagai pesan (minimal ${rupiah(min)}). ` +
    'Biaya QRIS (0,7% + Rp 310) ditambahkan.',
  topupTooSmall: (min: number) => `⚠️ Top up minimal ${rupiah(min)}.`,
  topupTooLarge: (max: number) => `⚠️ Top up maksimal ${rupiah(max)}.`,
  topupNotANumber: '⚠️ Nominal harus berupa angka rupiah, misalnya 50000 atau 50.000.',
  topupSummary: (o: { orderId: string; amount: number; fee: number; total: number }) =>
    '🧾 Top up Saldo\n\n' +
    `👛 Saldo yang ditambahkan: ${rupiah(o.amount)}\n` +
    `💳 Biaya QRIS (0,7% + Rp 310): ${rupiah(o.fee)}\n` +
    `💰 Total: ${rupiah(o.total)}\n\n` +
    `🔢 Order ID: ${o.orderId}`,
  topupProduct: (amount: number) => `Top up saldo ${rupiah(amount)}`,
  topupQrPaidCaption: (orderId: string, total: number) =>
    `✅ Pembayaran berhasil!\n🔢 Order ID: ${orderId}\n💰 Total: ${rupiah(total)}`,
  topupDone: (amount: number, balance: number) =>
    `✅ Saldo bertambah ${rupiah(amount)}. Saldo sekarang ${rupiah(balance)}.`,
  topupCancelled: (orderId: string) => `❌ Top up ${orderId} dibatalkan. Tidak ada saldo yang ditagih.`,
  lateCredited: (orderId: string, amount: number, balance: number) =>
    `💰 Pembayaran untuk pesanan ${orderId} masuk setelah kedaluwarsa; ${rupiah(amount)} ditambahkan ke saldo Anda. ` +
    `Saldo sekarang ${rupiah(balance)}. Pakai untuk belanja berikutnya (👛 Bayar pakai saldo).`,
  mismatchCredited: (orderId: string, amount: number, balance: number) =>
    `💰 Nominal pembayaran untuk pesanan ${orderId} tidak sesuai tagihan; ${rupiah(amount)} ditambahkan ke saldo Anda. ` +
    `Saldo sekarang ${rupiah(balance)}.`,

  // ── Admin: /voucher ──
  voucherUsage:
    'Format:\n' +
    '/voucher create KODE percent|fixed NILAI [product=ID] [expires=YYYY-MM-DD] [max=N] [per_user=N]\n' +
    '/voucher list\n' +
    '/voucher disable KODE\n\n' +
    'Contoh: /voucher create HEMAT10 percent 10 expires=2030-12-31 max=100 per_user=1',
  voucherCreated: (v: VoucherLine) => `✅ Voucher dibuat:\n${walletVoucherLine(v, 'id')}`,
  voucherDisabled: (code: string) => `✅ Voucher ${code} dinonaktifkan.`,
  voucherNotFound: (code: string) => `Voucher ${code} tidak ditemukan.`,
  voucherListEmpty: 'Belum ada voucher. Buat dengan /voucher create.',
  voucherList: (vouchers: readonly VoucherLine[]) =>
    `🎟️ Voucher (${thousands(vouchers.length)}):\n\n${vouchers.map((v) => walletVoucherLine(v, 'id')).join('\n')}`,
};

/** One voucher on one line. */
function walletVoucherLine(v: VoucherLine, language: 'id' | 'en'): string {
  const id = language === 'id';
  const parts = [
    `${v.code}: ${voucherValue(v)}`,
    v.productId === null ? null : `${id ? 'produk' : 'product'} #${v.productId}`,
    v.expiresAt ? `${id ? 's/d' : 'until'} ${wibDate(new Date(v.expiresAt.getTime() - 1))}` : null,
    `${id ? 'dipakai' : 'used'} ${thousands(v.usedCount)}${v.maxUses === null ? '' : `/${thousands(v.maxUses)}`}`,
    v.maxUsesPerUser === null ? null : `${id ? 'per pengguna' : 'per user'} ${v.maxUsesPerUser}`,
    v.isActive ? (id ? 'aktif' : 'active') : id ? 'nonaktif' : 'disabled',
  ];
  return `• ${parts.filter((p) => p !== null).join(' — ')}`;
}

/** The same texts in English. */
export const walletEn: typeof walletId = {
  buttonPayQris: '💳 Pay by QRIS',
  buttonPayFree: '✅ Get the order',
  buttonPayBalance: '👛 Pay from balance',
  buttonPaySplit: '👛 Balance + QRIS',
  buttonUseVoucher: '🎟️ Use a voucher',
  checkoutChoice: (c) =>
    '🛒 Checkout\n\n' +
    `📦 Product: ${c.productName}\n` +
    `🔢 Quantity: ${c.quantity} × ${rupiah(c.unitPrice)}\n` +
    `💵 Subtotal: ${rupiah(c.subtotal)}\n` +
    (c.voucher ? `🎟️ Voucher ${c.voucher.code}: -${rupiah(c.voucher.discount)}\n` : '') +
    `👛 Your balance: ${rupiah(c.balance)}\n\n` +
    'Choose how to pay:' +
    (c.qris
      ? c.qris.qrisAmount === 0
        ? '\n✅ Free: nothing to pay.'
        : `\n💳 QRIS: ${rupiah(c.qris.total)} (including the QRIS fee of ${rupiah(c.qris.fee)})`
      : '\n💳 QRIS: unavailable right now.') +
    (c.full ? `\n👛 Balance: ${rupiah(c.full.total)}, no fee, delivered at once.` : '') +
    (c.split
      ? `\n👛 Balance + QRIS: ${rupiah(c.split.balancePaid)} from your balance + ${rupiah(c.split.qrisAmount)} by QRIS ` +
        `(the QRIS fee of ${rupiah(c.split.fee)} applies to the QRIS part only).`
      : ''),
  orderSummaryDetailed: (o) =>
    '🧾 Order Summary\n\n' +
    `📦 Product: ${o.productName}\n` +
    `🔢 Quantity: ${o.quantity} × ${rupiah(o.unitPrice)}\n` +
    `💵 Subtotal: ${rupiah(o.subtotal)}\n` +
    (o.discount > 0 ? `🎟️ Voucher discount: -${rupiah(o.discount)}\n` : '') +
    (o.fee > 0 ? `💳 QRIS fee (0.7% + Rp 310): ${rupiah(o.fee)}\n` : '') +
    `💰 Total: ${rupiah(o.total)}\n` +
    (o.balancePaid > 0 ? `👛 Paid from balance: ${rupiah(o.balancePaid)}\n` : '') +
    (o.qrisAmount > 0 ? `📱 Paid by QRIS: ${rupiah(o.qrisAmount)}\n` : '✅ Paid in full, delivering now.\n') +
    `\n🔢 Order ID: ${o.orderId}`,
  alreadyOrdered: (orderId) =>
    `The order from this summary was already made (${orderId}). See /orders; nothing is charged twice.`,
  insufficientBalance: (balance, needed) =>
    `👛 Not enough balance: you have ${rupiah(balance)}, ${rupiah(needed)} is needed. ` +
    'Pay by QRIS, Balance + QRIS, or top up with /topup.',
  checkoutExpired: '⌛ This summary is no longer valid. Please open the product again and press Buy.',

  voucherPrompt: '🎟️ Send your voucher code as your next message (valid for 5 minutes).',
  voucherRefused: (code, reason) =>
    `🎟️ Voucher ${code} cannot be used: ${VOUCHER_REFUSALS_EN[reason] ?? reason}.`,
  voucherBadCode: '🎟️ A voucher code is 3–32 letters, digits, _ or -. Press "Use a voucher" to try again.',

  buttonWallet: '👛 Balance',
  buttonTopup: '➕ Top up',
  walletScreen: (balance, entries) =>
    `👛 Your balance: ${rupiah(balance)}\n\n` +
    (entries.length === 0
      ? 'No balance history yet.'
      : `Latest changes:\n${entries
          .map((e) => `• ${wibDate(e.createdAt)} ${REASONS_EN[e.reason]}: ${signed(e.delta)}`)
          .join('\n')}`) +
    '\n\nTop up with /topup <amount> (at least Rp 10.000).',
  topupPrompt: (min) =>
    `➕ Top up your balance\n\nPick an amount below, or send an amount as a message (at least ${rupiah(min)}). ` +
    'The QRIS fee (0.7% + Rp 310) is added.',
  topupTooSmall: (min) => `⚠️ The smallest top-up is ${rupiah(min)}.`,
  topupTooLarge: (max) => `⚠️ The largest top-up is ${rupiah(max)}.`,
  topupNotANumber: '⚠️ The amount must be a number of rupiah, e.g. 50000 or 50.000.',
  topupSummary: (o) =>
    '🧾 Balance Top-up\n\n' +
    `👛 Added to your balance: ${rupiah(o.amount)}\n` +
    `💳 QRIS fee (0.7% + Rp 310): ${rupiah(o.fee)}\n` +
    `💰 Total: ${rupiah(o.total)}\n\n` +
    `🔢 Order ID: ${o.orderId}`,
  topupProduct: (amount) => `Balance top-up ${rupiah(amount)}`,
  topupQrPaidCaption: (orderId, total) =>
    `✅ Payment received!\n🔢 Order ID: ${orderId}\n💰 Total: ${rupiah(total)}`,
  topupDone: (amount, balance) =>
    `✅ Balance increased by ${rupiah(amount)}. Balance now ${rupiah(balance)}.`,
  topupCancelled: (orderId) => `❌ Top-up ${orderId} cancelled. Nothing was charged.`,
  lateCredited: (orderId, amount, balance) =>
    `💰 The payment for order ${orderId} arrived after it expired; ${rupiah(amount)} was added to your balance. ` +
    `Balance now ${rupiah(balance)}. Use it for your next purchase (👛 Pay from balance).`,
  mismatchCredited: (orderId, amount, balance) =>
    `💰 The payment for order ${orderId} did not match the bill; ${rupiah(amount)} was added to your balance. ` +
    `Balance now ${rupiah(balance)}.`,

  voucherUsage:
    'Usage:\n' +
    '/voucher create CODE percent|fixed VALUE [product=ID] [expires=YYYY-MM-DD] [max=N] [per_user=N]\n' +
    '/voucher list\n' +
    '/voucher disable CODE\n\n' +
    'Example: /voucher create SAVE10 percent 10 expires=2030-12-31 max=100 per_user=1',
  voucherCreated: (v) => `✅ Voucher created:\n${walletVoucherLine(v, 'en')}`,
  voucherDisabled: (code) => `✅ Voucher ${code} disabled.`,
  voucherNotFound: (code) => `Voucher ${code} not found.`,
  voucherListEmpty: 'No vouchers yet. Create one with /voucher create.',
  voucherList: (vouchers) =>
    `🎟️ Vouchers (${thousands(vouchers.length)}):\n\n${vouchers.map((v) => walletVoucherLine(v, 'en')).join('\n')}`,
};
