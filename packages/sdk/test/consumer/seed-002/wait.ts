import { QuickCart } from '@quickcart/sdk';

const kgiton = new QuickCart({ baseUrl: process.env.KGITON_API_URL!, apiKey: process.env.KGITON_API_KEY! });

try {
  const result = await kgiton.payment.waitForPayment('transaction-id', {
    timeout: 120000, // 2 minutes
    interval: 3000, // Check every 3 seconds
  });

  if (result.status === 'paid') {
    console.log('Payment successful!');
    console.log('Paid at:', result.paid_at);
  }
} catch (error) {
  if (error.message.includes('timeout')) {
    console.log('Payment timeout');
  }
}
