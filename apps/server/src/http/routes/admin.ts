import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { PAYMENT_STATUSES } from '../../db/schema.js';
import { queryRows } from '../../db/sql.js';
import { adminStats } from '../../store/stats.js';
import type { RouteContext } from '../context.js';

/**
 * `GET /admin/stats` (operator only: the admin key in `Authorization: Bearer` or `x-admin-key`):
 * seed 003's statistics for a payment service, and under `store` the Telegram store's, in seed
 * 003's exact shape (`total_users`, `total_transactions`, `active_orders`, `revenue_today`,
 * `top_products: [{ id, name, sold }]`), the numbers of the bot's /stats. "Today" is the calendar
 * day in Jakarta (WIB, UTC+7, no daylight saving), where QRIS is paid.
 */

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight in Jakarta at or before `at`, as an instant. */
export function startOfJakartaDay(at: Date): Date {
  const local = at.getTime() + WIB_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - WIB_OFFSET_MS);
}

type Num = number | string;

export function registerAdminRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db, now } = context;

  app.get('/admin/stats', { onRequest: context.hooks.authenticateAdmin }, async () => {
    const at = now();
    const dayStart = sql`${startOfJakartaDay(at).toISOString()}::timestamptz`;
    const [totals] = await queryRows<{
      partners: Num;
      payments: Num;
      pending: Num;
      paid_today: Num;
      revenue_today: Num;
      tokens_remaining: Num;
    }>(
      db,
      sql`select
        (select count(*) from partners)::int as partners,
        (select count(*) from payments)::int as payments,
        (select count(*) from payments where status = 'pending')::int as pending,
        (select count(*) from payments where status = 'paid' and paid_at >= ${dayStart})::int as paid_today,
        (select coalesce(sum(amount), 0) from payments where status = 'paid' and paid_at >= ${dayStart})::bigint
          as revenue_today,
        (select coalesce(sum(tokens), 0) from licenses)::bigint as tokens_remaining`,
    );
    const byStatus = await queryRows<{ status: string; n: Num }>(
      db,
      sql`select status, count(*)::int as n from payments group by status`,
    );
    const top = await queryRows<{ id: string; name: string; payments: Num; revenue: Num }>(
      db,
      sql`select p.id, p.name, count(*)::int as payments, coalesce(sum(pay.amount), 0)::bigint as revenue
          from payments pay join partners p on p.id = pay.partner_id
          where pay.status = 'paid' and pay.paid_at >= ${dayStart}
          group by p.id, p.name order by revenue desc, p.id limit 5`,
    );
    const store = await adminStats(db, at);
    const statuses = Object.fromEntries(PAYMENT_STATUSES.map((status) => [status, 0]));
    for (const row of byStatus) statuses[row.status] = Number(row.n);
    return {
      success: true,
      timestamp: at.toISOString(),
      total_partners: Number(totals?.partners ?? 0),
      total_transactions: Number(totals?.payments ?? 0),
      active_orders: Number(totals?.pending ?? 0),
      paid_today: Number(totals?.paid_today ?? 0),
      revenue_today: Number(totals?.revenue_today ?? 0),
      tokens_remaining: Number(totals?.tokens_remaining ?? 0),
      payments_by_status: statuses,
      top_partners: top.map((row) => ({
        id: row.id,
        name: row.name,
        payments: Number(row.payments),
        revenue: Number(row.revenue),
      })),
      store: {
        total_users: store.totalUsers,
        total_transactions: store.totalTransactions,
        active_orders: store.activeOrders,
        revenue_today: store.revenueToday,
        top_products: store.topProducts.map((p) => ({ id: p.id, name: p.name, sold: p.sold })),
      },
    };
  });
}
