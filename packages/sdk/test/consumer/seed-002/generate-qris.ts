import { QuickCart } from '@quickcart/sdk';

const kgiton = new QuickCart({ baseUrl: process.env.KGITON_API_URL!, apiKey: process.env.KGITON_API_KEY! });

const qris = await kgiton.payment.generateQRIS({
  license_key: 'LICENSE-KEY',
  amount: 50000,
  reference_id: 'TXN-001',
  description: 'Purchase at Store ABC',
  metadata: {
    store_id: 'STORE-001',
    cashier_id: 'CASHIER-001',
    items: ['Apple', 'Orange'],
  },
});

console.log('Transaction ID:', qris.transaction_id);
console.log('QRIS String:', qris.qris_string);
console.log('QRIS Image URL:', qris.qris_image_url);
console.log('Amount:', qris.amount);
console.log('Expires:', qris.expires_at);
