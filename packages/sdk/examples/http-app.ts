// A shop backend on node:http with @quickcart/sdk: seed 002's Express endpoints (create, status,
// long-poll wait, cancel) and a verified webhook endpoint. Run it:
//   QUICKCART_URL=http://localhost:3000 QUICKCART_API_KEY=qc_test_… QUICKCART_WEBHOOK_SECRET=whsec_… \
//   QUICKCART_LICENSE_KEY=… npx tsx examples/http-app.ts
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import {
  ApiError,
  PaymentTimeoutError,
  QuickCart,
  UsageError,
  type WebhookEvent,
  WebhookVerificationError,
} from '@quickcart/sdk';

export interface ShopOptions {
  qc: QuickCart;
  /** The webhook secret QuickCart gave your account (`whsec_…`). */
  webhookSecret: string;
  /** The license that pays for payments. */
  licenseKey: string;
  /** Called once per verified webhook event (dedupe on `webhookId`: deliveries can repeat). */
  onEvent?: (event: WebhookEvent, webhookId: string | null) => Promise<void> | void;
}

async function rawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** QuickCart's errors as answers of this app: its 4xx as they are, its 5xx and no answer as 502. */
function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof ApiError) {
    const status = error.status < 500 ? error.status : 502;
    send(res, status, {
      success: false,
      error: error.message,
      code: error.code,
      request_id: error.requestId,
    });
  } else if (error instanceof UsageError) {
    send(res, 400, { success: false, error: error.message });
  } else {
    send(res, 502, { success: false, error: error instanceof Error ? error.message : String(error) });
  }
}

/** The shop's HTTP server (not listening yet). */
export function createShop(options: ShopOptions): Server {
  const { qc } = options;
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, api, kind, id, action] = url.pathname.split('/'); // /api/payment/:id/:action
    try {
      if (req.method === 'POST' && url.pathname === '/api/webhook/payment') {
        // The raw bytes: the signatures cover them exactly, so no JSON parsing before this.
        const event = await qc.webhooks.constructEvent(
          await rawBody(req),
          req.headers,
          options.webhookSecret,
        );
        await options.onEvent?.(event, [req.headers['webhook-id']].flat()[0] ?? null);
        return send(res, 200, { received: true });
      }
      if (req.method === 'POST' && url.pathname === '/api/payment/qris') {
        const { amount, reference_id, description } = JSON.parse((await rawBody(req)).toString() || '{}');
        const qris = await qc.payment.generateQRIS({
          license_key: options.licenseKey,
          amount,
          reference_id,
          description,
        });
        return send(res, 201, {
          success: true,
          transaction_id: qris.transaction_id,
          qris_string: qris.qris_string,
          qris_image_url: qris.qris_image_url,
          expires_at: qris.expires_at,
        });
      }
      if (api !== 'api' || kind !== 'payment' || !id)
        return send(res, 404, { success: false, error: 'no such route' });
      const paymentId = decodeURIComponent(id);
      if (req.method === 'GET' && action === 'status') {
        return send(res, 200, await qc.payment.checkPaymentStatus(paymentId));
      }
      if (req.method === 'GET' && action === 'wait') {
        // Stop waiting when the browser goes away.
        const gone = new AbortController();
        res.once('close', () => gone.abort(new Error('client went away')));
        const timeout = Math.min(Number(url.searchParams.get('timeout')) || 60_000, 120_000);
        try {
          return send(res, 200, await qc.payment.waitForPayment(paymentId, { timeout, signal: gone.signal }));
        } catch (error) {
          if (error instanceof PaymentTimeoutError)
            return send(res, 200, { success: true, status: 'pending', timeout: true });
          throw error;
        }
      }
      if (req.method === 'POST' && action === 'cancel') {
        await qc.payment.cancelPayment(paymentId);
        return send(res, 200, { success: true, message: 'Payment cancelled' });
      }
      send(res, 404, { success: false, error: 'no such route' });
    } catch (error) {
      if (error instanceof WebhookVerificationError) return send(res, 400, { error: error.message });
      sendError(res, error);
    }
  });
}

// `npx tsx examples/http-app.ts`: listen on PORT (default 8080).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = (name: string): string => {
    const value = process.env[name];
    if (value) return value;
    console.error(`set ${name}`);
    return process.exit(2);
  };
  const qc = new QuickCart({ baseUrl: env('QUICKCART_URL'), apiKey: env('QUICKCART_API_KEY') });
  const shop = createShop({
    qc,
    webhookSecret: env('QUICKCART_WEBHOOK_SECRET'),
    licenseKey: env('QUICKCART_LICENSE_KEY'),
    onEvent: (event, id) => console.log('webhook', id, event),
  });
  const port = Number(process.env.PORT ?? 8080);
  shop.listen(port, () => console.log(`shop on http://localhost:${port}`));
}
