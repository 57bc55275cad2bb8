import pg from 'pg';
import { PAYMENT_STATUSES, type PaymentStatus } from '../db/schema.js';
import type { Database, PgliteHandle, PostgresHandle } from '../db/types.js';
import { type Logger, silentLogger } from './alerts.js';

/**
 * Payment status notifications, so that long-polls and event streams wake the moment a payment
 * changes, in this process or in any other one on the same database.
 *
 * The database announces every status change itself: migration 0003 puts a trigger on `payments`
 * that runs `pg_notify('quickcart_payments_<schema>', '<id>:<status>')`, which PostgreSQL (and
 * PGlite) deliver when the transaction commits, never for one rolled back. Each process holds ONE
 * listener: a dedicated `pg` connection running `LISTEN` on PostgreSQL, `PGlite#listen` on PGlite
 * (one process, in-process delivery). It fans each notification out to the callbacks registered
 * for that payment id in a `Map<id, Set<callback>>`: a waiter costs one Set entry and its closure,
 * and nothing polls.
 *
 * When the PostgreSQL listener connection breaks, notifications sent meanwhile are lost: every
 * callback then receives `{ status: null }` ("re-read the payment") once the connection is back.
 */

/** One change: the payment and its new status, or `status: null` for "something may have changed, re-read". */
export interface StatusChange {
  paymentId: string;
  status: PaymentStatus | null;
}

/** Called for each change of the payment it was registered for. Must not throw. */
export type ChangeListener = (change: StatusChange) => void;

/**
 * What `watchAll` callbacks receive: every change of every payment, `lost` when the listener
 * connection broke (changes from then on may be missed), `resumed` once it listens again.
 */
export type NotifierEvent = { type: 'change'; change: StatusChange } | { type: 'lost' } | { type: 'resumed' };

/** A running notifier: register callbacks per payment; close when the process stops. */
export interface PaymentNotifier {
  /** Calls `listener` for each change of `paymentId` until the returned function is called. */
  listen(paymentId: string, listener: ChangeListener): () => void;
  /** Calls `watcher` for every change of any payment (caches), until the returned function is called. */
  watchAll(watcher: (event: NotifierEvent) => void): () => void;
  /** How many callbacks are registered (metrics, tests). */
  listenerCount(): number;
  /** Stops listening (unlisten, closes the dedicated connection). Safe to call twice. */
  close(): Promise<void>;
}

/** Options of `startNotifier()`. */
export interface NotifierOptions {
  logger?: Logger;
  /** PostgreSQL: first delay before reconnecting a broken listener connection (doubles, max 5 s). */
  reconnectDelayMs?: number;
}

/** The NOTIFY channel of the payments table in `schema` (as the trigger of migration 0003 names it). */
export function channelFor(schema: string): string {
  return `quickcart_payments_${schema}`;
}

/** Parses a trigger payload `<payment id>:<status>`; null when it is not one. */
export function parsePayload(payload: string): StatusChange | null {
  const at = payload.lastIndexOf(':');
  if (at <= 0) return null;
  const status = payload.slice(at + 1);
  if (!(PAYMENT_STATUSES as readonly string[]).includes(status)) return null;
  return { paymentId: payload.slice(0, at), status: status as PaymentStatus };
}

/** The callbacks per payment id, and the delivery of a change to them. */
export class Fanout {
  readonly #listeners = new Map<string, Set<ChangeListener>>();
  readonly #watchers = new Set<(event: NotifierEvent) => void>();
  #count = 0;
  readonly #logger: Logger;

  constructor(logger: Logger = silentLogger) {
    this.#logger = logger;
  }

  /** Registers `listener` for `paymentId`; returns its removal (idempotent). */
  add(paymentId: string, listener: ChangeListener): () => void {
    let set = this.#listeners.get(paymentId);
    if (!set) {
      set = new Set();
      this.#listeners.set(paymentId, set);
    }
    // A wrapper, so the same function registered twice is two registrations.
    const entry: ChangeListener = (change) => listener(change);
    set.add(entry);
    this.#count++;
    return () => {
      const current = this.#listeners.get(paymentId);
      if (!current?.delete(entry)) return;
      this.#count--;
      if (current.size === 0) this.#listeners.delete(paymentId);
    };
  }

  get count(): number {
    return this.#count;
  }

  /** Registers a callback for every event; returns its removal. */
  watch(watcher: (event: NotifierEvent) => void): () => void {
    const entry = (event: NotifierEvent) => watcher(event);
    this.#watchers.add(entry);
    return () => this.#watchers.delete(entry);
  }

  /** Tells the watchers that changes may be missed from now on (the listener connection broke). */
  emitLost(): void {
    this.#tellWatchers({ type: 'lost' });
  }

  /** Delivers a change to the watchers (first, so caches drop the row before anyone re-reads) and to the callbacks of its payment. */
  emit(change: StatusChange): void {
    this.#tellWatchers({ type: 'change', change });
    const set = this.#listeners.get(change.paymentId);
    if (!set) return;
    for (const listener of [...set]) this.#call(listener, change);
  }

