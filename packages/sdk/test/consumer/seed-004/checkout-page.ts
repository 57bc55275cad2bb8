import { QuickCart } from '@quickcart/sdk';

const sdk = new QuickCart({ baseUrl: process.env.KGITON_API_URL!, apiKey: process.env.KGITON_API_KEY! });

const payment = await sdk.partnerPayment.generateCheckoutPage({
  transactionId: 'TRX-2026-002',
  amount: 150000,
  licenseKey: 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX',
  description: 'Invoice #12345',
  backUrl: 'https://myapp.com/payment/complete',
  expiryMinutes: 120, // optional, default 120
  webhookUrl: 'https://api.partner.com/webhook/payment',
  items: [
    { id: '1', name: 'Laundry 5kg', price: 100000, quantity: 1 },
    { id: '2', name: 'Extra Parfum', price: 25000, quantity: 2 },
  ],
  customerName: 'Jane Doe',
  customerEmail: 'jane@example.com',
  customerPhone: '081234567890',
});

// Redirect user ke checkout page
console.log('Checkout URL:', payment.payment_url);
