import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Partner } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { QuickCartError } from '../payments/errors.js';
import { hashKey, secretMatcher } from '../payments/keys.js';
import { findPartnerByApiKey } from '../payments/partners.js';

/**
 * Partner authentication: `Authorization: Bearer <api key>` or `x-api-key: <api key>`, looked up
 * by its SHA-256 hash (`findPartnerByApiKey`). Anything else is 401 UNAUTHORIZED, with the same
 * answer for a missing, unknown or revoked key.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated partner; set by the `authenticate` hook of partner routes. */
    partner: Partner | null;
  }
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const MAX_KEY_LENGTH = 256;

/** The secret a request presents in `Authorization: Bearer` (first) or `x-api-key`, if any. */
export function presentedKey(headers: IncomingHttpHeaders, extraHeader = 'x-api-key'): string | null {
  const authorization = headers.authorization;
  const bearer = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
  const header = headers[extraHeader];
  const key = bearer ?? (typeof header === 'string' ? header.trim() : undefined);
  return key && key.length <= MAX_KEY_LENGTH ? key : null;
}

/** Declares `request.partner` (call once, before the routes). */
export function decorateAuth(app: FastifyInstance): void {
  app.decorateRequest('partner', null);
}

/** How long a known API key's partner is kept in memory: a key revoked in the database stops working within this. */
export const AUTH_CACHE_TTL_MS = 10_000;
const AUTH_CACHE_MAX = 10_000;

/**
 * Known keys' partners for AUTH_CACHE_TTL_MS, keyed by the key's SHA-256: the lookup was half the
 * database round trips of a status read. Unknown keys are never cached (they stay a lookup, under
 * the rate limit).
 */
class PartnerCache {
  readonly #entries = new Map<string, { partner: Partner; until: number }>();

  get(hash: string, now: number): Partner | undefined {
    const entry = this.#entries.get(hash);
    if (entry && entry.until > now) return entry.partner;
    if (entry) this.#entries.delete(hash);
    return undefined;
  }

  set(hash: string, partner: Partner, now: number): void {
    if (this.#entries.size >= AUTH_CACHE_MAX)
      this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(hash, { partner, until: now + AUTH_CACHE_TTL_MS });
  }
}

/** An onRequest hook that authenticates the partner or throws 401 UNAUTHORIZED. */
export function authenticate(
  db: Db,
  now: () => number = Date.now,
): (request: FastifyRequest) => Promise<void> {
  const cache = new PartnerCache();
  return async (request) => {
    const key = presentedKey(request.headers);
    if (key === null) {
      throw new QuickCartError('UNAUTHORIZED', {
        message: 'no API key: send Authorization: Bearer <api key> or x-api-key',
      });
    }
    const hash = hashKey(key);
    const cached = cache.get(hash, now());
    if (cached) {
      request.partner = cached;
      return;
    }
    const partner = await findPartnerByApiKey(db, key);
    if (!partner) throw new QuickCartError('UNAUTHORIZED', { message: 'the API key is unknown or revoked' });
    cache.set(hash, partner, now());
    request.partner = partner;
  };
}

/** The partner of an authenticated request (a route without the hook is a programming error). */
export function partnerOf(request: FastifyRequest): Partner {
  if (!request.partner) throw new Error(`route ${request.routeOptions.url} has no authenticate hook`);
  return request.partner;
}

/**
 * An onRequest hook for operator routes: the admin key in `Authorization: Bearer` or
 * `x-admin-key`, compared in constant time. No admin key configured: always 401.
 */
export function authenticateAdmin(adminKey: string | undefined): (request: FastifyRequest) => Promise<void> {
  const isAdminKey = adminKey ? secretMatcher(adminKey) : null;
  return async (request) => {
    if (isAdminKey === null) {
      throw new QuickCartError('UNAUTHORIZED', {
        message: 'admin routes are off: no ADMIN_API_KEY is configured',
      });
    }
    const key = presentedKey(request.headers, 'x-admin-key');
    if (!isAdminKey(key)) {
      throw new QuickCartError('UNAUTHORIZED', { message: 'missing or wrong admin key' });
    }
  };
}