  /** Tells every callback to re-read its payment (after notifications may have been lost). */
  emitResync(): void {
    this.#tellWatchers({ type: 'resumed' });
    for (const [paymentId, set] of this.#listeners) {
      for (const listener of [...set]) this.#call(listener, { paymentId, status: null });
    }
  }

  #tellWatchers(event: NotifierEvent): void {
    for (const watcher of [...this.#watchers]) {
      try {
        watcher(event);
      } catch (error) {
        this.#logger.error({ err: (error as Error).message }, 'a payment notification watcher threw');
      }
    }
  }

  #call(listener: ChangeListener, change: StatusChange): void {
    try {
      listener(change);
    } catch (error) {
      this.#logger.error(
        { payment_id: change.paymentId, err: (error as Error).message },
        'a payment status listener threw',
      );
    }
  }
}

/** A notifier over `fanout`; `closeOnce` runs on the first `close()`, later calls share it. */
function notifierOver(fanout: Fanout, closeOnce: () => Promise<void>): PaymentNotifier {
  let closing: Promise<void> | undefined;
  return {
    listen: (paymentId, listener) => fanout.add(paymentId, listener),
    watchAll: (watcher) => fanout.watch(watcher),
    listenerCount: () => fanout.count,
    close() {
      closing ??= closeOnce();
      return closing;
    },
  };
}

/** The schema the `payments` table resolves to on a connection (the trigger's TG_TABLE_SCHEMA). */
const PAYMENTS_SCHEMA_SQL = `select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = 'payments'::regclass`;

/**
 * Starts the notifier of a database: resolves once it listens, so that changes committed after
 * that are seen. One per process and database.
 * @example
 * const notifier = await startNotifier(database);
 * const stop = notifier.listen('pay_…', ({ status }) => console.log(status));
 */
export async function startNotifier(
  database: Database,
  options: NotifierOptions = {},
): Promise<PaymentNotifier> {
  const logger = options.logger ?? silentLogger;
  const fanout = new Fanout(logger);
  return database.driver === 'pglite'
    ? startPgliteNotifier(database, fanout, logger)
    : startPostgresNotifier(database, fanout, logger, options.reconnectDelayMs ?? 250);
}

async function startPgliteNotifier(
  database: PgliteHandle,
  fanout: Fanout,
  logger: Logger,
): Promise<PaymentNotifier> {
  const result = await database.client.query<{ schema: string }>(PAYMENTS_SCHEMA_SQL);
  const schema = result.rows[0]?.schema ?? 'public';
  const unlisten = await database.client.listen(channelFor(schema), (payload) => {
    const change = parsePayload(payload);
    if (change) fanout.emit(change);
    else logger.warn({ payload }, 'ignored a malformed payment notification');
  });
  return notifierOver(fanout, () =>
    database.client.closed ? Promise.resolve() : unlisten().catch(() => {}),
  );
}

async function startPostgresNotifier(
  database: PostgresHandle,
  fanout: Fanout,
  logger: Logger,
  firstDelayMs: number,
): Promise<PaymentNotifier> {
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delayMs = firstDelayMs;

  /** Opens the dedicated connection and LISTENs; throws when it cannot. */
  async function connect(): Promise<void> {
    const next = new pg.Client(database.client.options);
    next.on('error', (error) => broken(next, error));
    next.on('end', () => broken(next, new Error('the listener connection ended')));
    await next.connect();
    try {
      const result = await next.query<{ schema: string }>(PAYMENTS_SCHEMA_SQL);
      const schema = result.rows[0]?.schema ?? 'public';
      next.on('notification', (message) => {
        const change = message.payload === undefined ? null : parsePayload(message.payload);
        if (change) fanout.emit(change);
      });
      await next.query(`LISTEN ${pg.escapeIdentifier(channelFor(schema))}`);
    } catch (error) {
      next.removeAllListeners('end');
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    delayMs = firstDelayMs;
  }

  /** The connection broke: drop it, and reconnect with backoff; listeners re-read once it is back. */
  function broken(which: pg.Client, error: Error): void {
    if (closed || client !== which) return;
    client = undefined;
    which.removeAllListeners('end');
    which.end().catch(() => {});
    logger.warn({ err: error.message }, 'payment notifications: listener connection lost, reconnecting');
    fanout.emitLost();
    schedule();
  }

  function schedule(): void {
    if (closed || timer) return;
    timer = setTimeout(async () => {
      timer = undefined;
      try {
        await connect();
        logger.info({}, 'payment notifications: listening again');
        fanout.emitResync();
      } catch (error) {
        logger.warn(
          { err: (error as Error).message, retry_in_ms: delayMs },
          'payment notifications: reconnect failed',
        );
        delayMs = Math.min(delayMs * 2, 5000);
        schedule();
      }
    }, delayMs);
    timer.unref();
  }

  await connect();
  return notifierOver(fanout, async () => {
    closed = true;
    if (timer) clearTimeout(timer);
    const current = client;
    client = undefined;
    if (current) {
      current.removeAllListeners('end');
      await current.end().catch(() => {});
    }
  });
}
