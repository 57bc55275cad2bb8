/**
 * The hosted checkout page and its "not found" page, as server-rendered HTML. Everything is on the
 * page at once: the script only switches `body[data-status]` (CSS shows the matching state) and
 * fills in live values, so the page works without JavaScript (a meta refresh inside <noscript>
 * reloads a pending page). Every interpolated value goes through the `html` escaper.
 */
import { type CheckoutPayment, type CheckoutStatus, checkoutStatus } from './checkout-data.js';
import { formatCountdown, formatRupiah, formatWib } from './format.js';
import { html, type SafeHtml } from './html.js';
import { type Lang, MESSAGES, type Messages } from './messages.js';

/** The URLs of the page's stylesheet and script (content-hashed, see assets.ts). */
export interface AssetUrls {
  css: string;
  js: string;
}

/** Everything the checkout page shows. */
export interface CheckoutPageModel {
  payment: CheckoutPayment;
  lang: Lang;
  now: Date;
  assets: AssetUrls;
  /** Sandbox mode: a banner and the "Simulate payment" control. */
  sandbox: boolean;
  /** Delay between the success state and the redirect to back_url. */
  redirectDelayMs: number;
  /** Reload interval of a pending page when JavaScript is off. */
  noScriptRefreshSeconds: number;
  /** Status polling interval of the script when Server-Sent Events are unavailable. */
  pollMs: number;
}

/** `url` when it is an absolute http(s) URL, else null (a back link must never be `javascript:`). */
export function safeHttpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The page's own path with `?lang=`. */
function pagePath(id: string, lang: Lang, suffix = ''): string {
  return `/checkout/${encodeURIComponent(id)}${suffix}?lang=${lang}`;
}

