import { QuickCart } from '@quickcart/sdk';

const kgiton = new QuickCart({ baseUrl: process.env.KGITON_API_URL!, apiKey: process.env.KGITON_API_KEY! });

const status = await kgiton.payment.checkPaymentStatus('transaction-id');

console.log('Status:', status.status);
console.log('Amount:', status.amount);
console.log('Paid At:', status.paid_at);

if (status.status === 'paid') {
  console.log('Payment received!');
  // Process order
}
