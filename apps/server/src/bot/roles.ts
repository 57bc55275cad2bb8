import type { AdminRole } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { roleOf } from '../store/admins.js';

/**
 * What each admin role may do (issue 9): the owner everything, staff only stock and orders
 * (including buyers' replacement reports). Handlers ask `allowed(ctx.adminRole, area)` before acting.
 */
export type AdminArea =
  | 'stock'
  | 'orders'
  | 'catalog'
  | 'prices'
  | 'users'
  | 'broadcast'
  | 'vouchers'
  | 'stats'
  | 'staff'
  | 'audit';

const STAFF_AREAS: ReadonlySet<AdminArea> = new Set<AdminArea>(['stock', 'orders']);

/** Whether an admin of `role` (null: not an admin) may act in `area`. */
export function allowed(role: AdminRole | null, area: AdminArea): boolean {
  if (role === 'owner') return true;
  if (role === 'staff') return STAFF_AREAS.has(area);
  return false;
}

/**
 * Each user's admin role (`roleOf`), looked up once per `ttlMs` rather than on every update. Only
 * this process forgets on `/staff add|remove`; another instance sees the change within `ttlMs`.
 * Bounded: the oldest entries go first.
 */
export class AdminRoles {
  readonly #cached = new Map<number, { role: AdminRole | null; until: number }>();
  readonly #db: Executor;
  readonly #ownerIds: ReadonlySet<number>;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: {
    db: Executor;
    ownerIds: ReadonlySet<number>;
    ttlMs?: number;
    max?: number;
    now?: () => number;
  }) {
    this.#db = options.db;
    this.#ownerIds = options.ownerIds;
    this.#ttlMs = options.ttlMs ?? 10_000;
    this.#max = options.max ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The role of `telegramId` (owners of ADMIN_TELEGRAM_IDS without a query). */
  async of(telegramId: number): Promise<AdminRole | null> {
    if (this.#ownerIds.has(telegramId)) return 'owner';
    const now = this.#now();
    const hit = this.#cached.get(telegramId);
    if (hit && hit.until > now) return hit.role;
    const role = await roleOf(this.#db, telegramId, this.#ownerIds);
    this.#cached.delete(telegramId);
    this.#cached.set(telegramId, { role, until: now + this.#ttlMs });
    if (this.#cached.size > this.#max) {
      const oldest = this.#cached.keys().next().value;
      if (oldest !== undefined) this.#cached.delete(oldest);
    }
    return role;
  }

  /** Drops the cached role of `telegramId` (after adding or removing them). */
  forget(telegramId: number): void {
    this.#cached.delete(telegramId);
  }
}