const ICONS = {
  check: html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M5 12.5l4.2 4.2L19 7" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/></svg>`,
  cross: html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 7l10 10M17 7L7 17" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round"/></svg>`,
  clock: html`<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="8.5" fill="none" stroke="currentColor" stroke-width="2.2"/><path d="M12 7.5V12l3 2" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/></svg>`,
  lock: html`<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="5" y="10.5" width="14" height="10" rx="2.5" fill="currentColor"/><path d="M8 10.5V8a4 4 0 018 0v2.5" fill="none" stroke="currentColor" stroke-width="2"/></svg>`,
};

/** The document frame shared by both pages. */
function documentOf(options: {
  lang: Lang;
  title: string;
  assets: AssetUrls;
  head?: SafeHtml;
  bodyAttributes?: SafeHtml;
  main: SafeHtml;
}): string {
  const t = MESSAGES[options.lang];
  return html`<!doctype html>
<html lang="${t.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<meta name="color-scheme" content="light">
<title>${options.title}</title>
<link rel="stylesheet" href="${options.assets.css}">
${options.head}
</head>
<body ${options.bodyAttributes}>
<main class="card">
${options.main}
</main>
<footer class="footer">${ICONS.lock}<span>${t.securedBy}</span></footer>
</body>
</html>
`.value;
}

function merchantHeader(t: Messages, name: string, otherLangHref: string, otherLang: Lang): SafeHtml {
  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? '?';
  return html`<header class="merchant">
  <div class="avatar" aria-hidden="true">${initial}</div>
  <div class="merchant-text"><p class="eyebrow">${t.payTo}</p><h1 id="merchant">${name}</h1></div>
  <a class="lang" id="lang-switch" href="${otherLangHref}" hreflang="${otherLang}" lang="${otherLang}">${t.otherLang}</a>
</header>`;
}

function itemsTable(t: Messages, payment: CheckoutPayment, lang: Lang): SafeHtml | null {
  const items = payment.items ?? [];
  if (items.length === 0) return null;
  const sum = items.reduce((total, item) => total + item.price * item.quantity, 0);
  const rows = items.map(
    (item) => html`<tr class="item">
  <td><span class="item-name">${item.name}</span><span class="item-unit"><span class="item-qty">${item.quantity}</span> × <span class="item-price">${formatRupiah(item.price, lang)}</span></span></td>
  <td class="num item-total">${formatRupiah(item.price * item.quantity, lang)}</td>
</tr>`,
  );
  const adjustment =
    sum !== payment.amount
      ? html`<tr class="adjustment"><td>${t.adjustment}</td><td class="num">${formatRupiah(payment.amount - sum, lang)}</td></tr>`
      : null;
  return html`<section class="items" aria-labelledby="items-title">
<h2 id="items-title">${t.items}</h2>
<table id="items">
<thead><tr><th scope="col">${t.itemCol}</th><th scope="col" class="num">${t.lineTotalCol}</th></tr></thead>
<tbody>${rows}${adjustment}</tbody>
<tfoot><tr><th scope="row">${t.total}</th><td class="num" id="items-total">${formatRupiah(payment.amount, lang)}</td></tr></tfoot>
</table>
</section>`;
}

function pendingState(model: CheckoutPageModel, t: Messages): SafeHtml {
  const { payment, lang, now } = model;
  const id = encodeURIComponent(payment.id);
  const qr = payment.hasQr
    ? html`<figure class="qr">
  <div class="qr-brand" aria-hidden="true"><span class="qris">QRIS</span><span class="gpn">GPN</span></div>
  <img id="qr" src="/qr/${id}.png?size=512" width="240" height="240" alt="${t.qrAlt}">
  <figcaption>${payment.merchantName}</figcaption>
</figure>
<a class="button secondary" id="download-qr" href="/qr/${id}.png?size=1024" download="qris-${payment.id}.png">${t.downloadQr}</a>`
    : null;
  const simulate = model.sandbox
    ? html`<form class="simulate" id="simulate-form" method="post" enctype="text/plain" action="${pagePath(payment.id, lang, '/simulate')}">
  <button class="button sandbox" id="simulate" type="submit">${t.simulate}</button>
  <p class="error" id="simulate-error" role="alert" hidden>${t.simulateFailed}</p>
</form>`
    : null;
  return html`<section class="state state-pending" id="state-pending">
<div class="timer">
  <p><span class="timer-label">${t.timeLeft}</span> <strong id="countdown">${formatCountdown(payment.expiresAt.getTime() - now.getTime())}</strong></p>
  <p class="muted" id="pay-before">${t.payBefore} ${formatWib(payment.expiresAt, lang)}</p>
</div>
${qr}
<p class="help">${t.scanHelp}</p>
<p class="waiting"><span class="spinner" aria-hidden="true"></span>${t.waiting}</p>
<p class="muted small">${t.waitingHelp}</p>
${simulate}
<noscript><p class="note">${t.noscript} <a href="${pagePath(payment.id, lang)}">${t.refresh}</a></p></noscript>
</section>`;
}

function terminalStates(model: CheckoutPageModel, t: Messages, backUrl: string | null): SafeHtml {
  const { payment, lang } = model;
  const seconds = Math.ceil(model.redirectDelayMs / 1000);
  const back = backUrl
    ? html`<p class="redirect" id="redirect-note">${t.redirectBefore} <strong id="redirect-seconds">${seconds}</strong> ${t.redirectAfter}</p>
<a class="button" id="back-link" href="${backUrl}" rel="noreferrer">${t.backToShop}</a>`
    : null;
  return html`<section class="state state-paid" id="state-paid">
<div class="badge-icon ok">${ICONS.check}</div>
<h2>${t.paidTitle}</h2>
<p>${t.paidText}</p>
<p class="muted" id="paid-at"${payment.paidAt ? null : html` hidden`}>${t.paidAt} <span id="paid-at-text">${payment.paidAt && formatWib(payment.paidAt, lang)}</span></p>
${back}
</section>
<section class="state state-expired" id="state-expired">
<div class="badge-icon warn">${ICONS.clock}</div>
<h2>${t.expiredTitle}</h2>
<p>${t.expiredText}</p>
</section>
<section class="state state-cancelled" id="state-cancelled">
<div class="badge-icon bad">${ICONS.cross}</div>
<h2>${t.cancelledTitle}</h2>
<p>${t.cancelledText}</p>
</section>`;
}

/** The checkout page of one payment. */
export function renderCheckoutPage(model: CheckoutPageModel): string {
  const { payment, lang, now } = model;
  const t = MESSAGES[lang];
  const otherLang: Lang = lang === 'id' ? 'en' : 'id';
  const status: CheckoutStatus = checkoutStatus(payment, now);
  const backUrl = safeHttpUrl(payment.backUrl);
  const refresh =
    status === 'pending'
      ? html`<noscript><meta http-equiv="refresh" content="${model.noScriptRefreshSeconds}"></noscript>`
      : status === 'paid' && backUrl
        ? html`<noscript><meta http-equiv="refresh" content="${Math.ceil(model.redirectDelayMs / 1000)};url=${backUrl}"></noscript>`
        : null;
  const sandbox = model.sandbox
    ? html`<p class="sandbox-banner" id="sandbox-banner"><strong>${t.sandboxBadge}</strong> · ${t.sandboxText}</p>`
    : null;
  const main = html`${merchantHeader(t, payment.merchantName, pagePath(payment.id, otherLang), otherLang)}
${sandbox}
<section class="amount">
  <p class="eyebrow">${t.amountLabel}</p>
  <p class="amount-row"><span id="amount">${formatRupiah(payment.amount, lang)}</span><button class="copy" id="copy-amount" type="button" data-copy="${payment.amount}" data-copied="${t.copied}" hidden>${t.copyAmount}</button></p>
  ${payment.description && html`<p class="description" id="description">${payment.description}</p>`}
  <p class="status-pill" id="status-pill" role="status" aria-live="polite"><span data-when="pending">${t.status.pending}</span><span data-when="paid">${t.status.paid}</span><span data-when="expired">${t.status.expired}</span><span data-when="cancelled">${t.status.cancelled}</span></p>
</section>
${status === 'pending' ? pendingState(model, t) : null}
${terminalStates(model, t, backUrl)}
${itemsTable(t, payment, lang)}
<dl class="facts">
  <div><dt>${t.reference}</dt><dd id="reference">${payment.transactionId}</dd></div>
  <div><dt>${t.paymentId}</dt><dd id="payment-id">${payment.id}</dd></div>
</dl>`;
  return documentOf({
    lang,
    title: `${t.pageTitle} · ${payment.merchantName}`,
    assets: model.assets,
    head: html`${refresh}
<script src="${model.assets.js}" defer></script>`,
    bodyAttributes: html`data-status="${status}" data-final="${String(payment.status !== 'pending')}" data-payment="${payment.id}" data-lang="${lang}" data-expires-at="${payment.expiresAt.toISOString()}" data-now="${now.getTime()}" data-redirect-ms="${model.redirectDelayMs}" data-poll-ms="${model.pollMs}" data-back-url="${backUrl ?? ''}"`,
    main,
  });
}

/** The friendly page of an unknown payment id (served with status 404). */
export function renderNotFoundPage(options: { lang: Lang; assets: AssetUrls }): string {
  const t = MESSAGES[options.lang];
  return documentOf({
    lang: options.lang,
    title: t.notFoundTitle,
    assets: options.assets,
    bodyAttributes: html`data-status="not-found"`,
    main: html`<section class="not-found" id="not-found">
<div class="badge-icon warn">${ICONS.cross}</div>
<h1>${t.notFoundTitle}</h1>
<p>${t.notFoundText}</p>
</section>`,
  });
}
