import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../databases.js';
import { auth, type Harness, partnerBody, startHarness } from '../http-harness.js';

/** Redaction (seed 003 "Data protection"): secrets never reach the log, PII is masked. */
describeEachDatabase('request logging', (getDatabase) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(getDatabase(), { tokens: 100 });
  });
  afterAll(() => h.close());

  it('never writes the API key, the license key or customer contact details', async () => {
    const body = partnerBody(h.partner, {
      customer_name: 'Jane Doe',
      customer_email: 'jane.doe@example.com',
      customer_phone: '081234567890',
      metadata: { note: 'n', nested: { license_key: h.partner.licenseKey } },
    });
    const requests = [
      // A good create, with the key as Bearer and as x-api-key.
      { method: 'POST' as const, url: '/v1/partner/payments', headers: auth(h.partner), payload: body },
      {
        method: 'POST' as const,
        url: '/v1/payments/qris',
        headers: { 'x-api-key': h.partner.apiKey },
        payload: { license_key: h.partner.licenseKey, amount: 5000, reference_id: 'REF-LOG' },
      },
      // Broken JSON around the license key: parse errors must not echo the body.
      {
        method: 'POST' as const,
        url: '/v1/partner/payments',
        headers: auth(h.partner, { 'content-type': 'application/json' }),
        payload: `{"license_key":"${h.partner.licenseKey}", oops`,
      },
      // The license key in a field where it fails validation.
      {
        method: 'POST' as const,
        url: '/v1/partner/payments',
        headers: auth(h.partner),
        payload: { ...body, transaction_id: undefined, amount: h.partner.licenseKey },
      },
      // Keys in the query string.
      {
        method: 'GET' as const,
        url: `/v1/payments/x?api_key=${h.partner.apiKey}&license_key=${h.partner.licenseKey}`,
        headers: auth(h.partner),
      },
      // A wrong key is a secret too (it may be a real key of another account).
      {
        method: 'GET' as const,
        url: '/v1/payments/x',
        headers: { authorization: `Bearer ${h.partner.apiKey}x` },
      },
    ];
    for (const request of requests) await h.app.inject(request);

    const text = h.logs.join('');
    expect(h.logs.length).toBeGreaterThan(10);
    expect(text).not.toContain(h.partner.apiKey);
    expect(text).not.toContain(h.partner.licenseKey);
    expect(text).not.toContain(h.partner.licenseKey.replace(/-/g, ''));
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('081234567890');
    // What is logged instead: the masked forms, and the body's other fields.
    expect(text).toContain('j***@example.com');
    expect(text).toContain('*********890');
    expect(text).toContain('[REDACTED]');
    expect(text).toContain('Laundry Payment');
  });

  it('puts the request id on every line of a request', async () => {
    h.logs.length = 0;
    const res = await h.app.inject({
      url: '/v1/payments/pay_nothing',
      headers: auth(h.partner, { 'x-request-id': 'trace-42' }),
    });
    expect(res.headers['x-request-id']).toBe('trace-42');
    const lines = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(line.request_id).toBe('trace-42');
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
  });
});
