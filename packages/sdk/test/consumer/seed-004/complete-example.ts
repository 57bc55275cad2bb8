import { PartnerPaymentType, QuickCart } from '@quickcart/sdk';

const sdk = new QuickCart({ baseUrl: process.env.KGITON_API_URL!, apiKey: process.env.KGITON_API_KEY! });

async function createPayment(orderId: string, amount: number) {
  try {
    // For small amounts, use QRIS
    if (amount < 100000) {
      const payment = await sdk.partnerPayment.generateQris({
        transactionId: orderId,
        amount,
        licenseKey: 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX',
        description: `Order #${orderId}`,
        webhookUrl: 'https://api.myapp.com/webhook/payment',
      });

      return {
        type: 'qris',
        qrUrl: payment.qris?.qr_image_url,
        expiresAt: payment.expires_at,
      };
    }

    // For larger amounts, use Checkout Page
    const payment = await sdk.partnerPayment.generateCheckoutPage({
      transactionId: orderId,
      amount,
      licenseKey: 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX',
      description: `Order #${orderId}`,
      backUrl: `https://myapp.com/orders/${orderId}`,
      webhookUrl: 'https://api.myapp.com/webhook/payment',
    });

    return {
      type: 'checkout',
      checkoutUrl: payment.payment_url,
      expiresAt: payment.expires_at,
    };
  } catch (error) {
    console.error('Payment creation failed:', error.message);
    throw error;
  }
}

// Not in the seed: exported so the test can call it.
export { createPayment };
