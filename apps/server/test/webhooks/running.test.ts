// Outbound webhooks in a running `quickcart start` (PGlite, embedded sandbox) with
// WEBHOOK_ALLOWED_HOSTS=127.0.0.1: a payment paid through the sandbox's real webhook path and one
// cancelled reach the partner's receiver signed, and every `quickcart webhooks` command works
// through the server's loopback admin endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryView } from '../../src/webhooks/outbound/deliveries.js';
import { runCli as run } from '../run-cli.js';
import { type InProcessServer, startInProcess } from '../running-server.js';
import { type Receiver, startReceiver, verifiedBy } from './receiver.js';

describe('outbound webhooks in a running server, and the quickcart webhooks commands', () => {
  let running: InProcessServer;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    running = await startInProcess(
      { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
      { webhooks: { schedule: [50, 50], pollMs: 20 } },
    );
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await receiver?.close();
  });

  it('says in its banner that WEBHOOK_ALLOWED_HOSTS loosens the SSRF guard', () => {
    expect(running.banner).toContain('WEBHOOK_ALLOWED_HOSTS=127.0.0.1');
  });

  it('delivers payment.success and payment.cancelled, then lists, redelivers, tests and rotates by CLI', async () => {
    const created = await run(
      ['partner', 'create', '--name', 'Toko Hook', '--webhook-url', `${receiver.url}/hook`, '--json'],
      running.env,
    );
    const partner = JSON.parse(created.stdout) as { id: string; api_key: string; webhook_secret: string };
    const license = JSON.parse(
      (await run(['license', 'create', '--partner', partner.id, '--tokens', '5', '--json'], running.env))
        .stdout,
    ) as { license_key: string };
    expect(
      JSON.parse(
        (
          await run(
            ['webhooks', 'events', '--partner', partner.id, 'payment.cancelled', '--json'],
            running.env,
          )
        ).stdout,
      ),
    ).toEqual({ partner_id: partner.id, events: ['payment.success', 'payment.cancelled'] });

    const headers = { authorization: `Bearer ${partner.api_key}`, 'content-type': 'application/json' };
    const create = async (transactionId: string) => {
      const res = await fetch(`${running.url}/v1/partner/payments`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          transaction_id: transactionId,
          amount: 25_000,
          license_key: license.license_key,
        }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { payment_id: string }).payment_id;
    };
    const paid = await create('HOOK-1');
    expect(
      (await fetch(`${running.url}/v1/payments/${paid}/simulate`, { method: 'POST', headers })).status,
    ).toBe(200);
    const cancelled = await create('HOOK-2');
    expect(
      (await fetch(`${running.url}/v1/payments/${cancelled}/cancel`, { method: 'POST', headers })).status,
    ).toBe(200);
    await receiver.waitFor(2, 10_000);
    const bodies = receiver.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies.map((b) => [b.event, b.payment_id])).toEqual([
      ['payment.success', paid],
      ['payment.cancelled', cancelled],
    ]);
    expect(bodies[0]).toMatchObject({ transaction_id: 'HOOK-1', amount: 25_000, payment_type: 'QRIS' });
    for (const request of receiver.requests) {
      expect(verifiedBy(request, partner.webhook_secret)).toEqual({ seed: true, standard: true });
    }

    const listed = await run(
      ['webhooks', 'deliveries', '--partner', partner.id, '--payment', paid, '--json'],
      running.env,
    );
    const [delivery] = (JSON.parse(listed.stdout) as { deliveries: DeliveryView[] }).deliveries;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, payment_id: paid });
    const human = await run(['webhooks', 'deliveries', '--partner', partner.id], running.env);
    expect(human.stdout).toContain(
      `${delivery?.id} payment.success ${paid} → ${receiver.url}/hook: delivered`,
    );
    expect(human.stdout).toMatch(/ {2}#1 \S+ 200 in \d+ ms "ok"/);

    expect(await run(['webhooks', 'redeliver', delivery?.id ?? ''], running.env)).toMatchObject({
      code: 0,
      stderr: '',
    });
    await receiver.waitFor(3, 10_000);
    expect(receiver.requests[2]?.headers['webhook-id']).toBe(delivery?.id);

    const rotated = JSON.parse(
      (await run(['webhooks', 'rotate-secret', '--partner', partner.id, '--json'], running.env)).stdout,
    ) as {
      webhook_secret: string;
    };
    const test = await run(['webhooks', 'test', '--partner', partner.id], running.env);
    expect(test).toMatchObject({ code: 0, stderr: '' });
    expect(test.stdout).toMatch(/^test event msg_\w+ queued to http:\/\/127\.0\.0\.1:\d+\/hook\n$/);
    await receiver.waitFor(4, 10_000);
    const testEvent = receiver.requests[3];
    if (!testEvent) throw new Error('no test event');
    expect(JSON.parse(testEvent.body)).toMatchObject({ event: 'webhook.test' });
    expect(verifiedBy(testEvent, partner.webhook_secret)).toEqual({ seed: true, standard: true });
    expect(verifiedBy(testEvent, rotated.webhook_secret).standard).toBe(true);

    const refused = await run(
      ['webhooks', 'test', '--partner', partner.id, '--url', 'http://10.0.0.1/hook'],
      running.env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^quickcart: VALIDATION_ERROR: url is refused: .*10\.0\.0\.1.*private/);
    expect(await run(['webhooks', 'redeliver', 'msg_nope'], running.env)).toMatchObject({
      code: 1,
      stderr: 'quickcart: NOT_FOUND: no webhook delivery msg_nope\n',
    });
  }, 60_000);
});
