import { describe, expect, it } from 'vitest';
import type { PaymentView } from '../src/payments/contract.js';
import { FakePaymentService } from './fake-payments.js';

/** The fake keeps the contract the HTTP tests rely on (payments/contract.ts). */
describe('FakePaymentService', () => {
  const setup = async () => {
    const fake = new FakePaymentService();
    fake.addLicense({ partnerId: 'ptn_a', key: 'aaaaa-bbbbb', tokens: 1 });
    const payment = await fake.create('ptn_a', {
      transactionId: 'T-1',
      amount: 5000,
      licenseKey: 'AAAAABBBBB',
      paymentType: 'QRIS',
    });
    return { fake, payment };
  };

  it('scopes payments to their partner and spends one token per payment', async () => {
    const { fake, payment } = await setup();
    expect(await fake.get('ptn_a', 'T-1')).toEqual(payment);
    await expect(fake.get('ptn_b', payment.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      fake.create('ptn_a', {
        transactionId: 'T-2',
        amount: 5000,
        licenseKey: 'aaaaa-bbbbb',
        paymentType: 'QRIS',
      }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_TOKENS' });
    await expect(
      fake.create('ptn_b', {
        transactionId: 'T-2',
        amount: 5000,
        licenseKey: 'aaaaa-bbbbb',
        paymentType: 'QRIS',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_LICENSE' });
  });

  it('wakes waits on a change, times out, and aborts', async () => {
    const { fake, payment } = await setup();
    const woken = fake.wait('ptn_a', payment.id, { timeoutMs: 5000 });
    fake.pay(payment.id);
    expect(await woken).toMatchObject({ timeout: false, payment: { status: 'paid' } });

    const other = await setup();
    expect(await other.fake.wait('ptn_a', 'T-1', { timeoutMs: 10 })).toMatchObject({ timeout: true });
    const controller = new AbortController();
    const aborted = other.fake.wait('ptn_a', 'T-1', { timeoutMs: 5000, signal: controller.signal });
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    expect(other.fake.waiting).toBe(0);
  });

  it('delivers changes to subscribers until they unsubscribe', async () => {
    const { fake, payment } = await setup();
    const seen: PaymentView[] = [];
    const stop = await fake.subscribe('ptn_a', payment.id, (p) => seen.push(p));
    expect(fake.subscribers).toBe(1);
    await fake.cancel('ptn_a', payment.id);
    stop();
    expect(fake.subscribers).toBe(0);
    expect(seen.map((p) => p.status)).toEqual(['cancelled']);
    await expect(fake.simulate('ptn_a', payment.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
