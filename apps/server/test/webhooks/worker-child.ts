// The "worker that gets SIGKILLed" of restart.test.ts, in its own process: opens the database,
// marks the given payments paid (each transition commits its outbox row), says so on stdout, then
// claims ONE row and starts delivering it to a receiver that never answers, until it is killed.
import { openDatabase, openPostgres } from '../../src/db/connect.js';
import { transition } from '../../src/payments/state.js';
import { createTargetGuard } from '../../src/webhooks/outbound/ssrf.js';
import { deliverDue } from '../../src/webhooks/outbound/worker.js';

interface ChildSpec {
  database: { driver: 'pglite'; dataDir: string } | { driver: 'postgres'; url: string; schema: string };
  paymentIds: string[];
  leaseMs: number;
}

const spec = JSON.parse(process.argv[2] ?? '') as ChildSpec;
const database =
  spec.database.driver === 'pglite'
    ? await openDatabase({ dataDir: spec.database.dataDir })
    : await openPostgres({ url: spec.database.url, schema: spec.database.schema });
for (const id of spec.paymentIds) {
  await database.db.transaction((tx) => transition(tx, id, 'paid', { source: 'webhook' }));
}
process.stdout.write(`${JSON.stringify({ committed: spec.paymentIds.length, pid: process.pid })}\n`);
await deliverDue({
  db: database.db,
  guard: createTargetGuard({ allowedHosts: '127.0.0.1' }),
  batchSize: 1,
  leaseMs: spec.leaseMs,
  timeoutMs: 60_000,
});
process.stdout.write('the receiver answered: the test expected to kill this process first\n');
