import { QuickCart } from '@quickcart/sdk';

const sdk = new QuickCart({ baseUrl: process.env.KGITON_API_URL!, apiKey: process.env.KGITON_API_KEY! });

const payment = await sdk.partnerPayment.generateQris({
  transactionId: 'TRX-2026-001',
  amount: 50000,
  licenseKey: 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX',
  description: 'Laundry Payment',
  expiryMinutes: 30, // optional, default 30
  webhookUrl: 'https://api.partner.com/webhook/payment',
  customerName: 'John Doe',
  customerEmail: 'john@example.com',
  customerPhone: '081234567890',
});

console.log('QRIS URL:', payment.qris?.qr_image_url);
console.log('QRIS Content:', payment.qris?.qr_content);
console.log('Expires at:', payment.expires_at);
