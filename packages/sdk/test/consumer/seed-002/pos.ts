import { type PaymentStatus, type QRISResponse, QuickCart } from '@quickcart/sdk';

class POSPaymentService {
  private kgiton: QuickCart;

  constructor() {
    this.kgiton = new QuickCart({
      baseUrl: process.env.KGITON_API_URL!,
      apiKey: process.env.KGITON_API_KEY!,
    });
  }

  async createPayment(order: Order): Promise<QRISResponse> {
    // Generate QRIS
    const qris = await this.kgiton.payment.generateQRIS({
      license_key: order.licenseKey,
      amount: order.total,
      reference_id: order.id,
      description: `Order #${order.id}`,
      metadata: {
        store_id: order.storeId,
        items: order.items.map((i) => i.name),
      },
    });

    return qris;
  }

  async waitForPayment(transactionId: string): Promise<PaymentStatus> {
    return this.kgiton.payment.waitForPayment(transactionId, {
      timeout: 120000, // 2 minutes
      interval: 2000,
    });
  }

  async cancelPayment(transactionId: string): Promise<void> {
    await this.kgiton.payment.cancelPayment(transactionId);
  }
}

// Usage
const paymentService = new POSPaymentService();

// Create payment
const qris = await paymentService.createPayment(order);
displayQRIS(qris.qris_image_url);

// Wait for payment
const result = await paymentService.waitForPayment(qris.transaction_id);
if (result.status === 'paid') {
  completeOrder(order);
}
