import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../databases.js';
import { auth, expectError, type Harness, PUBLIC_URL, partnerBody, startHarness } from '../http-harness.js';

describeEachDatabase('creating payments', (getDatabase) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(getDatabase(), { tokens: 1000 });
  });
  afterAll(() => h.close());

  describe('POST /v1/partner/payments (seed 004)', () => {
    it('creates a QRIS payment and answers PartnerPaymentResponse with our QR link', async () => {
      const body = partnerBody(h.partner, { transaction_id: 'TRX-2026-001', expiry_minutes: 45 });
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: body,
      });
      expect(res.statusCode).toBe(201);
      const json = res.json();
      expect(json).toEqual({
        success: true,
        payment_id: expect.stringMatching(/^pay_[a-z2-7]{24}$/),
        transaction_id: 'TRX-2026-001',
        amount: 50_000,
        payment_type: 'QRIS',
        status: 'pending',
        payment_url: null,
        expires_at: expect.any(String),
        qris: {
          qr_content: expect.stringMatching(/^000201/),
          qr_image_url: `${PUBLIC_URL}/qr/${json.payment_id}.png`,
        },
      });
      const created = h.fake.calls.find((c) => c.method === 'create');
      expect(created?.arg).toEqual({
        transactionId: 'TRX-2026-001',
        amount: 50_000,
        licenseKey: h.partner.licenseKey,
        paymentType: 'QRIS',
        description: 'Laundry Payment',
        expiryMinutes: 45,
      });
      expect(created?.partnerId).toBe(h.partner.partnerId);
    });

    it('creates a CHECKOUT_PAGE payment with items and customer, answering payment_url and no qris', async () => {
      const body = partnerBody(h.partner, {
        payment_type: 'CHECKOUT_PAGE',
        amount: 150_000,
        back_url: 'https://myapp.example/payment/complete',
        webhook_url: 'https://api.partner.example/webhook/payment',
        items: [
          { id: '1', name: 'Laundry 5kg', price: 100_000, quantity: 1 },
          { id: 2, name: 'Extra Parfum', price: 25_000, quantity: 2 },
        ],
        customer_name: 'Jane Doe',
        customer_email: 'jane@example.com',
        customer_phone: '081234567890',
      });
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: body,
      });
      expect(res.statusCode).toBe(201);
      const json = res.json();
      expect(json.payment_type).toBe('CHECKOUT_PAGE');
      expect(json.payment_url).toBe(`${PUBLIC_URL}/checkout/${json.payment_id}`);
      expect(json.qris).toBeNull();
      const input = h.fake.calls.filter((c) => c.method === 'create').at(-1)?.arg;
      expect(input).toMatchObject({
        paymentType: 'CHECKOUT_PAGE',
        backUrl: 'https://myapp.example/payment/complete',
        webhookUrl: 'https://api.partner.example/webhook/payment',
        items: [
          { id: '1', name: 'Laundry 5kg', price: 100_000, quantity: 1 },
          { id: '2', name: 'Extra Parfum', price: 25_000, quantity: 2 },
        ],
        customerName: 'Jane Doe',
        customerEmail: 'jane@example.com',
        customerPhone: '081234567890',
      });
    });

    it('defaults payment_type to QRIS and reads null optional fields as absent', async () => {
      const body = { ...partnerBody(h.partner), payment_type: null, description: null, items: null };
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: body,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().payment_type).toBe('QRIS');
    });

    it.each([
      ['an amount below 1000', { amount: 999 }, 'INVALID_AMOUNT'],
      ['a fractional amount', { amount: 1500.5 }, 'INVALID_AMOUNT'],
      ['an amount as a string', { amount: '50000' }, 'INVALID_AMOUNT'],
      ['an unknown payment type', { payment_type: 'VA' }, 'INVALID_PAYMENT_TYPE'],
      ['a missing transaction_id', { transaction_id: undefined }, 'VALIDATION_ERROR'],
      ['a missing license_key', { license_key: undefined }, 'VALIDATION_ERROR'],
      ['an expiry of 0 minutes', { expiry_minutes: 0 }, 'VALIDATION_ERROR'],
      ['an expiry over a day', { expiry_minutes: 1441 }, 'VALIDATION_ERROR'],
      ['a non-http webhook_url', { webhook_url: 'ftp://x.example/hook' }, 'VALIDATION_ERROR'],
      ['a bad customer e-mail', { customer_email: 'nope' }, 'VALIDATION_ERROR'],
      ['an item without a name', { items: [{ price: 1000, quantity: 1 }] }, 'VALIDATION_ERROR'],
      ['metadata that is an array', { metadata: [1, 2] }, 'VALIDATION_ERROR'],
    ])('refuses %s with 400 %s and spends nothing', async (_name, overrides, code) => {
      const before = h.fake.tokens(h.partner.licenseKey);
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: partnerBody(h.partner, overrides),
      });
      expect(res.statusCode).toBe(400);
      expectError(res.json(), code, res.headers['x-request-id'] as string);
      expect(h.fake.tokens(h.partner.licenseKey)).toBe(before);
    });

    it('names every field at fault in details.issues', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: { amount: 10 },
      });
      const json = res.json();
      expect(json.code).toBe('INVALID_AMOUNT');
      expect(json.details.issues.map((i: { field: string }) => i.field).sort()).toEqual(
        ['amount', 'license_key', 'transaction_id'].sort(),
      );
    });

    it.each([
      ['not JSON', '{"amount":', 'application/json'],
      ['a JSON array', '[1,2]', 'application/json'],
      ['a JSON string', '"hello"', 'application/json'],
      ['an empty body', '', 'application/json'],
      ['text/plain', 'amount=1', 'text/plain'],
      ['prototype poisoning', '{"__proto__":{"admin":true}}', 'application/json'],
    ])('answers %s with 400 VALIDATION_ERROR', async (_name, payload, contentType) => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner, { 'content-type': contentType }),
        payload,
      });
      expect(res.statusCode).toBe(400);
      expectError(res.json(), 'VALIDATION_ERROR');
    });

    it('passes the service errors through with their statuses', async () => {
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ license_key: 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE' }, 404, 'INVALID_LICENSE'],
        [{ license_key: h.other.licenseKey }, 404, 'INVALID_LICENSE'],
      ];
      for (const [overrides, status, code] of cases) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/v1/partner/payments',
          headers: auth(h.partner),
          payload: partnerBody(h.partner, overrides),
        });
        expect(res.statusCode).toBe(status);
        expectError(res.json(), code);
      }
    });

    it('answers 409 INSUFFICIENT_TOKENS and 403 LICENSE_EXPIRED from the license', async () => {
      const empty = 'EMPTY-EMPTY-EMPTY-EMPTY-EMPTY';
      const expired = 'OLDKY-OLDKY-OLDKY-OLDKY-OLDKY';
      h.fake.addLicense({ partnerId: h.partner.partnerId, key: empty, tokens: 0 });
      h.fake.addLicense({
        partnerId: h.partner.partnerId,
        key: expired,
        tokens: 5,
        expiresAt: new Date(Date.now() - 1000),
      });
      const cases: Array<[string, number, string]> = [
        [empty, 409, 'INSUFFICIENT_TOKENS'],
        [expired, 403, 'LICENSE_EXPIRED'],
      ];
      for (const [licenseKey, status, code] of cases) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/v1/partner/payments',
          headers: auth(h.partner),
          payload: partnerBody({ licenseKey }),
        });
        expect(res.statusCode).toBe(status);
        expectError(res.json(), code);
      }
    });

    it('answers 409 DUPLICATE_TRANSACTION for a reused transaction_id', async () => {
      const body = partnerBody(h.partner);
      const first = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: body,
      });
      expect(first.statusCode).toBe(201);
      const before = h.fake.tokens(h.partner.licenseKey);
      const second = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: body,
      });
      expect(second.statusCode).toBe(409);
      expectError(second.json(), 'DUPLICATE_TRANSACTION');
      expect(h.fake.tokens(h.partner.licenseKey)).toBe(before);
    });

    it('answers 502 GATEWAY_ERROR when the gateway fails, and the token comes back', async () => {
      const before = h.fake.tokens(h.partner.licenseKey);
      h.fake.failNextCreate = true;
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: partnerBody(h.partner),
      });
      expect(res.statusCode).toBe(502);
      expectError(res.json(), 'GATEWAY_ERROR');
      expect(h.fake.tokens(h.partner.licenseKey)).toBe(before);
    });
  });

  describe('POST /v1/payments/qris (seed 002)', () => {
    it('answers QRISResponse: our id as transaction_id, the partner reference as reference_id', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/payments/qris',
        headers: { 'x-api-key': h.partner.apiKey },
        payload: {
          license_key: h.partner.licenseKey,
          amount: 50_000,
          reference_id: 'TXN-001',
          description: 'Purchase at Store ABC',
          metadata: { store_id: 'STORE-001', items: ['Apple', 'Orange'] },
        },
      });
      expect(res.statusCode).toBe(201);
      const json = res.json();
      expect(json).toEqual({
        success: true,
        transaction_id: expect.stringMatching(/^pay_/),
        reference_id: 'TXN-001',
        qris_string: expect.stringMatching(/^000201/),
        qris_image_url: `${PUBLIC_URL}/qr/${json.transaction_id}.png`,
        amount: 50_000,
        expires_at: expect.any(String),
        status: 'pending',
        metadata: { store_id: 'STORE-001', items: ['Apple', 'Orange'] },
      });
      const status = await h.app.inject({ url: '/v1/payments/TXN-001', headers: auth(h.partner) });
      expect(status.json().transaction_id).toBe(json.transaction_id);
    });

    it('makes up a reference id when none is given', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/payments/qris',
        headers: auth(h.partner),
        payload: { license_key: h.partner.licenseKey, amount: 1000 },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().reference_id).toMatch(/^qris_[0-9a-f-]{36}$/);
    });

    it('refuses an amount of 100 with INVALID_AMOUNT (seed 002 error example)', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/payments/qris',
        headers: auth(h.partner),
        payload: { license_key: 'INVALID-KEY', amount: 100 },
      });
      expect(res.statusCode).toBe(400);
      expectError(res.json(), 'INVALID_AMOUNT');
    });
  });
});
