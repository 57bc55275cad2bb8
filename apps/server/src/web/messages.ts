/**
 * Every text of the checkout pages, in Bahasa Indonesia (the default) and English, and the choice
 * between them: `?lang=` first, then the Accept-Language header, else Indonesian.
 */

export const LANGS = ['id', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** The page's texts; `satisfies` below makes both languages name every key. */
export interface Messages {
  htmlLang: string;
  pageTitle: string;
  payTo: string;
  amountLabel: string;
  copyAmount: string;
  copied: string;
  description: string;
  reference: string;
  paymentId: string;
  items: string;
  itemCol: string;
  qtyCol: string;
  priceCol: string;
  lineTotalCol: string;
  adjustment: string;
  total: string;
  scanTitle: string;
  scanHelp: string;
  qrAlt: string;
  downloadQr: string;
  payBefore: string;
  timeLeft: string;
  waiting: string;
  waitingHelp: string;
  paidTitle: string;
  paidText: string;
  paidAt: string;
  redirectBefore: string;
  redirectAfter: string;
  backToShop: string;
  expiredTitle: string;
  expiredText: string;
  cancelledTitle: string;
  cancelledText: string;
  sandboxBadge: string;
  sandboxText: string;
  simulate: string;
  simulateFailed: string;
  noscript: string;
  refresh: string;
  securedBy: string;
  notFoundTitle: string;
  notFoundText: string;
  /** The link to the other language, in that language. */
  otherLang: string;
  status: Record<'pending' | 'paid' | 'expired' | 'cancelled', string>;
}

export const MESSAGES = {
  id: {
    htmlLang: 'id',
    pageTitle: 'Pembayaran',
    payTo: 'Bayar ke',
    amountLabel: 'Total pembayaran',
    copyAmount: 'Salin',
    copied: 'Tersalin',
    description: 'Keterangan',
    reference: 'No. referensi',
    paymentId: 'ID pembayaran',
    items: 'Rincian pesanan',
    itemCol: 'Item',
    qtyCol: 'Jml',
    priceCol: 'Harga',
    lineTotalCol: 'Subtotal',
    adjustment: 'Biaya lain / diskon',
    total: 'Total',
    scanTitle: 'Scan QRIS untuk membayar',
    scanHelp:
      'Buka aplikasi e-wallet atau mobile banking, pilih Scan QR, lalu arahkan kamera ke kode di atas.',
    qrAlt: 'Kode QRIS pembayaran',
    downloadQr: 'Download QR',
    payBefore: 'Bayar sebelum',
    timeLeft: 'Sisa waktu',
    waiting: 'Menunggu pembayaran…',
    waitingHelp: 'Halaman ini diperbarui otomatis begitu pembayaran diterima.',
    paidTitle: 'Pembayaran berhasil',
    paidText: 'Terima kasih! Pembayaran Anda sudah diterima.',
    paidAt: 'Dibayar pada',
    redirectBefore: 'Kembali ke toko dalam',
    redirectAfter: 'detik…',
    backToShop: 'Kembali ke toko',
    expiredTitle: 'Waktu pembayaran habis',
    expiredText: 'QRIS ini sudah kedaluwarsa dan tidak bisa dibayar lagi. Silakan buat pesanan baru.',
    cancelledTitle: 'Pembayaran dibatalkan',
    cancelledText: 'Pembayaran ini sudah dibatalkan. Jangan lakukan pembayaran untuk tagihan ini.',
    sandboxBadge: 'Mode sandbox',
    sandboxText: 'Pembayaran uji coba: tidak ada uang sungguhan yang berpindah.',
    simulate: 'Simulasikan pembayaran',
    simulateFailed: 'Simulasi gagal. Coba lagi.',
    noscript: 'JavaScript nonaktif: halaman ini dimuat ulang otomatis setiap beberapa detik.',
    refresh: 'Muat ulang',
    securedBy: 'Pembayaran aman dengan QRIS · QuickCart',
    notFoundTitle: 'Pembayaran tidak ditemukan',
    notFoundText:
      'Tautan pembayaran ini tidak dikenal atau sudah tidak berlaku. Periksa kembali tautan dari penjual.',
    otherLang: 'English',
    status: { pending: 'Menunggu', paid: 'Lunas', expired: 'Kedaluwarsa', cancelled: 'Dibatalkan' },
  },
  en: {
    htmlLang: 'en',
    pageTitle: 'Payment',
    payTo: 'Pay to',
    amountLabel: 'Amount due',
    copyAmount: 'Copy',
    copied: 'Copied',
    description: 'Description',
    reference: 'Reference',
    paymentId: 'Payment ID',
    items: 'Order details',
    itemCol: 'Item',
    qtyCol: 'Qty',
    priceCol: 'Price',
    lineTotalCol: 'Subtotal',
    adjustment: 'Other charges / discount',
    total: 'Total',
    scanTitle: 'Scan the QRIS to pay',
    scanHelp: 'Open your e-wallet or mobile banking app, choose Scan QR, and point the camera at the code.',
    qrAlt: 'QRIS payment code',
    downloadQr: 'Download QR',
    payBefore: 'Pay before',
    timeLeft: 'Time left',
    waiting: 'Waiting for payment…',
    waitingHelp: 'This page updates by itself as soon as the payment arrives.',
    paidTitle: 'Payment successful',
    paidText: 'Thank you! Your payment has been received.',
    paidAt: 'Paid at',
    redirectBefore: 'Back to the shop in',
    redirectAfter: 'seconds…',
    backToShop: 'Back to the shop',
    expiredTitle: 'Payment time is up',
    expiredText: 'This QRIS has expired and can no longer be paid. Please place a new order.',
    cancelledTitle: 'Payment cancelled',
    cancelledText: 'This payment has been cancelled. Do not pay this bill.',
    sandboxBadge: 'Sandbox mode',
    sandboxText: 'A test payment: no real money moves.',
    simulate: 'Simulate payment',
    simulateFailed: 'The simulation failed. Try again.',
    noscript: 'JavaScript is off: this page reloads by itself every few seconds.',
    refresh: 'Reload',
    securedBy: 'Secure QRIS payment · QuickCart',
    notFoundTitle: 'Payment not found',
    notFoundText: 'This payment link is unknown or no longer valid. Check the link the seller gave you.',
    otherLang: 'Bahasa Indonesia',
    status: { pending: 'Pending', paid: 'Paid', expired: 'Expired', cancelled: 'Cancelled' },
  },
} as const satisfies Record<Lang, Messages>;

/** The language of a language tag ("en-US" → en, "id" or the old "in" → id), or null. */
function langOfTag(tag: string): Lang | null {
  const primary = tag.trim().toLowerCase().split('-')[0];
  if (primary === 'en') return 'en';
  if (primary === 'id' || primary === 'in') return 'id';
  return null;
}

/**
 * The page language: `?lang=en|id` wins, then the most preferred of en/id in Accept-Language
 * (q-values honoured, q=0 excluded), else Indonesian.
 * @example pickLang(undefined, 'en-GB,en;q=0.9,id;q=0.8') // 'en'
 */
export function pickLang(query: unknown, acceptLanguage: string | undefined): Lang {
  if (typeof query === 'string') {
    const chosen = langOfTag(query);
    if (chosen) return chosen;
  }
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { lang: langOfTag(tag), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((range) => range.lang !== null && range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranges[0]?.lang ?? 'id';
}
