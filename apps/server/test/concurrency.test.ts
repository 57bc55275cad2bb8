// A whole server (`startQuickCart()` in process, embedded sandbox) driven over HTTP: concurrent
// creates racing for the last tokens of a license, gateway faults injected in the sandbox, and a
// long-poll woken through the notifier. On PGlite, and on PostgreSQL when TEST_DATABASE_URL is
// set: there in a scratch database whose schema is chosen by DATABASE_URL itself
// (`?options=-c search_path=…`), which also checks migrations, the NOTIFY channel and the
// listener in a schema that is not `public`.
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseLedger, paymentEvents, payments } from '../src/db/schema.js';
import type { Db } from '../src/db/types.js';
import { ledgerBalance } from '../src/payments/licenses.js';
import { testDrivers } from './databases.js';
import { partnerWithLicense } from './fixtures.js';
import {
  callApi,
  createScratchDatabase,
  expectErrorBody,
  type JsonAnswer,
  type ScratchDatabase,
  startTestServer,
  type TestServer,
  withSearchPath,
} from './servers.js';

const CONCURRENT_CREATES = 50;
const TOKENS = 10;

interface CreatedBody {
  payment_id: string;
  status: string;
  qris: { qr_content: string };
}

/** A seed 004 create body for `licenseKey`. */
function createBody(licenseKey: string, transactionId: string) {
  return { transaction_id: transactionId, amount: 25_000, license_key: licenseKey, payment_type: 'QRIS' };
}

/** Ledger entries of a license, oldest first. */
function ledgerOf(db: Db, licenseId: string) {
  return db
    .select({ delta: licenseLedger.delta, reason: licenseLedger.reason, paymentId: licenseLedger.paymentId })
    .from(licenseLedger)
    .where(eq(licenseLedger.licenseId, licenseId))
    .orderBy(asc(licenseLedger.id));
}

