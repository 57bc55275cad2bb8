import { NotFoundError, QuickCart, ValidationError } from '@quickcart/sdk';

const kgiton = new QuickCart({ baseUrl: process.env.KGITON_API_URL!, apiKey: process.env.KGITON_API_KEY! });

try {
  await kgiton.payment.generateQRIS({
    license_key: 'INVALID-KEY',
    amount: 100,
  });
} catch (error) {
  if (error instanceof NotFoundError) {
    console.log('License key not found');
  } else if (error instanceof ValidationError) {
    console.log('Invalid amount or parameters');
  }
}
