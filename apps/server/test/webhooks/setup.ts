// Shared setup of the outbound webhook tests: a partner with an endpoint, a payment, a transition,
// and the rows the outbox keeps about it.
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  type OutboxMessage,
  outbox,
  partners,
  type WebhookAttempt,
  webhookAttempts,
} from '../../src/db/schema.js';
import type { Db } from '../../src/db/types.js';
import { createLicense } from '../../src/payments/licenses.js';
import { createPartner } from '../../src/payments/partners.js';
import { type TerminalStatus, transition } from '../../src/payments/state.js';
import { createTargetGuard } from '../../src/webhooks/outbound/ssrf.js';
import type { WebhookWorkerOptions } from '../../src/webhooks/outbound/worker.js';
import { insertPayment } from '../fixtures.js';
import { type Receiver, startReceiver } from './receiver.js';

/** A partner whose default endpoint is `webhookUrl`, with a license, and its secret. */
export interface WebhookPartner {
  partnerId: string;
  licenseId: string;
  secret: string;
}

export async function webhookPartner(
  db: Db,
  options: { webhookUrl: string | null; events?: string[] },
): Promise<WebhookPartner> {
  const { partner, webhookSecret } = await createPartner(db, {
    name: 'Toko Webhook',
    webhookUrl: options.webhookUrl,
  });
  const { license } = await createLicense(db, { partnerId: partner.id, tokens: 10 });
  if (options.events) {
    await db
      .update(partners)
      .set({ webhookEvents: options.events as never })
      .where(eq(partners.id, partner.id));
  }
  return { partnerId: partner.id, licenseId: license.id, secret: webhookSecret };
}

/** A pending payment of `partner` moved to `to` in one committed transaction; returns its id. */
export async function settledPayment(
  db: Db,
  partner: WebhookPartner,
  to: TerminalStatus,
  values: { webhookUrl?: string; amount?: number } = {},
): Promise<string> {
  const payment = await insertPayment(db, partner, values);
  const made = await db.transaction((tx) => transition(tx, payment.id, to, { source: 'webhook' }));
  if (!made) throw new Error(`transition of ${payment.id} to ${to} did not happen`);
  return payment.id;
}

/** The outbox rows of a payment, oldest first. */
export async function outboxOf(db: Db, paymentId: string): Promise<OutboxMessage[]> {
  return db.select().from(outbox).where(eq(outbox.paymentId, paymentId)).orderBy(asc(outbox.id));
}

/** The one outbox row of a payment. */
export async function onlyRowOf(db: Db, paymentId: string): Promise<OutboxMessage> {
  const rows = await outboxOf(db, paymentId);
  if (rows.length !== 1) throw new Error(`expected one outbox row for ${paymentId}, found ${rows.length}`);
  return rows[0] as OutboxMessage;
}

/** The recorded attempts of an outbox row, in order. */
export async function attemptsOf(db: Db, outboxId: number): Promise<WebhookAttempt[]> {
  return db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.outboxId, outboxId))
    .orderBy(asc(webhookAttempts.id));
}

/** Empties the outbox tables between tests, so one test's leftovers are never claimed by the next. */
export async function clearOutbox(db: Db): Promise<void> {
  await db.execute(sql`delete from webhook_attempts`);
  await db.execute(sql`delete from webhook_disabled_endpoints`);
  await db.execute(sql`delete from outbox`);
}

/** Worker options for tests: the receivers on 127.0.0.1 allowed, a schedule in milliseconds, no jitter. */
export function testWorker(db: Db, overrides: Partial<WebhookWorkerOptions> = {}): WebhookWorkerOptions {
  return {
    db,
    guard: createTargetGuard({ allowedHosts: '127.0.0.1' }),
    schedule: [40, 80, 160],
    random: () => 0.5,
    leaseMs: 5000,
    timeoutMs: 2000,
    pollMs: 10,
    ...overrides,
  };
}

/** Polls `check` every 10 ms until it holds (bounded by `timeoutMs`). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * One receiver for a suite: started before its tests, handed to `use`; after each test its requests
 * are forgotten, it answers 200 "ok" again and the outbox is emptied; closed after the suite.
 */
export function receiverForSuite(getDatabase: () => { db: Db }, use: (receiver: Receiver) => void): void {
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    receiver = await startReceiver();
    use(receiver);
  });
  afterEach(async () => {
    if (receiver) {
      receiver.requests.length = 0;
      receiver.respond = () => ({ status: 200, body: 'ok' });
    }
    await clearOutbox(getDatabase().db);
  });
  afterAll(async () => {
    await receiver?.close();
  });
}
