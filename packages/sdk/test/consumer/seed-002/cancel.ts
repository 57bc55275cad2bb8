import { QuickCart } from '@quickcart/sdk';

const kgiton = new QuickCart({ baseUrl: process.env.KGITON_API_URL!, apiKey: process.env.KGITON_API_KEY! });

await kgiton.payment.cancelPayment('transaction-id');
console.log('Payment cancelled');
