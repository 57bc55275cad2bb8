import type { AdminRole } from '../db/schema.js';

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
