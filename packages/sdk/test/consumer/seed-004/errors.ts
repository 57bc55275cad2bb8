import { QuickCart } from '@quickcart/sdk';

const sdk = new QuickCart({ baseUrl: process.env.KGITON_API_URL!, apiKey: process.env.KGITON_API_KEY! });

try {
  const payment = await sdk.partnerPayment.generateQris({
    transactionId: 'TRX-001',
    amount: 50000,
    licenseKey: 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX',
  });
} catch (error) {
  if (error.code === 'INSUFFICIENT_TOKENS') {
    console.error('Token tidak cukup, silakan top-up');
  } else if (error.code === 'INVALID_LICENSE') {
    console.error('License key tidak valid');
  } else if (error.code === 'LICENSE_EXPIRED') {
    console.error('License key sudah expired');
  } else {
    console.error('Error:', error.message);
  }
}
