// The hosted payment page: one self-contained HTML document (inline CSS and script, the QR as a
// data URL), in Indonesian as Pakasir's, with a live countdown, the status, and a sandbox-only
// "Simulate payment" button.
import type { PaymentMethod, TransactionStatus } from '@quickcart/pakasir';
import { escapeHtml, formatRupiah, jsonForScript } from './html.js';
import { wibTimestamp } from './time.js';

/** "2025-09-19 08:18 WIB". */
const wibClock = (epochMs: number) => `${wibTimestamp(epochMs).slice(0, 16).replace('T', ' ')} WIB`;

/** What the pay page shows. */
export interface PayPageModel {
  project: string;
  orderId: string;
  amount: number;
  fee: number;
  total: number;
  method: PaymentMethod | 'paypal';
  /** QRIS string, VA number or retail code; "" for PayPal. */
  paymentNumber: string;
  /** PNG data URL of the QRIS, for QRIS. */
  qrDataUrl: string | null;
  status: TransactionStatus;
  expiresAtMs: number;
  expiredAt: string;
  /** The sandbox clock when the page was made; the countdown runs from it. */
  nowMs: number;
  /** Where "back to the merchant" goes once paid (http or https only). */
  redirect: string | null;
  /** The method selector's links; null hides it. */
  methodChoices: { method: PaymentMethod; href: string }[] | null;
  /** POST here to pay (sandbox only). */
  payUrl: string;
  /** GET here for the current status. */
  statusUrl: string;
}

export const METHOD_LABELS: Readonly<Record<PaymentMethod | 'paypal', string>> = {
  qris: 'QRIS',
  bni_va: 'BNI Virtual Account',
  bri_va: 'BRI Virtual Account',
  cimb_niaga_va: 'CIMB Niaga Virtual Account',
  maybank_va: 'Maybank Virtual Account',
  permata_va: 'Permata Virtual Account',
  sampoerna_va: 'Bank Sampoerna Virtual Account',
  bnc_va: 'BNC Virtual Account',
  atm_bersama_va: 'ATM Bersama',
  artha_graha_va: 'Artha Graha Virtual Account',
  retail: 'Retail (Alfamart / Indomaret)',
  paypal: 'PayPal',
};

