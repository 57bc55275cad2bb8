import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { PAYMENT_STATUSES } from '../../db/schema.js';
import { queryRows } from '../../db/sql.js';
import type { RouteContext } from '../context.js';
import { Counter, Gauge, Registry } from '../metrics.js';

/**
 * `GET /metrics` (Prometheus text format): the shared app metrics (HTTP requests and durations,
 * upstream latency, webhook lag, fed by hooks) and, read from the database at each scrape,
 * payments by status and token debits and refunds, plus the open long requests of this process.
 */
export function registerMetricsRoute(app: FastifyInstance, context: RouteContext): void {
  const { db, metrics, longRequests } = context;
  const local = new Registry();
  const paymentsByStatus = local.add(new Gauge('quickcart_payments', 'Payments in the database, by status.'));
  const tokenMoves = local.add(
    new Counter(
      'quickcart_token_ledger_entries_total',
      'License ledger entries, by reason (debit, refund, topup).',
    ),
  );
  const debits = local.add(
    new Counter('quickcart_token_debits_total', 'License tokens debited by payments.'),
  );
  const longOpen = local.add(new Gauge('quickcart_long_requests_open', 'Open long-polls and event streams.'));

  local.collect(async () => {
    const statuses = await queryRows<{ status: string; n: number | string }>(
      db,
      sql`select status, count(*)::int as n from payments group by status`,
    );
    paymentsByStatus.clear();
    for (const status of PAYMENT_STATUSES) paymentsByStatus.set({ status }, 0);
    for (const row of statuses) paymentsByStatus.set({ status: row.status }, Number(row.n));
    const ledger = await queryRows<{ reason: string; n: number | string; tokens: number | string }>(
      db,
      sql`select reason, count(*)::int as n, coalesce(sum(abs(delta)), 0)::bigint as tokens
          from license_ledger group by reason`,
    );
    for (const reason of ['debit', 'refund', 'topup']) tokenMoves.set({ reason }, 0);
    debits.set({}, 0);
    for (const row of ledger) {
      tokenMoves.set({ reason: row.reason }, Number(row.n));
      if (row.reason === 'debit') debits.set({}, Number(row.tokens));
    }
    longOpen.set({}, longRequests.size);
  });

  app.get('/metrics', async (_request, reply) => {
    const text = (await metrics.registry.render()) + (await local.render());
    return reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(text);
  });
}
