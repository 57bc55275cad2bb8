import { createHash } from 'node:crypto';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { idempotencyKeys } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { QuickCartError } from '../payments/errors.js';
import { partnerOf } from './auth.js';

/**
 * `Idempotency-Key` on the partner API's POST routes (ARCHITECTURE.md style item 3), per partner,
 * in the `idempotency_keys` table:
 * - the first request with a key claims it (a row with a null status code) and runs; its answer
 *   (status and JSON body) is stored before it is sent, so a retry that follows the answer replays it;
 * - the same key with the same method, URL and body (canonical JSON, SHA-256) within 24 h replays
 *   the stored answer, with `Idempotent-Replayed: true`;
 * - the same key with anything else: 409 IDEMPOTENCY_KEY_REUSED;
 * - the same key while the first request still runs: 409 CONFLICT (retry shortly).
 * Answers of 5xx and 429 are not stored (the claim is released): a retry after a gateway failure
 * runs again. A claim left by a crashed process is taken over after `inFlightTimeoutMs`.
 */

/** Options of `idempotency()`. */
export interface IdempotencyOptions {
  db: Db;
  now: () => Date;
  /** How long an answer is replayed (default 24 h). */
  ttlMs?: number;
  /** After how long an unanswered claim counts as abandoned (default 5 min). */
  inFlightTimeoutMs?: number;
}

/** The route hooks that implement it: `preHandler`, `onSend`, `onResponse`. */
export interface IdempotencyHooks {
  preHandler(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown>;
  onResponse(request: FastifyRequest): Promise<void>;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,255}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** JSON with object keys sorted at every level: equal bodies hash equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fingerprint of a request: method, URL and canonical body. */
export function requestHash(request: Pick<FastifyRequest, 'method' | 'url' | 'body'>): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${canonicalJson(request.body)}`)
    .digest('hex');
}

/** The JSON body of an answer as it is stored, or undefined when it cannot be replayed. */
function storable(payload: unknown): unknown {
  if (payload === '' || payload === undefined || payload === null) return null;
  if (typeof payload !== 'string') return undefined;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return undefined;
  }
}

interface Claim {
  partnerId: string;
  key: string;
  done: boolean;
}

/** Builds the hooks; one instance serves every POST route of an app. */
export function idempotency(options: IdempotencyOptions): IdempotencyHooks {
  const { db, now } = options;
  const ttlMs = options.ttlMs ?? DAY_MS;
  const inFlightTimeoutMs = options.inFlightTimeoutMs ?? 5 * 60_000;
  const claims = new WeakMap<FastifyRequest, Claim>();

  const where = (claim: Pick<Claim, 'partnerId' | 'key'>) =>
    and(eq(idempotencyKeys.partnerId, claim.partnerId), eq(idempotencyKeys.key, claim.key));

  async function release(claim: Claim): Promise<void> {
    claim.done = true;
    await db.delete(idempotencyKeys).where(where(claim));
  }

  /** Deletes the key's row when it expired, or when its request was abandoned. */
  async function clearStale(claim: Pick<Claim, 'partnerId' | 'key'>, at: Date): Promise<void> {
    const expired = new Date(at.getTime() - ttlMs);
    const abandoned = new Date(at.getTime() - inFlightTimeoutMs);
    await db
      .delete(idempotencyKeys)
      .where(
        and(
          where(claim),
          or(
            lt(idempotencyKeys.createdAt, expired),
            and(isNull(idempotencyKeys.statusCode), lt(idempotencyKeys.createdAt, abandoned)),
          ),
        ),
      );
  }

  return {
    async preHandler(request, reply) {
      const header = request.headers[IDEMPOTENCY_HEADER];
      if (header === undefined) return undefined;
      if (typeof header !== 'string' || !KEY.test(header)) {
        throw new QuickCartError('VALIDATION_ERROR', {
          message: 'the Idempotency-Key header must be 1 to 255 printable ASCII characters',
          details: { header: 'Idempotency-Key' },
        });
      }
      const claim: Claim = { partnerId: partnerOf(request).id, key: header, done: false };
      const hash = requestHash(request);
      for (let attempt = 0; attempt < 3; attempt++) {
        const at = now();
        const inserted = await db
          .insert(idempotencyKeys)
          .values({ partnerId: claim.partnerId, key: claim.key, requestHash: hash, createdAt: at })
          .onConflictDoNothing()
          .returning({ key: idempotencyKeys.key });
        if (inserted.length > 0) {
          claims.set(request, claim);
          return undefined;
        }
        const [row] = await db.select().from(idempotencyKeys).where(where(claim));
        if (!row) continue;
        const age = at.getTime() - row.createdAt.getTime();
        if (age >= ttlMs || (row.statusCode === null && age >= inFlightTimeoutMs)) {
          await clearStale(claim, at);
          continue;
        }
        if (row.requestHash !== hash) {
          throw new QuickCartError('IDEMPOTENCY_KEY_REUSED', {
            message: 'this Idempotency-Key was used with another request (method, URL or body)',
            details: { header: 'Idempotency-Key' },
          });
        }
        if (row.statusCode === null) {
          throw new QuickCartError('CONFLICT', {
            message: 'a request with this Idempotency-Key is still in progress; retry shortly',
            details: { header: 'Idempotency-Key', in_progress: true },
          });
        }
        reply.header('idempotent-replayed', 'true');
        return reply.code(row.statusCode).send(row.response);
      }
      throw new QuickCartError('CONFLICT', {
        message: 'the Idempotency-Key is contended by concurrent requests; retry shortly',
        details: { header: 'Idempotency-Key', in_progress: true },
      });
    },

    async onSend(request, reply, payload) {
      const claim = claims.get(request);
      if (!claim || claim.done) return payload;
      const status = reply.statusCode;
      try {
        const response = status >= 500 || status === 429 ? undefined : storable(payload);
        if (response === undefined) {
          await release(claim);
        } else {
          claim.done = true;
          await db.update(idempotencyKeys).set({ statusCode: status, response }).where(where(claim));
        }
      } catch (error) {
        // The answer still goes out; the key stays claimed until it is abandoned (inFlightTimeoutMs).
        request.log.error({ err: error }, 'could not store the answer of an Idempotency-Key');
      }
      return payload;
    },

    async onResponse(request) {
      const claim = claims.get(request);
      if (claim && !claim.done) {
        await release(claim).catch((error: unknown) =>
          request.log.error({ err: error }, 'could not release an Idempotency-Key'),
        );
      }
    },
  };
}
