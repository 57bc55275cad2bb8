import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../http/context.js';
import { sendStatusStream } from '../http/sse.js';
import { QuickCartError } from '../payments/errors.js';
import { ASSET_PREFIX, type CheckoutAssets, loadCheckoutAssets } from './assets.js';
import { type CheckoutPayment, checkoutStatusBody, loadCheckout } from './checkout-data.js';
import { type Lang, pickLang } from './messages.js';
import { renderCheckoutPage, renderNotFoundPage } from './page.js';

/**
 * The hosted checkout page (ARCHITECTURE.md `src/web/`), public by payment id:
 * - `GET /checkout/:id`: the page (HTML; a friendly 404 page for an unknown id), `?lang=en|id`
 *   or Accept-Language, Indonesian by default;
 * - `GET /checkout/:id/status`: `{ status, final, expires_at, paid_at, paid_at_text }` (the
 *   script's polling fallback);
 * - `GET /checkout/:id/events`: the same as Server-Sent Events (`event: status`), driven by
 *   `payments.subscribe` (the notifier), ending after a final status;
 * - `POST /checkout/:id/simulate`: sandbox mode only (else the route does not exist), pays the
 *   payment through the sandbox; JSON for the script, a 303 back to the page for the no-JS form;
 * - `GET /checkout/assets/checkout.<hash>.css|js`: the stylesheet and script, cached for good.
 * Pages carry a strict CSP (scripts and styles from this origin only, no inline code), no
 * referrer, no framing. Nothing secret is read: see checkout-data.ts.
 */

/** The Content-Security-Policy of the checkout pages. */
export const CHECKOUT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Options of `registerCheckoutRoutes()`; the defaults are what `buildApp()` uses. */
export interface CheckoutRouteOptions {
  /** From the success state to the redirect to back_url (default 5 s). */
  redirectDelayMs?: number;
  /** The script's polling interval when SSE is unavailable (default 3 s). */
  pollMs?: number;
  /** How often a pending page reloads when JavaScript is off (default 5 s). */
  noScriptRefreshSeconds?: number;
  /** Default: read from src/web/assets. */
  assets?: CheckoutAssets;
}

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CHECKOUT_CSP)
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
}

function notFound(id: string): QuickCartError {
  return new QuickCartError('NOT_FOUND', { message: `payment ${id} not found`, details: { id } });
}

type IdRequest = FastifyRequest<{ Params: { id: string }; Querystring: { lang?: unknown } }>;

function langOf(request: IdRequest): Lang {
  return pickLang(request.query.lang, request.headers['accept-language']);
}

export function registerCheckoutRoutes(
  app: FastifyInstance,
  context: RouteContext,
  options: CheckoutRouteOptions = {},
): void {
  const { db, payments, now, longRequests } = context;
  const assets = options.assets ?? loadCheckoutAssets();
  const limited = { onRequest: context.hooks.limits.read };
  const pageOptions = {
    assets: assets.urls,
    sandbox: context.config.pakasir.mode === 'sandbox',
    redirectDelayMs: options.redirectDelayMs ?? 5000,
    pollMs: options.pollMs ?? 3000,
    noScriptRefreshSeconds: options.noScriptRefreshSeconds ?? 5,
  };

  app.get<{ Params: { file: string } }>(`${ASSET_PREFIX}:file`, async (request, reply) => {
    const asset = assets.byName.get(request.params.file);
    if (!asset) {
      throw new QuickCartError('NOT_FOUND', { message: `no checkout asset ${request.params.file}` });
    }
    return reply
      .header('content-type', asset.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(asset.body);
  });

  app.get('/checkout/:id', limited, async (request: IdRequest, reply) => {
    const lang = langOf(request);
    securityHeaders(reply)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('vary', 'accept-language');
    const payment = await loadCheckout(db, request.params.id);
    if (!payment) return reply.code(404).send(renderNotFoundPage({ lang, assets: assets.urls }));
    return reply.send(renderCheckoutPage({ ...pageOptions, payment, lang, now: now() }));
  });

  app.get('/checkout/:id/status', limited, async (request: IdRequest, reply) => {
    const payment = await loadCheckout(db, request.params.id);
    if (!payment) throw notFound(request.params.id);
    reply.header('cache-control', 'no-store');
    return checkoutStatusBody(payment, now(), langOf(request));
  });

  app.get('/checkout/:id/events', limited, async (request: IdRequest, reply) => {
    const lang = langOf(request);
    const first = await loadCheckout(db, request.params.id);
    if (!first) throw notFound(request.params.id);
    type State = Pick<CheckoutPayment, 'status' | 'expiresAt' | 'paidAt'>;
    reply.header('x-content-type-options', 'nosniff');
    return sendStatusStream<State>(reply, {
      subscribe: (listener) => payments.subscribe(first.partnerId, first.id, listener),
      read: async () => {
        const current = await loadCheckout(db, first.id);
        if (!current) throw notFound(first.id);
        return current;
      },
      toEvent: (payment) => {
        const body = checkoutStatusBody(payment, now(), lang);
        return { status: body.status, data: body, final: body.final };
      },
      longRequests,
      heartbeatMs: context.heartbeatMs,
    });
  });

  if (pageOptions.sandbox) {
    app.post('/checkout/:id/simulate', limited, async (request: IdRequest, reply) => {
      const lang = langOf(request);
      const payment = await loadCheckout(db, request.params.id);
      if (!payment) throw notFound(request.params.id);
      const wantsJson = (request.headers.accept ?? '').includes('application/json');
      try {
        const paid = await payments.simulate(payment.partnerId, payment.id);
        request.log.info({ payment_id: paid.id, status: paid.status }, 'checkout page simulated a payment');
        if (wantsJson) return checkoutStatusBody(paid, now(), lang);
      } catch (error) {
        if (wantsJson) throw error;
        request.log.info({ payment_id: payment.id, err: (error as Error).message }, 'simulate refused');
      }
      // The no-JS form: back to the page, which shows whatever the payment is now.
      return reply
        .code(303)
        .header('location', `/checkout/${encodeURIComponent(payment.id)}?lang=${lang}`)
        .send();
    });
  }
}
