// Every method of the client against the real server, with the wire shapes of seeds 002 and 004.
import { describe, expect, it } from 'vitest';
import { PartnerPaymentType, QuickCart } from '../../src/index.js';
import { type Account, createAccount, type TestServer, tokensOf } from '../support/server.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

export function paymentSuite(server: () => TestServer): void {
  let account: Account;
  let qc: QuickCart;
  const client = async () => {
    account ??= await createAccount(server(), { tokens: 20 });
    qc ??= new QuickCart({ baseUrl: server().url, apiKey: account.apiKey });
    return qc;
  };

  describe('payment (seed 002)', () => {
    it('generateQRIS answers QRISResponse and spends one token', async () => {
      const qc = await client();
      const qris = await qc.payment.generateQRIS({
        license_key: account.licenseKey,
        amount: 50000,
        reference_id: 'TXN-001',
        description: 'Purchase at Store ABC',
        metadata: { store_id: 'STORE-001', items: ['Apple', 'Orange'] },
      });
      expect(qris).toEqual({
        success: true,
        transaction_id: expect.stringMatching(/^pay_/),
        reference_id: 'TXN-001',
        qris_string: expect.stringMatching(/^000201/),
        qris_image_url: `${server().url}/qr/${qris.transaction_id}.png`,
        amount: 50000,
        expires_at: expect.stringMatching(ISO),
        status: 'pending',
        metadata: { store_id: 'STORE-001', items: ['Apple', 'Orange'] },
      });
      expect((await tokensOf(server(), account)).tokens).toBe(19);
      const image = await fetch(qris.qris_image_url);
      expect(image.headers.get('content-type')).toBe('image/png');
    });

    it('checkPaymentStatus reads it by QuickCart id and by reference id', async () => {
      const qc = await client();
      const byReference = await qc.payment.checkPaymentStatus('TXN-001');
      expect(byReference).toEqual({
        success: true,
        transaction_id: expect.stringMatching(/^pay_/),
        payment_id: byReference.transaction_id,
        reference_id: 'TXN-001',
        status: 'pending',
        amount: 50000,
        payment_type: 'QRIS',
        description: 'Purchase at Store ABC',
        created_at: expect.stringMatching(ISO),
        expires_at: expect.stringMatching(ISO),
        metadata: { store_id: 'STORE-001', items: ['Apple', 'Orange'] },
      });
      expect(await qc.payment.checkPaymentStatus(byReference.transaction_id)).toEqual(byReference);
    });

    it('simulatePayment pays it in the sandbox; waitForPayment then resolves at once with paid', async () => {
      const qc = await client();
      const paid = await qc.payment.simulatePayment('TXN-001');
      expect(paid).toMatchObject({ status: 'paid', paid_at: expect.stringMatching(ISO) });
      const result = await qc.payment.waitForPayment('TXN-001', { timeout: 5000 });
      expect(result).toMatchObject({ status: 'paid', reference_id: 'TXN-001', timeout: false });
    });

    it('cancelPayment cancels a pending payment', async () => {
      const qc = await client();
      const qris = await qc.payment.generateQRIS({ license_key: account.licenseKey, amount: 25000 });
      expect(qris.reference_id).toMatch(/^qris_/);
      const cancelled = await qc.payment.cancelPayment(qris.transaction_id);
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        message: 'Payment cancelled',
        payment_id: qris.transaction_id,
      });
      expect((await qc.payment.checkPaymentStatus(qris.transaction_id)).status).toBe('cancelled');
    });
  });

  describe('partnerPayment (seed 004)', () => {
    it('generateQris answers PartnerPaymentResponse with the QR', async () => {
      const qc = await client();
      const payment = await qc.partnerPayment.generateQris({
        transactionId: 'TRX-2026-001',
        amount: 50000,
        licenseKey: account.licenseKey,
        description: 'Laundry Payment',
        expiryMinutes: 45,
        webhookUrl: 'https://api.partner.example/webhook/payment',
        customerName: 'John Doe',
        customerEmail: 'john@example.com',
        customerPhone: '081234567890',
      });
      expect(payment).toEqual({
        success: true,
        payment_id: expect.stringMatching(/^pay_/),
        transaction_id: 'TRX-2026-001',
        amount: 50000,
        payment_type: 'QRIS',
        status: 'pending',
        payment_url: null,
        expires_at: expect.stringMatching(ISO),
        qris: {
          qr_content: expect.stringMatching(/^000201/),
          qr_image_url: `${server().url}/qr/${payment.payment_id}.png`,
        },
      });
      const minutes = (Date.parse(payment.expires_at) - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(44);
      expect(minutes).toBeLessThanOrEqual(45);
    });

    it('generateCheckoutPage answers a payment_url and no QR', async () => {
      const qc = await client();
      const payment = await qc.partnerPayment.generateCheckoutPage({
        transactionId: 'TRX-2026-002',
        amount: 150000,
        licenseKey: account.licenseKey,
        description: 'Invoice #12345',
        backUrl: 'https://myapp.example/payment/complete',
        items: [
          { id: '1', name: 'Laundry 5kg', price: 100000, quantity: 1 },
          { id: '2', name: 'Extra Parfum', price: 25000, quantity: 2 },
        ],
        customerName: 'Jane Doe',
      });
      expect(payment).toMatchObject({
        payment_type: 'CHECKOUT_PAGE',
        payment_url: `${server().url}/checkout/${payment.payment_id}`,
        qris: null,
        status: 'pending',
      });
      // 120 minutes by default, or the gateway's own expiry when that comes first (the sandbox: 60).
      expect(Date.parse(payment.expires_at)).toBeGreaterThan(Date.now() + 59 * 60_000);
    });

    it('generate sends the raw request, PartnerPaymentType included', async () => {
      const qc = await client();
      const payment = await qc.partnerPayment.generate({
        transaction_id: 'TRX-2026-003',
        amount: 75000,
        license_key: account.licenseKey,
        payment_type: PartnerPaymentType.QRIS,
        description: 'Custom payment',
        expiry_minutes: 45,
      });
      expect(payment).toMatchObject({ transaction_id: 'TRX-2026-003', payment_type: 'QRIS', amount: 75000 });
      expect((await qc.payment.checkPaymentStatus('TRX-2026-003')).payment_id).toBe(payment.payment_id);
    });
  });
}
