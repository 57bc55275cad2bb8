// The hosted pages: /pay/{slug}/{amount} and /paypal/{slug}/{amount} (Pakasir's URL integration,
// which creates the transaction on first visit) and /pay-v2/{txn_id}.
import { PAYMENT_METHODS, type PaymentMethod } from '@quickcart/pakasir';
import { toDataUrl } from '@quickcart/qris';
import { badRequest, HttpError, notFound } from './errors.js';
import type { Reply } from './http-io.js';
import { checkProject, readAmount, readMethod, readOrderId } from './input.js';
import { PAGE_CSP, type PayPageModel, renderErrorPage, renderPayPage } from './pages.js';
import type { RequestContext, Route, Services } from './routes.js';
import { type SandboxMethod, shownMethod, type TransactionRecord } from './transaction.js';

/** A `redirect` query parameter: an absolute http(s) URL, or nothing. */
function readRedirect(value: string | null): string | null {
  if (value === null || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest(`redirect must be an absolute http or https URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badRequest(`redirect must be an http or https URL, got ${JSON.stringify(value)}`);
  return url.href;
}

/**
 * `target` (a path from the sandbox's root) relative to the page at `pagePath`, so the page's links
 * keep working when the sandbox is served under a prefix (QuickCart proxies it under /sandbox/pakasir/).
 */
export function fromPage(pagePath: string, target: string): string {
  const depth = pagePath.split('/').length - 2;
  return `${'../'.repeat(depth)}${target.replace(/^\//, '')}` || './';
}

const html = (status: number, body: string): Reply => ({
  status,
  html: body,
  headers: { 'Content-Security-Policy': PAGE_CSP, 'X-Frame-Options': 'DENY' },
});

/** Runs a page handler; an HttpError becomes an HTML error page with its status. */
async function page(render: () => Promise<string>): Promise<Reply> {
  try {
    return html(200, await render());
  } catch (error) {
    if (error instanceof HttpError) return html(error.status, renderErrorPage(error.status, error.message));
    throw error;
  }
}

export function pageRoutes(services: Services): Route[] {
  const { ledger } = services;

  const model = async (
    pagePath: string,
    txn: TransactionRecord,
    redirect: string | null,
    choiceHref: ((method: PaymentMethod) => string) | null,
  ): Promise<PayPageModel> => {
    const status = ledger.status(txn);
    const method = shownMethod(txn.method);
    const choose = choiceHref !== null && txn.methodOpen && status === 'pending';
    const id = encodeURIComponent(txn.orderId);
    return {
      project: txn.project,
      orderId: txn.orderId,
      amount: txn.amount,
      fee: txn.fee,
      total: txn.totalPayment,
      method,
      paymentNumber: txn.paymentNumber,
      qrDataUrl: method === 'qris' ? await toDataUrl(txn.paymentNumber, { scale: 6 }) : null,
      status,
      expiresAtMs: txn.expiresAt,
      expiredAt: txn.expiredAt,
      nowMs: services.now(),
      redirect,
      methodChoices: choose ? PAYMENT_METHODS.map((m) => ({ method: m, href: choiceHref(m) })) : null,
      payUrl: fromPage(pagePath, `/sandbox/pay/${id}`),
      statusUrl: fromPage(pagePath, `/sandbox/transactions/${id}`),
    };
  };

  /** /pay and /paypal: create the transaction on first visit, switch the method when asked. */
  const payUrlPage = (paypal: boolean) => (context: RequestContext) =>
    page(async () => {
      checkProject(context.params[0], services.project);
      const amount = readAmount(context.params[1], true);
      const query = context.url.searchParams;
      const orderId = readOrderId(query.get('order_id') ?? undefined);
      const redirect = readRedirect(query.get('redirect'));
      const qrisOnly = query.get('qris_only') === '1' || query.get('qris_only') === 'true';
      const asked = query.get('method');
      const wanted: SandboxMethod | undefined = paypal
        ? 'paypal'
        : qrisOnly
          ? 'qris'
          : asked !== null
            ? readMethod(asked, false)
            : undefined;
      const { txn } = ledger.create({
        orderId,
        amount,
        method: wanted ?? 'qris',
        version: 'v1',
        methodOpen: true,
      });
      if (wanted !== undefined) ledger.switchMethod(txn, wanted);
      const choiceHref =
        paypal || qrisOnly
          ? null
          : (method: PaymentMethod) => {
              const next = new URLSearchParams(query);
              next.set('method', method);
              return `?${next}`;
            };
      return renderPayPage(await model(context.url.pathname, txn, redirect, choiceHref));
    });

  return [
    { method: 'GET', path: /^\/pay\/([^/]+)\/([^/]+)$/, handle: payUrlPage(false) },
    { method: 'GET', path: /^\/paypal\/([^/]+)\/([^/]+)$/, handle: payUrlPage(true) },
    {
      method: 'GET',
      path: /^\/pay-v2\/([^/]+)$/,
      handle: (context: RequestContext) =>
        page(async () => {
          const txn = ledger.byTxnId(context.params[0] ?? '');
          if (!txn) throw notFound(`transaction not found: ${context.params[0]}`);
          const query = context.url.searchParams;
          const asked = query.get('method');
          if (asked !== null) ledger.switchMethod(txn, readMethod(asked, false));
          const choiceHref = (method: PaymentMethod) => {
            const next = new URLSearchParams(query);
            next.set('method', method);
            return `?${next}`;
          };
          return renderPayPage(
            await model(context.url.pathname, txn, readRedirect(query.get('redirect')), choiceHref),
          );
        }),
    },
  ];
}
