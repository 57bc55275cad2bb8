import type { Payment } from '../db/schema.js';
import type { NotifierEvent, PaymentNotifier } from './notifier.js';

/**
 * Recently read payments of this process, so that status reads (the route partners poll) need no
 * database round trip. It is only as right as what keeps it right, so it keeps only rows that
 * change by a status transition alone: pending payments whose QR is stored, and paid ones. Every
 * transition is announced twice:
 * - by the database (the NOTIFY of migration 0003, via the notifier) to every process, which
 *   drops the row: other instances see a change within the notification's latency;
 * - by `transition()` in this process (`announceLocalTransition`), before its transaction commits:
 *   the row is dropped and not cached again until its notification arrives, so a client that
 *   waited for our answer (cancel, webhook) then reads the new status, never the old one.
 * A read that started before a change is never stored after it (a generation counter), and pending
 * rows are re-read after PENDING_TTL_MS anyway, which bounds the damage of a notification lost
 * without the connection reporting it. While the notifier's connection is down nothing is served.
 */

/** The longest a pending row is served from memory. */
export const PENDING_TTL_MS = 5000;
/** How long a locally announced change blocks caching when its notification never comes (rolled back). */
const DIRTY_MS = 5000;
const MAX_ROWS = 10_000;

const localWatchers = new Set<(paymentId: string) => void>();

/** Called by `transition()` before it commits a status change (see above). */
export function announceLocalTransition(paymentId: string): void {
  for (const watcher of localWatchers) watcher(paymentId);
}

export class PaymentReadCache {
  readonly #rows = new Map<string, { row: Payment; until: number }>();
  /** `partnerId \0 transactionId` → payment id: both are immutable, so this never goes stale. */
  readonly #idsByTransaction = new Map<string, string>();
  /** Payments changed by this process whose notification has not arrived yet → until when. */
  readonly #dirty = new Map<string, number>();
  readonly #now: () => number;
  readonly #stop: () => void;
  #generation = 0;
  #live = true;

  constructor(notifier: PaymentNotifier, now: () => number = Date.now) {
    this.#now = now;
    const unwatch = notifier.watchAll((event) => this.#onEvent(event));
    const local = (paymentId: string) => this.#drop(paymentId, true);
    localWatchers.add(local);
    this.#stop = () => {
      unwatch();
      localWatchers.delete(local);
    };
  }

  /** Take before reading the database; hand to `remember` with what was read. */
  get generation(): number {
    return this.#generation;
  }

  /** The cached row of `partnerId` for a payment id or one of its transaction ids, if any. */
  lookup(partnerId: string, idOrTransactionId: string, isPaymentId: boolean): Payment | undefined {
    const id = isPaymentId
      ? idOrTransactionId
      : this.#idsByTransaction.get(transactionKey(partnerId, idOrTransactionId));
    if (id === undefined) return undefined;
    const entry = this.#rows.get(id);
    if (!entry || entry.row.partnerId !== partnerId) return undefined;
    if (entry.until <= this.#now()) {
      this.#rows.delete(id);
      return undefined;
    }
    return entry.row;
  }

  /** Keeps `row` if it is cacheable and nothing changed since `generation` was taken. */
  remember(row: Payment, generation: number): void {
    if (!this.#live || generation !== this.#generation || row.qrContent === null) return;
    if (row.status !== 'pending' && row.status !== 'paid') return;
    const dirtyUntil = this.#dirty.get(row.id);
    if (dirtyUntil !== undefined) {
      if (dirtyUntil > this.#now()) return;
      this.#dirty.delete(row.id);
    }
    const until = row.status === 'paid' ? Number.POSITIVE_INFINITY : this.#now() + PENDING_TTL_MS;
    if (this.#rows.size >= MAX_ROWS) this.#evictOldest();
    this.#rows.set(row.id, { row, until });
    this.#idsByTransaction.set(transactionKey(row.partnerId, row.transactionId), row.id);
  }

  /** Stops watching the notifier and this process's transitions. */
  close(): void {
    this.#stop();
    this.#clear();
  }

  #onEvent(event: NotifierEvent): void {
    if (event.type === 'change') {
      this.#dirty.delete(event.change.paymentId);
      this.#drop(event.change.paymentId, false);
      return;
    }
    this.#live = event.type === 'resumed';
    this.#clear();
  }

  #drop(paymentId: string, dirty: boolean): void {
    this.#generation++;
    this.#rows.delete(paymentId);
    if (!dirty) return;
    const now = this.#now();
    // Entries left behind are changes that rolled back (no notification): drop the expired ones.
    for (const [id, until] of this.#dirty) {
      if (until > now) break;
      this.#dirty.delete(id);
    }
    this.#dirty.delete(paymentId); // re-inserted last, so the map stays in expiry order
    this.#dirty.set(paymentId, now + DIRTY_MS);
  }

  #clear(): void {
    this.#generation++;
    this.#rows.clear();
  }

  #evictOldest(): void {
    const oldest = this.#rows.keys().next().value;
    if (oldest === undefined) return;
    const entry = this.#rows.get(oldest);
    this.#rows.delete(oldest);
    if (entry) this.#idsByTransaction.delete(transactionKey(entry.row.partnerId, entry.row.transactionId));
    if (this.#idsByTransaction.size > 2 * MAX_ROWS) this.#idsByTransaction.clear();
  }
}

function transactionKey(partnerId: string, transactionId: string): string {
  return `${partnerId}\u0000${transactionId}`;
}
