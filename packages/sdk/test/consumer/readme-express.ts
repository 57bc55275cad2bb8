import { ApiError, PaymentTimeoutError, QuickCart, WebhookVerificationError } from '@quickcart/sdk';
import express, { type Response } from 'express';

const qc = new QuickCart({ baseUrl: process.env.QUICKCART_URL!, apiKey: process.env.QUICKCART_API_KEY! });
const licenseKey = process.env.QUICKCART_LICENSE_KEY!;
const webhookSecret = process.env.QUICKCART_WEBHOOK_SECRET!;
const app = express();

/** QuickCart's 4xx as they are (ValidationError 400, NotFoundError 404, ConflictError 409…); 5xx and no answer as 502. */
function sendError(res: Response, error: unknown) {
  if (error instanceof ApiError) {
    res
      .status(error.status < 500 ? error.status : 502)
      .json({ success: false, code: error.code, error: error.message });
  } else {
    res.status(502).json({ success: false, error: error instanceof Error ? error.message : String(error) });
  }
}

// Create a QRIS payment (one license token; a retried request never spends a second).
app.post('/api/payment/qris', express.json(), async (req, res) => {
  try {
    const { amount, reference_id, description } = req.body;
    const qris = await qc.payment.generateQRIS({
      license_key: licenseKey,
      amount,
      reference_id,
      description,
    });
    res.status(201).json({
      transaction_id: qris.transaction_id,
      qris_image_url: qris.qris_image_url,
      expires_at: qris.expires_at,
    });
  } catch (error) {
    sendError(res, error);
  }
});

// Status, by QuickCart's id (pay_…) or your reference_id.
app.get('/api/payment/:id/status', async (req, res) => {
  try {
    res.json(await qc.payment.checkPaymentStatus(req.params.id));
  } catch (error) {
    sendError(res, error);
  }
});

// Long-poll: answers the moment the payment is paid, expired or cancelled.
app.get('/api/payment/:id/wait', async (req, res) => {
  try {
    res.json(await qc.payment.waitForPayment(req.params.id, { timeout: 60_000 }));
  } catch (error) {
    if (error instanceof PaymentTimeoutError) res.json({ status: 'pending', timeout: true });
    else sendError(res, error);
  }
});

app.post('/api/payment/:id/cancel', async (req, res) => {
  try {
    res.json(await qc.payment.cancelPayment(req.params.id));
  } catch (error) {
    sendError(res, error); // a paid payment: 409 CONFLICT
  }
});

// Webhooks: the RAW body (express.raw), verified before anything else.
app.post('/api/webhook/payment', express.raw({ type: 'application/json' }), async (req, res) => {
  try {
    const event = await qc.webhooks.constructEvent(req.body, req.headers, webhookSecret);
    if (event.event === 'payment.success') await markPaid(event.transaction_id, event.amount);
    res.json({ received: true });
  } catch (error) {
    if (error instanceof WebhookVerificationError) res.status(400).send(error.message);
    else res.status(500).send('try again later'); // QuickCart retries
  }
});

async function markPaid(referenceId: string, amount: number) {
  console.log(`order ${referenceId} paid: Rp ${amount}`); // your order store, idempotently
}

app.listen(3001);
