import { QuickCart } from '@quickcart/sdk';
import express from 'express';

const app = express();
const kgiton = new QuickCart({
  baseUrl: process.env.KGITON_API_URL!,
  apiKey: process.env.KGITON_API_KEY!,
});

// Generate QRIS
app.post('/api/payment/qris', async (req, res) => {
  try {
    const { license_key, amount, reference_id, description } = req.body;

    const qris = await kgiton.payment.generateQRIS({
      license_key,
      amount,
      reference_id,
      description,
    });

    res.json({
      success: true,
      transaction_id: qris.transaction_id,
      qris_image_url: qris.qris_image_url,
      expires_at: qris.expires_at,
    });
  } catch (error) {
    res.status(400).json({ success: false, error: error.message });
  }
});

// Check payment status
app.get('/api/payment/:transactionId/status', async (req, res) => {
  try {
    const status = await kgiton.payment.checkPaymentStatus(req.params.transactionId);
    res.json({ success: true, ...status });
  } catch (error) {
    res.status(400).json({ success: false, error: error.message });
  }
});

// Wait for payment (long polling)
app.get('/api/payment/:transactionId/wait', async (req, res) => {
  try {
    const result = await kgiton.payment.waitForPayment(req.params.transactionId, {
      timeout: 60000, // 1 minute
      interval: 2000,
    });
    res.json({ success: true, ...result });
  } catch (error) {
    if (error.message.includes('timeout')) {
      res.json({ success: true, status: 'pending', timeout: true });
    } else {
      res.status(400).json({ success: false, error: error.message });
    }
  }
});

// Cancel payment
app.post('/api/payment/:transactionId/cancel', async (req, res) => {
  try {
    await kgiton.payment.cancelPayment(req.params.transactionId);
    res.json({ success: true, message: 'Payment cancelled' });
  } catch (error) {
    res.status(400).json({ success: false, error: error.message });
  }
});

// Webhook handler
app.post('/api/webhook/payment', async (req, res) => {
  const { transaction_id, status, amount, paid_at } = req.body;

  // Verify webhook signature (implementation depends on gateway)
  // ...

  if (status === 'paid') {
    // Update order status
    await updateOrderStatus(transaction_id, 'paid');
  }

  res.json({ received: true });
});
