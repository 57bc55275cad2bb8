import { PartnerPaymentType, QuickCart } from '@quickcart/sdk';

const sdk = new QuickCart({ baseUrl: process.env.KGITON_API_URL!, apiKey: process.env.KGITON_API_KEY! });

const payment = await sdk.partnerPayment.generate({
  transaction_id: 'TRX-2026-003',
  amount: 75000,
  license_key: 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX',
  payment_type: PartnerPaymentType.QRIS,
  description: 'Custom payment',
  expiry_minutes: 45,
  webhook_url: 'https://api.partner.com/webhook',
  customer_name: 'John Doe',
  customer_email: 'john@example.com',
  customer_phone: '081234567890',
});
