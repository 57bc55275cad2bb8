import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { JsonObject } from '../../db/schema.js';
import { queryRows } from '../../db/sql.js';
import type { Db } from '../../db/types.js';
import { WEBHOOK_TOPICS } from './enqueue.js';
import type { Decision } from './schedule.js';
import type { AttemptResult } from './send.js';

/**
 * The outbox's concurrency protocol, in SQL. A worker claims due rows in one statement
 * (`FOR UPDATE SKIP LOCKED`, so two workers never take the same row) and stamps them with a lease
 * and a token; it records the outcome only while its token is still the row's, so a worker that
 * outlived its lease (paused, partitioned) cannot overwrite whoever took the row over. A worker
 * that dies (SIGKILL) records nothing: the lease runs out and the row is claimed again, with the
 * same event id. `attempts` counts claims, so a row that crashes its worker still runs out.
 */

/** A claimed outbox row with what delivering it needs. */
export interface ClaimedRow {
  id: number;
  eventId: string;
  topic: string;
  payload: JsonObject;
  partnerId: string | null;
  targetUrl: string | null;
  /** This claim's attempt number, from 1. */
  attempt: number;
  leaseToken: string;
  /** The partner's secrets: the previous one only while still valid. */
  secret: string | null;
  previousSecret: string | null;
  /** Whether the target answered 410 before: nothing more is sent there. */
  disabled: boolean;
}

/** Claims up to `limit` due webhook rows for `leaseMs`. */
export async function claimDue(db: Db, options: { limit: number; leaseMs: number }): Promise<ClaimedRow[]> {
  const token = randomBytes(12).toString('base64url');
  const topics = sql.join(
    WEBHOOK_TOPICS.map((topic) => sql`${topic}`),
    sql`, `,
  );
  const rows = await queryRows<{
    id: number | string;
    event_id: string;
    topic: string;
    payload: JsonObject;
    partner_id: string | null;
    target_url: string | null;
    attempts: number;
    secret: string | null;
    previous_secret: string | null;
    disabled: boolean;
  }>(
    db,
    sql`with due as (
          select id from outbox
          where topic in (${topics}) and delivered_at is null and failed_at is null
            and available_at <= now() and (lease_until is null or lease_until < now())
          order by available_at, id
          limit ${options.limit}
          for update skip locked
        ), claimed as (
          update outbox o
          set lease_until = now() + ${options.leaseMs} * interval '1 millisecond',
              lease_token = ${token}, attempts = o.attempts + 1
          from due where o.id = due.id
          returning o.id, o.event_id, o.topic, o.payload, o.partner_id, o.target_url, o.attempts, o.available_at
        )
        select c.*, pt.webhook_secret as secret,
          case when pt.webhook_secret_previous_until > now() then pt.webhook_secret_previous end as previous_secret,
          exists (select 1 from webhook_disabled_endpoints d
                  where d.partner_id = c.partner_id and d.url = c.target_url) as disabled
        from claimed c left join partners pt on pt.id = c.partner_id
        order by c.available_at, c.id`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    eventId: row.event_id,
    topic: row.topic,
    payload: row.payload,
    partnerId: row.partner_id,
    targetUrl: row.target_url,
    attempt: row.attempts,
    leaseToken: token,
    secret: row.secret,
    previousSecret: row.previous_secret,
    disabled: row.disabled,
  }));
}

/** One attempt to record: the claimed row, what the attempt did (null: nothing was sent), what next. */
export interface AttemptRecord {
  row: ClaimedRow;
  result: AttemptResult | null;
  decision: Decision;
}

/** The `last_error` a decision leaves on its row (null once delivered). */
function lastErrorOf({ result, decision }: AttemptRecord): string | null {
  if (decision.action === 'delivered') return null;
  if (decision.action === 'give_up' || decision.action === 'disable') {
    return `${decision.reason}${result?.error ? `: ${result.error}` : ''}`;
  }
  return result?.error ?? decision.action;
}

/**
 * Records an attempt and applies the decision, in one transaction, if `row`'s lease is still
 * ours; returns false (and records nothing) when another worker took the row over.
 */
export async function recordAttempt(
  db: Db,
  row: ClaimedRow,
  result: AttemptResult | null,
  decision: Decision,
): Promise<boolean> {
  const [recorded] = await recordAttempts(db, [{ row, result, decision }]);
  return recorded ?? false;
}

/**
 * `recordAttempt` for several rows in ONE transaction of at most three statements (the worker
 * groups the attempts that end while a recording is in flight: one commit for many deliveries).
 * Each row is recorded only while its lease token is still the row's; the answer says, per entry
 * in order, whether it was.
 */
export async function recordAttempts(db: Db, entries: readonly AttemptRecord[]): Promise<boolean[]> {
  if (entries.length === 0) return [];
  const values = sql.join(
    entries.map((entry) => {
      const delayMs = entry.decision.action === 'retry' ? entry.decision.delayMs : 0;
      return sql`(${entry.row.id}::bigint, ${entry.row.leaseToken}::text, ${entry.decision.action}::text,
                  ${delayMs}::bigint, ${lastErrorOf(entry)}::text)`;
    }),
    sql`, `,
  );
  return db.transaction(async (tx) => {
    const updated = await queryRows<{ id: number | string }>(
      tx,
      sql`update outbox o
          set delivered_at = case when v.action = 'delivered' then now() else o.delivered_at end,
              failed_at = case when v.action in ('give_up', 'disable') then now() else o.failed_at end,
              available_at = case when v.action = 'retry'
                then now() + v.delay_ms * interval '1 millisecond' else o.available_at end,
              last_error = v.last_error, lease_until = null, lease_token = null
          from (values ${values}) as v(id, token, action, delay_ms, last_error)
          where o.id = v.id and o.lease_token = v.token
          returning o.id`,
    );
    const mine = new Set(updated.map((row) => Number(row.id)));
    const recorded = entries.filter((entry) => mine.has(entry.row.id));
    const attempts = recorded.filter((entry) => entry.result && entry.row.targetUrl);
    if (attempts.length > 0) {
      await tx.execute(sql`
        insert into webhook_attempts (outbox_id, attempt, url, status_code, latency_ms, response_body, error)
        values ${sql.join(
          attempts.map(({ row, result }) => {
            const r = result as AttemptResult;
            return sql`(${row.id}, ${row.attempt}, ${row.targetUrl}, ${r.statusCode}, ${r.latencyMs},
                        ${r.responseBody}, ${r.error})`;
          }),
          sql`, `,
        )}`);
    }
    const disabled = new Map<string, AttemptRecord>();
    for (const entry of recorded) {
      const { partnerId, targetUrl } = entry.row;
      if (entry.decision.action === 'disable' && partnerId && targetUrl) {
        disabled.set(JSON.stringify([partnerId, targetUrl]), entry);
      }
    }
    if (disabled.size > 0) {
      await tx.execute(sql`
        insert into webhook_disabled_endpoints (partner_id, url, status_code)
        values ${sql.join(
          [...disabled.values()].map(
            ({ row, result }) => sql`(${row.partnerId}, ${row.targetUrl}, ${result?.statusCode ?? 410})`,
          ),
          sql`, `,
        )}
        on conflict do nothing`);
    }
    return entries.map((entry) => mine.has(entry.row.id));
  });
}