for (const driver of testDrivers()) {
  describe(`a running server over HTTP [${driver}]`, () => {
    let scratch: ScratchDatabase | undefined;
    let running: TestServer | undefined;
    const server = () => {
      if (!running) throw new Error('the server is not running');
      return running;
    };

    beforeAll(async () => {
      if (driver === 'postgres') {
        scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL as string);
      }
      running = await startTestServer({ databaseUrl: scratch?.url });
    });

    afterAll(async () => {
      await running?.close();
      await scratch?.drop();
    });

    it(`${CONCURRENT_CREATES} concurrent creates on a ${TOKENS}-token license: exactly ${TOKENS} succeed`, async () => {
      const { url, server: running } = server();
      const db = running.database.db;
      const owner = await partnerWithLicense(db, { tokens: TOKENS });
      const answers = await Promise.all(
        Array.from({ length: CONCURRENT_CREATES }, (_, i) =>
          callApi<CreatedBody>(`${url}/v1/partner/payments`, owner.apiKey, {
            body: createBody(owner.licenseKey, `RACE-${i}`),
          }),
        ),
      );
      const created = answers.filter((a) => a.status === 201);
      const refused = answers.filter((a) => a.status !== 201);
      expect(created).toHaveLength(TOKENS);
      expect(refused).toHaveLength(CONCURRENT_CREATES - TOKENS);
      for (const answer of refused) {
        expect(answer.status).toBe(409);
        expectErrorBody(answer.body, 'INSUFFICIENT_TOKENS');
      }
      for (const answer of created) {
        expect(answer.body).toMatchObject({ status: 'pending', qris: { qr_content: expect.any(String) } });
      }

      expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 0, ledgerSum: 0 });
      const ledger = await ledgerOf(db, owner.licenseId);
      expect(ledger.filter((e) => e.reason === 'topup')).toEqual([
        { delta: TOKENS, reason: 'topup', paymentId: null },
      ]);
      const debits = ledger.filter((e) => e.reason === 'debit');
      expect(debits).toHaveLength(TOKENS);
      expect(ledger.filter((e) => e.reason === 'refund')).toEqual([]);
      // One debit per created payment, and no payment row survived a refused debit.
      const createdIds = created.map((a) => a.body.payment_id).sort();
      expect(debits.map((e) => e.paymentId).sort()).toEqual(createdIds);
      const rows = await db
        .select({ id: payments.id, status: payments.status })
        .from(payments)
        .where(eq(payments.licenseId, owner.licenseId));
      expect(rows.map((r) => r.id).sort()).toEqual(createdIds);
      expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['pending']));
      const events = await db
        .select({ paymentId: paymentEvents.paymentId, to: paymentEvents.toStatus })
        .from(paymentEvents)
        .innerJoin(payments, eq(payments.id, paymentEvents.paymentId))
        .where(eq(payments.licenseId, owner.licenseId));
      expect(events.map((e) => e.paymentId).sort()).toEqual(createdIds);
      expect(new Set(events.map((e) => e.to))).toEqual(new Set(['pending']));
    });

    // The gateway client of `quickcart start` makes two attempts of 8 s at most (start/run.ts
    // GATEWAY_LIMITS); a hang would hold a create 17 s, so the faults here are answers (502) and
    // connection resets, two of each so that both attempts fail.
    const faults = [
      { name: 'answers 502 twice', set: { errors: [502, 502] as const } },
      { name: 'resets the connection twice', set: { resets: 2 } },
    ];
    for (const fault of faults) {
      it(`a gateway that ${fault.name}: 502 GATEWAY_ERROR, token refunded, payment failed`, async () => {
        const { url, server: running } = server();
        const db = running.database.db;
        const sandbox = running.sandbox;
        if (!sandbox) throw new Error('expected the embedded sandbox');
        const owner = await partnerWithLicense(db, { tokens: 3 });
        sandbox.faults.set({ ...fault.set, errors: [...(fault.set.errors ?? [])] });
        let answer: JsonAnswer;
        try {
          answer = await callApi(`${url}/v1/partner/payments`, owner.apiKey, {
            body: createBody(owner.licenseKey, 'FAULT-1'),
          });
          // Every injected fault was used by the create and its retries.
          expect(sandbox.faults.current()).toMatchObject({ errors: [], resets: 0 });
        } finally {
          sandbox.faults.reset();
        }
        expect(answer.status).toBe(502);
        expectErrorBody(answer.body, 'GATEWAY_ERROR');
        const paymentId = (answer.body.details as { payment_id: string }).payment_id;
        expect(paymentId).toMatch(/^pay_/);

        expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 3, ledgerSum: 3 });
        const entries = (await ledgerOf(db, owner.licenseId)).filter((e) => e.paymentId === paymentId);
        expect(entries).toEqual([
          { delta: -1, reason: 'debit', paymentId },
          { delta: 1, reason: 'refund', paymentId },
        ]);
        const [row] = await db.select().from(payments).where(eq(payments.id, paymentId));
        expect(row).toMatchObject({ status: 'failed', qrContent: null });
        const events = await db
          .select({ from: paymentEvents.fromStatus, to: paymentEvents.toStatus })
          .from(paymentEvents)
          .where(eq(paymentEvents.paymentId, paymentId))
          .orderBy(asc(paymentEvents.id));
        expect(events).toEqual([
          { from: null, to: 'pending' },
          { from: 'pending', to: 'failed' },
        ]);
        // Partners see seed 002's statuses: a payment the gateway never created reads `cancelled`.
        const status = await callApi(`${url}/v1/payments/${paymentId}`, owner.apiKey);
        expect(status).toMatchObject({ status: 200, body: { status: 'cancelled' } });

        // The gateway is back: the next create works and spends the token again.
        const again = await callApi(`${url}/v1/partner/payments`, owner.apiKey, {
          body: createBody(owner.licenseKey, 'FAULT-2'),
        });
        expect(again.status).toBe(201);
        expect(await ledgerBalance(db, owner.licenseId)).toEqual({ tokens: 2, ledgerSum: 2 });
      });
    }

    it('wakes a long-poll through the database notification when the payment is paid', async () => {
      const { url, server: running } = server();
      const owner = await partnerWithLicense(running.database.db, { tokens: 1 });
      const created = await callApi<CreatedBody>(`${url}/v1/partner/payments`, owner.apiKey, {
        body: createBody(owner.licenseKey, 'WAIT-1'),
      });
      expect(created.status).toBe(201);
      const id = created.body.payment_id;
      const started = Date.now();
      const waiting = callApi(`${url}/v1/payments/${id}/wait?timeout_ms=15000`, owner.apiKey);
      await new Promise((resolve) => setTimeout(resolve, 200)); // let the waiter register and read `pending`
      const simulated = await callApi(`${url}/v1/payments/${id}/simulate`, owner.apiKey, { method: 'POST' });
      expect(simulated.status).toBe(200);
      const waited = await waiting;
      expect(waited).toMatchObject({ status: 200, body: { status: 'paid', timeout: false } });
      expect(Date.now() - started).toBeLessThan(10_000);
      const paid = await running.database.db
        .select({ source: paymentEvents.source })
        .from(paymentEvents)
        .where(and(eq(paymentEvents.paymentId, id), eq(paymentEvents.toStatus, 'paid')));
      expect(paid).toEqual([{ source: 'webhook' }]);
    });

    if (driver === 'postgres') {
      // The schema a DATABASE_URL selects gets its own migrations bookkeeping and job locks.
      it('starts a second instance in another schema of the same database', async () => {
        if (!scratch) throw new Error('no scratch database');
        const other = withSearchPath(scratch.databaseUrl, `${scratch.schema}_b`);
        const { default: pg } = await import('pg');
        const admin = new pg.Client({ connectionString: scratch.databaseUrl });
        await admin.connect();
        await admin.query(`create schema ${scratch.schema}_b`);
        await admin.end();
        const second = await startTestServer({ databaseUrl: other });
        await second.close();
      });
    }
  });
}