export const STATUS_LABELS: Readonly<Record<TransactionStatus, string>> = {
  pending: 'Menunggu pembayaran (pending)',
  completed: 'Pembayaran berhasil (completed, paid)',
  expired: 'Kedaluwarsa (expired)',
  canceled: 'Dibatalkan (canceled)',
};

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f2f4f7;color:#1d2939}
main{max-width:420px;margin:24px auto;background:#fff;border-radius:16px;box-shadow:0 4px 24px #0002;padding:24px}
h1{font-size:20px;margin:0 0 4px}.badge{display:inline-block;background:#fef0c7;color:#93370d;border-radius:8px;padding:0 8px;font-size:12px;font-weight:600}
.muted{color:#667085;font-size:14px}dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:16px 0}dt{color:#667085}dd{margin:0;text-align:right}
.total{font-weight:700;font-size:18px}#qr{display:block;width:256px;height:256px;margin:8px auto;image-rendering:pixelated}
.number{font:600 20px/1.4 ui-monospace,monospace;text-align:center;word-break:break-all;background:#f9fafb;border-radius:8px;padding:12px}
nav{display:flex;flex-wrap:wrap;gap:6px;margin:12px 0}nav a{border:1px solid #d0d5dd;border-radius:8px;padding:2px 8px;font-size:13px;color:inherit;text-decoration:none}
nav a[aria-current]{border-color:#1570ef;color:#1570ef;font-weight:600}#status{font-weight:600;text-align:center;margin:12px 0}
body[data-status=completed] #status{color:#067647}body[data-status=expired] #status,body[data-status=canceled] #status{color:#b42318}
button{width:100%;padding:12px;border:0;border-radius:10px;background:#1570ef;color:#fff;font-size:16px;font-weight:600;cursor:pointer}button:disabled{opacity:.5}
#redirect{display:block;text-align:center;margin-top:12px}#error{color:#b42318;text-align:center}[hidden]{display:none!important}
body:not([data-status=pending]) #qr,body:not([data-status=pending]) .number{opacity:.25}`;

const SCRIPT = `(() => {
  const data = JSON.parse(document.getElementById('pay-data').textContent);
  const statusEl = document.getElementById('status');
  const countdownEl = document.getElementById('countdown');
  const button = document.getElementById('simulate');
  const redirectEl = document.getElementById('redirect');
  const errorEl = document.getElementById('error');
  const methodsEl = document.getElementById('methods');
  const loadedAt = Date.now();
  let status = data.status;
  const pad = (n) => String(n).padStart(2, '0');
  function show(next) {
    status = next;
    statusEl.textContent = data.labels[next] || next;
    document.body.dataset.status = next;
    if (next !== 'pending' && button) { button.disabled = true; button.hidden = true; }
    if (next !== 'pending' && methodsEl) methodsEl.hidden = true;
    if (next === 'completed' && redirectEl) {
      redirectEl.hidden = false;
      setTimeout(() => location.assign(redirectEl.href), 3000);
    }
    tick();
  }
  function tick() {
    if (status !== 'pending') { countdownEl.textContent = '-'; return; }
    const left = data.expiresAtMs - (data.nowMs + (Date.now() - loadedAt));
    if (left <= 0) { countdownEl.textContent = '00:00:00'; show('expired'); return; }
    const s = Math.floor(left / 1000);
    countdownEl.textContent = pad(Math.floor(s / 3600)) + ':' + pad(Math.floor(s / 60) % 60) + ':' + pad(s % 60);
  }
  setInterval(tick, 1000);
  tick();
  if (button) button.addEventListener('click', async () => {
    button.disabled = true;
    errorEl.textContent = '';
    try {
      const response = await fetch(data.payUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ method: data.method }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || 'HTTP ' + response.status);
      show(body.transaction.status);
    } catch (error) {
      errorEl.textContent = 'Gagal: ' + error.message;
      button.disabled = false;
    }
  });
  setInterval(async () => {
    if (status !== 'pending') return;
    try {
      const response = await fetch(data.statusUrl);
      if (!response.ok) return;
      const body = await response.json();
      if (body.transaction.status !== status) show(body.transaction.status);
    } catch {}
  }, 3000);
})();`;

/** Every page's frame, with a Content-Security-Policy that allows nothing from outside. */
function htmlDocument(title: string, body: string, status = 'pending'): string {
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body data-status="${escapeHtml(status)}">
<main>
${body}
</main>
</body>
</html>
`;
}

/** The pages' Content-Security-Policy: inline style and script, data: images, fetch to itself only. */
export const PAGE_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function paymentBlock(model: PayPageModel): string {
  if (model.method === 'paypal') {
    return '<p class="number" id="payment-number">PayPal (sandbox): tekan tombol di bawah untuk membayar.</p>';
  }
  if (model.qrDataUrl !== null) {
    return `<img id="qr" src="${escapeHtml(model.qrDataUrl)}" alt="QRIS ${escapeHtml(formatRupiah(model.total))}" width="256" height="256">
<p class="muted" style="text-align:center">Pindai dengan aplikasi bank atau e-wallet apa pun.</p>`;
  }
  const label = model.method === 'retail' ? 'Kode pembayaran' : 'Nomor virtual account';
  return `<p class="muted">${label}</p><p class="number" id="payment-number">${escapeHtml(model.paymentNumber)}</p>`;
}

/** The pay page of one transaction. */
export function renderPayPage(model: PayPageModel): string {
  const selector =
    model.methodChoices === null
      ? ''
      : `<nav id="methods" aria-label="Metode pembayaran">${model.methodChoices
          .map(
            (choice) =>
              `<a href="${escapeHtml(choice.href)}" data-method="${escapeHtml(choice.method)}"${choice.method === model.method ? ' aria-current="true"' : ''}>${escapeHtml(METHOD_LABELS[choice.method])}</a>`,
          )
          .join('')}</nav>`;
  const pending = model.status === 'pending';
  const data = {
    status: model.status,
    method: model.method,
    expiresAtMs: model.expiresAtMs,
    nowMs: model.nowMs,
    payUrl: model.payUrl,
    statusUrl: model.statusUrl,
    labels: STATUS_LABELS,
  };
  return htmlDocument(
    `Bayar ${formatRupiah(model.total)} - ${model.project}`,
    `<h1>Pembayaran <span class="badge">SANDBOX</span></h1>
<p class="muted">${escapeHtml(model.project)} &middot; Order <span id="order-id">${escapeHtml(model.orderId)}</span></p>
${selector}
<p class="muted">Metode: <span id="method">${escapeHtml(METHOD_LABELS[model.method])}</span></p>
${paymentBlock(model)}
<dl>
<dt>Nominal</dt><dd id="amount" data-amount="${model.amount}">${escapeHtml(formatRupiah(model.amount))}</dd>
<dt>Biaya</dt><dd id="fee" data-fee="${model.fee}">${escapeHtml(formatRupiah(model.fee))}</dd>
<dt class="total">Total</dt><dd class="total" id="total" data-total="${model.total}">${escapeHtml(formatRupiah(model.total))}</dd>
<dt>Bayar sebelum</dt><dd><time id="expired-at" datetime="${escapeHtml(model.expiredAt)}">${escapeHtml(wibClock(model.expiresAtMs))}</time><br><span class="muted">sisa <span id="countdown">-</span></span></dd>
</dl>
<p id="status" role="status">${escapeHtml(STATUS_LABELS[model.status])}</p>
${pending ? '<button id="simulate" type="button">Simulate payment</button>' : ''}
<p id="error" role="alert"></p>
${model.redirect === null ? '' : `<a id="redirect" href="${escapeHtml(model.redirect)}"${model.status === 'completed' ? '' : ' hidden'}>Kembali ke merchant</a>`}
<script id="pay-data" type="application/json">${jsonForScript(data)}</script>
<script>${SCRIPT}</script>`,
    model.status,
  );
}

/** A page for an error answer (unknown project, bad amount …), in the same style. */
export function renderErrorPage(status: number, message: string): string {
  return htmlDocument(
    `Error ${status}`,
    `<h1>Tidak dapat menampilkan pembayaran <span class="badge">SANDBOX</span></h1>
<p id="error" role="alert">${escapeHtml(message)}</p>
<p class="muted">HTTP ${status}</p>`,
    'error',
  );
}
