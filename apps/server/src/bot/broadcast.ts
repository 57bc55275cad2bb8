import type { Api } from 'grammy';
import type { Db } from '../db/types.js';
import type { Logger } from '../payments/alerts.js';
import { broadcastRecipients, countRecipients } from '../store/users.js';

/**
 * /broadcast: one message to every user who is not banned, held to Telegram's limit of 30
 * messages per second (seed 003), the progress message included: each second at most
 * `perSecond - 1` sends plus one progress edit, paced by `sendPaced` (below, shared with restock
 * alerts). A failed send (the user blocked the bot…) is counted and skipped; auto-retry has
 * already honoured 429 retry_after.
 */

export interface BroadcastOptions {
  api: Api;
  db: Db;
  text: string;
  /** Where progress goes (the admin's chat). */
  progress: (state: BroadcastState) => Promise<void>;
  perSecond?: number;
  /** Progress every this many seconds of sending (default 5). */
  progressEverySeconds?: number;
  logger: Logger;
  redact: (error: unknown) => string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Stops between two seconds of sending (the bot is stopping). */
  signal?: AbortSignal;
}

export interface BroadcastState {
  sent: number;
  failed: number;
  total: number;
  done: boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Telegram's limit for a bot: about 30 messages a second to different chats (seed 003). */
export const TELEGRAM_MESSAGES_PER_SECOND = 30;

/** Sends the broadcast; resolves with the final counts. */
export async function runBroadcast(options: BroadcastOptions): Promise<BroadcastState> {
  const { api, db, text, logger, redact } = options;
  const progressEvery = options.progressEverySeconds ?? 5;
  const state: BroadcastState = { sent: 0, failed: 0, total: await countRecipients(db), done: false };
  let afterId = 0;
  const result = await sendPaced<number>({
    // One slot of each second is the progress edit's.
    perSecond: Math.max(1, (options.perSecond ?? TELEGRAM_MESSAGES_PER_SECOND) - 1),
    next: async (size) => {
      const batch = await broadcastRecipients(db, afterId, size);
      afterId = batch[batch.length - 1] ?? afterId;
      return batch;
    },
    send: (chatId) => api.sendMessage(chatId, text),
    onFailure: (chatId, error) =>
      logger.info({ chat_id: chatId, err: redact(error) }, 'broadcast: a message was not delivered'),
    afterSecond: async (counts, second) => {
      state.sent = counts.sent;
      state.failed = counts.failed;
      state.total = Math.max(state.total, state.sent + state.failed);
      if (second % progressEvery === 0) await options.progress({ ...state }).catch(() => {});
    },
    now: options.now ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
    ...(options.signal && { signal: options.signal }),
  });
  if (result.aborted) return state;
  state.done = true;
  state.sent = result.sent;
  state.failed = result.failed;
  state.total = state.sent + state.failed;
  await options.progress({ ...state }).catch(() => {});
  return state;
}

/** Options of `sendPaced()`. */
export interface PacedSendOptions<T> {
  /** The next at most `size` recipients; empty when there are no more. */
  next: (size: number) => Promise<readonly T[]>;
  send: (recipient: T) => Promise<unknown>;
  /** Sends a second (default 30). */
  perSecond?: number;
  /** Told of each send that failed (auto-retry has already honoured 429 retry_after). */
  onFailure?: (recipient: T, error: unknown) => void;
  /** After each second's sends, with the counts so far and the second's number (from 1). */
  afterSecond?: (counts: PacedCounts, second: number) => Promise<void>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Stops between two seconds of sending. */
  signal?: AbortSignal;
}

/** What `sendPaced` sent. */
export interface PacedCounts {
  sent: number;
  failed: number;
}

/**
 * Sends to recipients pulled `perSecond` at a time: the sends of a second run concurrently, and
 * the next second starts no earlier than one second after the previous one did, so at most
 * `perSecond` messages go out each second. Used by /broadcast and by restock alerts. A failed
 * send is counted and skipped. `aborted`: stopped by `signal` before the recipients ran out.
 */
export async function sendPaced<T>(
  options: PacedSendOptions<T>,
): Promise<PacedCounts & { aborted: boolean }> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const perSecond = Math.max(1, Math.floor(options.perSecond ?? TELEGRAM_MESSAGES_PER_SECOND));
  const counts: PacedCounts = { sent: 0, failed: 0 };
  for (let second = 1; ; second++) {
    if (options.signal?.aborted) return { ...counts, aborted: true };
    const batch = await options.next(perSecond);
    if (batch.length === 0) break;
    const started = now();
    const results = await Promise.allSettled(batch.map((recipient) => options.send(recipient)));
    for (const [i, result] of results.entries()) {
      if (result.status === 'fulfilled') counts.sent++;
      else {
        counts.failed++;
        options.onFailure?.(batch[i] as T, result.reason);
      }
    }
    await options.afterSecond?.({ ...counts }, second);
    const rest = 1000 - (now() - started);
    if (rest > 0) await sleep(rest);
  }
  return { ...counts, aborted: false };
}
